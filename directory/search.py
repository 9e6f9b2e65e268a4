"""Full-text search over authorities, behind one function whatever the database.

Text is folded the same way when indexed and when searched: decomposed, stripped of
accents, case-folded, so `zdravotnictvi` finds `zdravotnictví` and `ΥΠΟΥΡΓΕΙΟ` finds
`Υπουργείο`. PostgreSQL matches with a GIN-indexed `tsvector` (the `simple`
configuration: no stemming, right for 26 languages at once); SQLite with an FTS5 table
kept in step by triggers (migration 0003). Policy areas are matched by their names in
all 26 languages apart from the documents. Both engines rank the same way: an exact
name or acronym first, then names that start with the query, then names holding every
word, then the rest, by name.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

# Letters that carry no decomposition in Unicode but are read as their base letters.
_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ħ": "h",
        "Ħ": "h",
        "\u0131": "i",  # dotless i
        "ŀ": "l",
        "Ŀ": "l",
    }
)
_WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 8
# A single letter matches nearly everything as a prefix: searching starts at two.
MIN_TERM = 2


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped.casefold()


def search_key(text: str) -> str:
    """The words of a text, folded and single-spaced: what exact matches compare."""
    return " ".join(_WORD.findall(normalize(text)))


def terms(query: str) -> list[str]:
    """The words of a query worth matching, folded; the first MAX_TERMS only."""
    return [word for word in _WORD.findall(normalize(query)) if len(word) >= MIN_TERM][:MAX_TERMS]


@dataclass(frozen=True)
class Filters:
    statuses: tuple[str, ...]
    country: str | None = None
    kind: str | None = None
    policy_area_id: int | None = None


def _where(filters: Filters) -> tuple[str, list]:
    clauses = [f"a.status IN ({', '.join(['%s'] * len(filters.statuses))})"]
    params: list = list(filters.statuses)
    if filters.country:
        clauses.append("a.country_id = %s")
        params.append(filters.country)
    if filters.kind:
        clauses.append("a.kind = %s")
        params.append(filters.kind)
    if filters.policy_area_id:
        clauses.append(
            "EXISTS (SELECT 1 FROM directory_accessgrant g "
            "WHERE g.authority_id = a.id AND g.policy_area_id = %s)"
        )
        params.append(filters.policy_area_id)
    return " AND ".join(clauses), params


@dataclass(frozen=True)
class Query:
    """A parsed query: its words, and for each word the policy areas whose name, in any of
    the 26 languages, has a word starting with it."""

    words: list[str]
    areas: dict[str, tuple[int, ...]]

    @property
    def phrase(self) -> str:
        return " ".join(self.words)


def parse(text: str, area_names: Iterable[tuple[int, dict[str, str]]]) -> Query | None:
    """None when the text holds no word worth searching."""
    words = terms(text)
    if not words:
        return None
    vocabularies = [
        (area_id, set(_WORD.findall(normalize(" ".join(names.values())))))
        for area_id, names in area_names
    ]
    areas = {
        word: tuple(
            area_id
            for area_id, vocabulary in vocabularies
            if any(token.startswith(word) for token in vocabulary)
        )
        for word in words
    }
    return Query(words=words, areas=areas)


def _document_match(words: list[str]) -> tuple[str, list]:
    """Every word matches the authority's own text, each as a prefix (results follow the
    typing)."""
    if connection.vendor == "postgresql":
        return "a.search_vector @@ to_tsquery('simple', %s)", [
            " & ".join(f"{word}:*" for word in words)
        ]
    return (
        "a.id IN (SELECT rowid FROM directory_authority_fts WHERE directory_authority_fts "
        "MATCH %s)",
        [" AND ".join(f'"{word}"*' for word in words)],
    )


def _match(query: Query) -> tuple[str, list]:
    """A word matches an authority's own text, or the name of a policy area it has access
    to: so "kwalifikacje zawodowe" finds the authorities competent for professional
    qualifications in every country, while their documents stay small and fast to scan."""
    plain = [word for word in query.words if not query.areas[word]]
    clauses, params = [], []
    if plain:
        clause, clause_params = _document_match(plain)
        clauses.append(clause)
        params.extend(clause_params)
    for word in query.words:
        if query.areas[word]:
            clause, clause_params = _document_match([word])
            placeholders = ", ".join(["%s"] * len(query.areas[word]))
            clauses.append(
                f"({clause} OR a.id IN (SELECT g.authority_id FROM directory_accessgrant g "  # noqa: S608
                f"WHERE g.policy_area_id IN ({placeholders})))"
            )
            params.extend([*clause_params, *query.areas[word]])
    return " AND ".join(clauses), params


def count(query: Query, filters: Filters) -> int:
    """How many authorities match."""
    match, match_params = _match(query)
    where, params = _where(filters)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM directory_authority a WHERE {match} AND {where}",  # noqa: S608
            [*match_params, *params],
        )
        return cursor.fetchone()[0]


def page(query: Query, filters: Filters, *, offset: int, limit: int) -> list[int]:
    """Ids of one page of matching authorities, best first: the exact name or acronym,
    names starting with the query, names holding every word, then the rest; by name
    within each."""
    if limit <= 0:
        return []
    match, match_params = _match(query)
    where, params = _where(filters)
    in_name = " AND ".join(["a.name_key LIKE %s"] * len(query.words))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id FROM directory_authority a WHERE {match} AND {where} "  # noqa: S608
            "ORDER BY CASE WHEN a.name_key = %s OR a.acronym_key = %s THEN 0 "
            f"WHEN a.name_key LIKE %s THEN 1 WHEN {in_name} THEN 2 ELSE 3 END, "
            "a.name_key, a.id LIMIT %s OFFSET %s",
            [
                *match_params,
                *params,
                query.phrase,
                query.phrase,
                query.phrase + "%",
                *[f"%{word}%" for word in query.words],
                limit,
                offset,
            ],
        )
        return [row[0] for row in cursor.fetchall()]

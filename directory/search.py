"""Full-text search over authorities, behind one function whatever the database.

Text is folded the same way when indexed and when searched: decomposed, stripped of
accents, case-folded, so `zdravotnictvi` finds `zdravotnictví` and `ΥΠΟΥΡΓΕΙΟ` finds
`Υπουργείο`. PostgreSQL matches with a GIN-indexed `tsvector` (the `simple`
configuration: no stemming, right for 26 languages at once); SQLite with an FTS5 table
kept in step by triggers (migration 0003). Both rank an exact name or acronym first,
then names that start with the query, then by relevance.
"""

import re
import unicodedata
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


def _match() -> tuple[str, str, str]:
    """(join, condition, rank) SQL for the engine; each takes the match expression once."""
    if connection.vendor == "postgresql":
        return (
            "",
            "a.search_vector @@ to_tsquery('simple', %s)",
            "ts_rank(a.search_vector, to_tsquery('simple', %s)) DESC",
        )
    return (
        "JOIN directory_authority_fts f ON f.rowid = a.id",
        "directory_authority_fts MATCH %s",
        "bm25(directory_authority_fts)",
    )


def _match_expression(words: list[str]) -> str:
    # Every word must match, each as a prefix, so results follow the typing.
    if connection.vendor == "postgresql":
        return " & ".join(f"{word}:*" for word in words)
    return " AND ".join(f'"{word}"*' for word in words)


def _sql(query: str, filters: Filters) -> tuple[list[str], str, str, str, list] | None:
    words = terms(query)
    if not words:
        return None
    join, condition, rank = _match()
    where, params = _where(filters)
    return words, join, f"{condition} AND {where}", rank, [_match_expression(words), *params]


def count(query: str, filters: Filters) -> int:
    """How many authorities match; 0 for a query without words."""
    parts = _sql(query, filters)
    if parts is None:
        return 0
    _words, join, where, _rank, params = parts
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM directory_authority a {join} WHERE {where}", params)  # noqa: S608
        return cursor.fetchone()[0]


def page(query: str, filters: Filters, *, offset: int, limit: int) -> list[int]:
    """Ids of one page of matching authorities, best first."""
    parts = _sql(query, filters)
    if parts is None or limit <= 0:
        return []
    words, join, where, rank, params = parts
    phrase = " ".join(words)
    rank_params = params[:1] if connection.vendor == "postgresql" else []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id FROM directory_authority a {join} WHERE {where} "  # noqa: S608
            "ORDER BY CASE WHEN a.name_key = %s OR a.acronym_key = %s THEN 0 "
            "WHEN a.name_key LIKE %s THEN 1 ELSE 2 END, "
            f"{rank}, a.name_key, a.id LIMIT %s OFFSET %s",
            [*params, phrase, phrase, phrase + "%", *rank_params, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]

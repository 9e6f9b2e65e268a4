"""Mentions: "@Marie Dubois" in a message asks a colleague to look at the case.

Only colleagues can be mentioned: the active officials of the authority the writer
speaks for. The name is written out in full in the message, so the text reads the same
in an e-mail, an export or a translation; the composer offers the names as one types.
"""

from django.db.models import Q

from directory.models import Authority, Official


def mentionable(
    authority: Authority, *, writer: Official, query: str = "", limit: int | None = None
) -> list[Official]:
    """The writer's colleagues in the authority, optionally those whose name or e-mail
    contains `query`."""
    colleagues = (
        Official.objects.filter(
            is_active=True, memberships__authority=authority, memberships__is_active=True
        )
        .exclude(pk=writer.pk)
        .distinct()
        .only("id", "full_name", "email")
        .order_by("full_name")
    )
    if query:
        colleagues = colleagues.filter(Q(full_name__icontains=query) | Q(email__istartswith=query))
    return list(colleagues[:limit])


def find_mentions(text: str, candidates: list[Official]) -> list[Official]:
    """The candidates named in the text as "@Full Name" (any case, not inside a word or
    an e-mail address), each once. Longer names are matched first, so "@Anna Maria
    Berg" does not also mention "Anna Maria"."""
    folded = text.casefold()
    found = []
    for person in sorted(candidates, key=lambda person: -len(person.full_name)):
        needle = "@" + person.full_name.casefold()
        if not person.full_name.strip():
            continue
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            starts_a_word = start == 0 or not folded[start - 1].isalnum()
            if starts_a_word and (end == len(folded) or not folded[end].isalnum()):
                found.append(person)
                # The matched name is used up: a shorter name inside it is not a mention.
                folded = folded[:start] + " " * (end - start) + folded[end:]
                break
            start = folded.find(needle, end)
    return found

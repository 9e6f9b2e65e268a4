"""How a message's text shows in a thread: escaped, links made clickable, line breaks
kept, and the colleagues it mentions marked (the reader herself more strongly)."""

import re

from django import template
from django.conf.locale import LANG_INFO
from django.urls import reverse
from django.utils.html import escape, format_html, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import gettext

from translation.languages import BY_CODE

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """A language's name in the reader's language (Django's own catalogs name most of
    Europe's languages); else the language's own name."""
    info = LANG_INFO.get(code)
    if info is None:
        known = BY_CODE.get(code)
        return known.native_name if known else code
    return gettext(info["name"])


@register.simple_tag
def message_html(text: str, mentions: list[dict] | None = None, reader=None) -> SafeString:
    html = urlize(escape(normalize_newlines(text)), nofollow=True, autoescape=False).replace(
        "\n", "<br>"
    )
    if not mentions:
        return mark_safe(html)  # noqa: S308 - escaped above, links built by urlize
    names = {escape("@" + mention["name"]).casefold(): mention["id"] for mention in mentions}
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        + r")(?!\w)",
        re.IGNORECASE,
    )
    reader_id = getattr(reader, "pk", None)

    def marked(match: re.Match) -> str:
        own = names.get(match.group(0).casefold()) == reader_id
        return f'<span class="mention{" mention--me" if own else ""}">{match.group(0)}</span>'

    return mark_safe(pattern.sub(marked, html))  # noqa: S308 - only escaped text wrapped


@register.simple_tag
def card_for(entry, reader, request):
    """The card an entry shows, as this reader sees it (None if she is unknown here)."""
    from conversations.cards import view

    card = getattr(entry, "card", None)
    if card is None or reader is None or request is None:
        return None
    return view(card, reader, request)


@register.simple_tag
def case_link(reader, request_id, number) -> SafeString:
    """Another case's number, a link when the reader may open it (a split names cases
    that only the requesting authority takes part in on both sides)."""
    from conversations.selectors import visible_requests

    if (
        reader is not None
        and request_id
        and visible_requests(reader).filter(pk=request_id).exists()
    ):
        return format_html(
            '<a href="{}">{}</a>', reverse("conversations:request", args=[request_id]), number
        )
    return escape(number)

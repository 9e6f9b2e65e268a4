"""A whole information request as a PDF file, in the language of the official who
exports it: the case, every thread entry, the cards and the list of attachments, read
exactly as her page reads them (the same readings, the same things hidden), with the
original beneath each machine translation, since the file may be evidence.

WeasyPrint is imported only here, when a file is made: it needs the system's pango,
and a server without it still serves every page but this one.
"""

import zoneinfo

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from conversations import selectors, translations
from conversations.models import InformationRequest
from conversations.permissions import may_see_personal_data
from directory.models import Official


class ExportUnavailable(Exception):
    """PDF files cannot be made on this server (WeasyPrint or pango is missing)."""


def css_string(text: str) -> SafeString:
    """`text` as a quoted CSS string: everything but letters and digits escaped, so no
    name or translation can end the string or the style sheet. The space closing each
    escape belongs to it (CSS drops it), so a space of the text stays."""
    escaped = "".join(char if char.isalnum() else f"\\{ord(char):x} " for char in text)
    return mark_safe(f'"{escaped}"')  # noqa: S308 - every character that means something escaped


def css_content(template: str, **counters: str) -> SafeString:
    """A translated text with %(name)s placeholders as a CSS `content` value, each
    placeholder becoming the CSS counter given for it (`number="counter(page)"`), in the
    order the translation puts them."""
    parts, rest = [], template
    while rest:
        found = [(rest.find(f"%({name})s"), name) for name in counters]
        found = [(at, name) for at, name in found if at >= 0]
        if not found:
            parts.append(css_string(rest))
            break
        at, name = min(found)
        if at:
            parts.append(css_string(rest[:at]))
        parts.append(counters[name])
        rest = rest[at + len(f"%({name})s") :]
    return mark_safe(" ".join(parts))  # noqa: S308 - quoted strings and our own counters


def _context(info: InformationRequest, reader: Official) -> dict:
    """What the export shows her; the active language and time zone must be hers."""
    exported_at = timezone.localtime()
    when = formats.date_format(exported_at, "DATETIME_FORMAT")
    zone = reader.time_zone.replace("_", " ")
    entries = translations.read_entries(selectors.thread(info), reader, info)
    for entry in entries:
        # A step's date, stored as ISO text, written as her language writes dates.
        entry.answer_by = parse_date(entry.data.get("answer_by") or "")
    return {
        "request": info,
        "official": reader,
        "readings": translations.read_request(info, reader),
        "entries": entries,
        "sees_personal_data": may_see_personal_data(reader, info),
        "exported_at": exported_at,
        "page_header": css_string(info.number),
        "page_exported": css_string(
            _("Exported by %(name)s on %(date)s")
            % {"name": reader.full_name, "date": f"{when} ({zone})"}
        ),
        "page_numbers": css_content(
            _("Page %(number)s of %(total)s"), number="counter(page)", total="counter(pages)"
        ),
    }


def export_html(info: InformationRequest, reader: Official) -> str:
    """The export as the HTML it is printed from, in the reader's language and time zone."""
    with (
        translation.override(reader.language),
        timezone.override(zoneinfo.ZoneInfo(reader.time_zone)),
    ):
        return render_to_string("conversations/export.html", _context(info, reader))


def request_pdf(info: InformationRequest, reader: Official) -> bytes:
    """The request as `reader` reads it, as a PDF file. The caller has checked that she
    may read it. Raises ExportUnavailable when this server cannot make PDF files."""
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as missing:  # OSError: pango's library is not installed
        raise ExportUnavailable(str(missing)) from missing

    class NothingFetched(URLFetcher):
        """The style sheet is inline and the fonts are the system's: nothing is fetched,
        neither from the network nor from the disk, whatever a text contains."""

        def fetch(self, url, headers=None):
            raise ValueError(f"the export fetches nothing ({url})")

    html = export_html(info, reader)
    return weasyprint.HTML(string=html, url_fetcher=NothingFetched()).write_pdf()

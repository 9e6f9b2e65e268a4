"""Files attached to messages: what may be attached (type, size, number), checked in full
before anything is written, and stored so that no file outlives a message that was not
written."""

import codecs
import hashlib
import math
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conversations.models import Attachment, RequestEvent
from conversations.models.attachments import ALLOWED_TYPES, FileType
from directory.models import Official

MB = 1024 * 1024
NAME_MAX = 255
FALLBACK_NAME = "attachment"
SIGNATURE_MAX = max(len(kind.signature or b"") for kind in ALLOWED_TYPES.values())


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, with what was learnt reading it."""

    upload: UploadedFile
    name: str
    kind: FileType
    size: int
    sha256: str


def max_bytes() -> int:
    return settings.LIAISON_ATTACHMENT_MAX_MB * MB


def allowed_extensions() -> list[str]:
    return [f".{extension}" for extension in ALLOWED_TYPES]


def allowed_labels() -> str:
    return ", ".join(dict.fromkeys(kind.label for kind in ALLOWED_TYPES.values()))


def clean_name(name: str) -> str:
    """The name shown in the thread and given back on download: no folders, no control
    or direction-changing characters (which can disguise "exe.pdf" as "fdp.exe"), no
    dots or spaces at either end, at most 255 characters with the extension kept."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = name.strip(" .") or FALLBACK_NAME
    if len(name) > NAME_MAX:
        suffix = PurePath(name).suffix[:20]
        name = name[: NAME_MAX - len(suffix)] + suffix
    return name


def check_files(uploads: Sequence[UploadedFile]) -> list[CheckedFile]:
    """Every file of a message, checked before anything is written. All refusals come
    at once, each naming its file, so one correction is enough."""
    limit = settings.LIAISON_ATTACHMENTS_PER_MESSAGE
    if len(uploads) > limit:
        message = ngettext(
            "At most %(limit)s file per message.", "At most %(limit)s files per message.", limit
        )
        raise ValidationError({"attachments": message % {"limit": limit}})
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(_check(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return checked


def _check(upload: UploadedFile) -> CheckedFile:
    name = clean_name(upload.name)
    kind = ALLOWED_TYPES.get(PurePath(name).suffix.lower().lstrip("."))
    if kind is None:
        raise ValidationError(
            _("%(name)s: this type of file cannot be attached. Allowed: %(allowed)s.")
            % {"name": name, "allowed": allowed_labels()}
        )
    # Django counted the bytes as they arrived: an over-sized file is refused unread.
    _refuse_if_too_large(name, upload.size or 0)
    size, sha256, content_matches = _read(upload, kind)
    _refuse_if_too_large(name, size)
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    if not content_matches:
        raise ValidationError(
            _("%(name)s is not a %(type)s file, whatever its name says; it cannot be attached.")
            % {"name": name, "type": kind.label}
        )
    return CheckedFile(upload=upload, name=name, kind=kind, size=size, sha256=sha256)


def _refuse_if_too_large(name: str, size: int) -> None:
    if size > max_bytes():
        raise ValidationError(
            _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
            % {"name": name, "size": _megabytes(size), "limit": settings.LIAISON_ATTACHMENT_MAX_MB}
        )


def _megabytes(size: int) -> str:
    """Rounded up, so a file just over a 10 MB limit reads "10.1", never "10.0"."""
    return number_format(math.ceil(size * 10 / MB) / 10, decimal_pos=1)


def _read(upload: UploadedFile, kind: FileType) -> tuple[int, str, bool]:
    """One pass over the file: its real size, its SHA-256, and whether its content is what
    its extension says (the leading bytes; for text, UTF-8 without a NUL byte)."""
    size, digest, head = 0, hashlib.sha256(), b""
    decoder = codecs.getincrementaldecoder("utf-8")() if kind.is_text else None
    is_text = True
    for chunk in upload.chunks():
        size += len(chunk)
        if size > max_bytes():
            break  # refused for its size: the rest needs no reading
        digest.update(chunk)
        head += chunk[: max(SIGNATURE_MAX - len(head), 0)]
        if decoder is not None and is_text:
            is_text = _decodes(decoder, chunk)
    if decoder is not None and is_text:
        is_text = _decodes(decoder, b"", final=True)
    upload.seek(0)
    matches = is_text if kind.is_text else head.startswith(kind.signature)
    return size, digest.hexdigest(), matches


def _decodes(decoder: codecs.IncrementalDecoder, chunk: bytes, *, final: bool = False) -> bool:
    if b"\x00" in chunk:
        return False
    try:
        decoder.decode(chunk, final=final)
    except UnicodeDecodeError:
        return False
    return True


@contextmanager
def removed_unless_written() -> Iterator[list[FieldFile]]:
    """Collects the files stored for a message; if writing the message fails after some
    were stored, they are deleted again: no file is left without its row."""
    stored: list[FieldFile] = []
    try:
        yield stored
    except BaseException:
        for file in stored:
            file.delete(save=False)
        raise


def attach(
    event: RequestEvent,
    files: Sequence[CheckedFile],
    *,
    official: Official,
    stored: list[FieldFile],
) -> list[Attachment]:
    """Stores each checked file under a random name and records it with the message."""
    attachments = []
    for checked in files:
        attachment = Attachment(
            event=event,
            request_id=event.request_id,
            name=checked.name,
            content_type=checked.kind.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=official,
        )
        checked.upload.seek(0)
        attachment.file.save(checked.name, checked.upload, save=False)
        stored.append(attachment.file)
        attachment.save()
        attachments.append(attachment)
    return attachments


def copy_to(event: RequestEvent, attachment: Attachment, *, stored: list[FieldFile]) -> Attachment:
    """The same file stored again, under a name of its own, for an entry of another
    request's thread: a request's files are deleted with it, so none is shared."""
    copied = Attachment(
        event=event,
        request_id=event.request_id,
        name=attachment.name,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        uploaded_by_id=attachment.uploaded_by_id,
    )
    with attachment.file.open("rb") as source:
        copied.file.save(attachment.name, source, save=False)
    stored.append(copied.file)
    copied.save()
    return copied

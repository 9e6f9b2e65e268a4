"""Files attached to messages of a request's thread, kept in Django's default storage."""

import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations.models.requests import InformationRequest, RequestEvent


@dataclass(frozen=True)
class FileType:
    """A kind of file officials may attach: named by its extension, recognised by its
    first bytes (`signature`), or, for text, by decoding as UTF-8 without a NUL byte."""

    label: str
    content_type: str
    signature: bytes | None = None

    @property
    def is_text(self) -> bool:
        return self.signature is None


_ZIP = b"PK\x03\x04"  # OpenDocument and Office Open XML files are ZIP archives
# Documents that authorities exchange, and nothing a browser or a desktop runs.
ALLOWED_TYPES = {
    "pdf": FileType("PDF", "application/pdf", b"%PDF-"),
    "png": FileType("PNG", "image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": FileType("JPEG", "image/jpeg", b"\xff\xd8\xff"),
    "jpeg": FileType("JPEG", "image/jpeg", b"\xff\xd8\xff"),
    "txt": FileType("TXT", "text/plain"),
    "csv": FileType("CSV", "text/csv"),
    "odt": FileType("ODT", "application/vnd.oasis.opendocument.text", _ZIP),
    "ods": FileType("ODS", "application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    "docx": FileType(
        "DOCX",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
    ),
    "xlsx": FileType(
        "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP
    ),
}
_LABELS = {kind.content_type: kind.label for kind in ALLOWED_TYPES.values()}


def stored_name(attachment: "Attachment", filename: str) -> str:
    """A dated folder and a random name: what the sender called the file never reaches
    the disk (no path tricks, no personal data in file names, no collisions). The
    extension is the checked one, for whoever looks after the storage."""
    extension = PurePath(attachment.name).suffix.lower()
    return f"attachments/{timezone.now():%Y/%m/%d}/{uuid.uuid4().hex}{extension}"


class Attachment(models.Model):
    """A file sent with a message. Like personal data, the requested authority sees it
    only once it has accepted the request (conversations.permissions)."""

    event = models.ForeignKey(
        RequestEvent,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("thread entry"),
    )
    # Also held here so a download finds the file and its request in one lookup.
    request = models.ForeignKey(
        InformationRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("information request"),
    )
    file = models.FileField(_("file"), upload_to=stored_name, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    # What the content turned out to be, never what the browser claimed.
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def type_label(self) -> str:
        """The type as officials know it: "PDF", "DOCX"."""
        return _LABELS.get(self.content_type, self.content_type)


@receiver(post_delete, sender=Attachment)
def _delete_stored_file(sender, instance: Attachment, **kwargs) -> None:
    """Deleting a request (data protection: 3 years after closure) takes its files with
    it, once the deletion is committed, never before."""
    if instance.file.name:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))

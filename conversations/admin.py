"""The conversations in the admin site: attachments, read only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from conversations.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Read only: an attachment is part of a case's record, changed by nobody. There is
    no link to the file: files are served only through the thread, to those who may see
    them."""

    list_display = ["name", "request", "content_type", "size", "uploaded_by", "created_at"]
    list_filter = ["content_type"]
    list_select_related = ["request", "uploaded_by"]
    search_fields = ["name", "request__number", "sha256"]
    fields = [
        "name",
        "request",
        "event",
        "content_type",
        "size",
        "sha256",
        "stored_as",
        "uploaded_by",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("stored as"))
    def stored_as(self, attachment: Attachment) -> str:
        return attachment.file.name

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

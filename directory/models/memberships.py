"""Officials' memberships in authorities, with their roles, and invitations to join."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.authorities import Authority


class Membership(models.Model):
    """An official working for an authority, with the roles she holds there."""

    # (field, label) of every role, in the order they are shown.
    ROLES = (
        ("is_local_admin", _("Local data administrator")),
        ("is_allocator", _("Allocator")),
        ("is_handler", _("Request handler")),
        ("is_supervisor", _("Supervisor")),
        ("validates_authorities", _("Validates authorities")),
        ("grants_access", _("Grants access to policy areas")),
        ("follows_exchanges", _("Follows exchanges")),
    )
    COORDINATOR_ROLES = ("validates_authorities", "grants_access", "follows_exchanges")

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="memberships")
    is_active = models.BooleanField(_("active"), default=True)
    is_local_admin = models.BooleanField(_("local data administrator"), default=False)
    is_allocator = models.BooleanField(_("allocator"), default=False)
    is_handler = models.BooleanField(_("request handler"), default=False)
    is_supervisor = models.BooleanField(_("supervisor"), default=False)
    validates_authorities = models.BooleanField(_("validates authorities"), default=False)
    grants_access = models.BooleanField(_("grants access"), default=False)
    follows_exchanges = models.BooleanField(_("follows exchanges"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["official", "authority"], name="one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.official} @ {self.authority}"

    def role_names(self) -> list[str]:
        return [field for field, _label in self.ROLES if getattr(self, field)]

    def role_labels(self) -> list[str]:
        return [str(label) for field, label in self.ROLES if getattr(self, field)]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use, expiring link: to register an invited authority, or to join one.

    Only the hash of the token is stored; the token itself travels in the e-mail.
    """

    class Purpose(models.TextChoices):
        REGISTER_AUTHORITY = "authority", _("Register an authority")
        JOIN_AUTHORITY = "official", _("Join an authority")

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    email = models.EmailField(_("e-mail address"))
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="invitations")
    roles = models.JSONField(default=list, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.email}"

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()

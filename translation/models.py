"""Stored translations: derived data, one row per distinct text and language pair, shared
by every message with that text, and the live groups waiting for a row to be ready."""

import hashlib

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def source_hash(text: str) -> str:
    """The key of a text: sha256 of its exact characters."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Translation(models.Model):
    """The translation of one source text into one language.

    A row is created pending when a reader's language needs it; a worker claims it
    (`claimed_by`), translates, and records the result once. A failure is retried from
    `next_attempt_at` until TRANSLATION_MAX_ATTEMPTS; `no_model` waits for a package.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Translated")
        FAILED = "failed", _("Failed")
        NO_MODEL = "no_model", _("No model")

    source_hash = models.CharField(max_length=64)
    source_language = models.CharField(max_length=8)
    target_language = models.CharField(max_length=8)
    source_text = models.TextField()
    text = models.TextField(blank=True)
    engine = models.CharField(max_length=20, blank=True)
    model_version = models.CharField(max_length=120, blank=True)
    pivot = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("machine translation")
        verbose_name_plural = _("machine translations")
        constraints = [
            models.UniqueConstraint(
                fields=["source_hash", "source_language", "target_language"],
                name="translation_one_row_per_text_and_pair",
            )
        ]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="translation_sweep_pending"),
            models.Index(fields=["status", "next_attempt_at"], name="translation_sweep_failed"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.source_language}→{self.target_language} {self.source_hash[:12]} {self.status}"
        )

    @property
    def is_final(self) -> bool:
        """Nothing more will happen to it without a new package or a new request."""
        return self.status in FINAL_STATUSES or (
            self.status == self.Status.FAILED and self.next_attempt_at is None
        )


FINAL_STATUSES = (Translation.Status.DONE, Translation.Status.NO_MODEL)


def final(prefix: str = "") -> Q:
    """Rows in a final state, as a filter (`prefix` "translation__" from a subscription)."""
    return Q(**{f"{prefix}status__in": FINAL_STATUSES}) | Q(
        **{f"{prefix}status": Translation.Status.FAILED, f"{prefix}next_attempt_at__isnull": True}
    )


class Subscription(models.Model):
    """A channel-layer group to tell, once, when a translation reaches a final state."""

    translation = models.ForeignKey(
        Translation, on_delete=models.CASCADE, related_name="subscriptions"
    )
    group = models.CharField(max_length=100)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("translation subscription")
        verbose_name_plural = _("translation subscriptions")

    def __str__(self) -> str:
        return f"{self.group} ← {self.translation_id}"

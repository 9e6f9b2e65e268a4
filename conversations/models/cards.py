from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conversations.models.requests import InformationRequest, RequestEvent


class QuestionSet(models.Model):
    """One version of a procedure's standardized questions, as its data file had it.
    Cards keep the version they were asked with."""

    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("questions and their texts"))

    class Meta:
        verbose_name = _("question set")
        verbose_name_plural = _("question sets")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="one_row_per_set_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @cached_property
    def schema(self):
        from conversations.questions import parse

        return parse(self.data)


class Card(models.Model):
    """Standardized questions asked in a request's thread, answered inline by the other
    side: saved as they go (partially), then submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("To answer")
        SUBMITTED = "submitted", _("Answered")

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="cards")
    event = models.OneToOneField(
        RequestEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="card"
    )
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    questions = models.JSONField(_("questions asked"), default=list)  # codes, in set order
    # The side that asks ("requester" or "responder"); the other one answers.
    asked_by = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    # The language the free-text answers were written in: the last saver's.
    language = models.CharField(max_length=8, blank=True)
    # Grows with every save: a save based on an older revision is refused, not merged.
    revision = models.PositiveIntegerField(default=0)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question card")
        verbose_name_plural = _("question cards")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.request_id} card {self.pk}"

    @property
    def answered_by(self) -> str:
        return "responder" if self.asked_by == "requester" else "requester"

    def asked(self):
        """The questions this card asks, in the set's order."""
        chosen = set(self.questions)
        return [q for q in self.question_set.schema.questions if q.code in chosen]

"""Information requests: one authority asks another, and both work the case in one
thread, under one case number for its whole life."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations.models.procedures import Procedure
from directory.models import Authority


class CaseCounter(models.Model):
    """The last case number given out in a year: numbers are unique and without gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case counter")
        verbose_name_plural = _("case counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class InformationRequest(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("To accept")
        ACCEPTED = "accepted", _("Accepted, answer pending")
        ANSWERED = "answered", _("Answered")
        CLARIFICATION = "clarification", _("More information asked")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined as not competent")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN = (Status.SENT, Status.ACCEPTED, Status.ANSWERED, Status.CLARIFICATION)
    # The responder has accepted the case: it may see the personal data and attachments.
    DISCLOSED = (Status.ACCEPTED, Status.ANSWERED, Status.CLARIFICATION, Status.CLOSED)
    SUBJECT_MAX = 200
    TEXT_MAX = 10_000

    number = models.CharField(_("case number"), max_length=20, unique=True)
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("procedure"),
    )
    requester = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="requests_sent",
        verbose_name=_("requesting authority"),
    )
    responder = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="requests_received",
        null=True,
        blank=True,
        verbose_name=_("requested authority"),
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.DRAFT
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    description = models.TextField(_("request"), max_length=TEXT_MAX, blank=True)
    # Personal data: hidden from the requested authority until it accepts (need to know).
    person_concerned = models.TextField(
        _("person concerned (personal data)"), max_length=2000, blank=True
    )
    language = models.CharField(
        _("language of the request"), max_length=8, choices=settings.LANGUAGES
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handler at the requested authority"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accept_by = models.DateField(_("to accept by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    answer_by = models.DateField(_("answer expected by"), null=True, blank=True)
    proposed_answer_by = models.DateField(_("answer date proposed"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # A request made of questions another authority could not answer: it split them off
    # its own request, the one named here, and sent them on.
    split_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="splits",
        verbose_name=_("split from"),
    )

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["responder", "status"]),
            models.Index(fields=["requester", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_overdue(self) -> bool:
        today = timezone.localdate()
        if self.status == self.Status.SENT and self.accept_by:
            return today > self.accept_by
        if self.status in (self.Status.ACCEPTED, self.Status.CLARIFICATION) and self.answer_by:
            return today > self.answer_by
        return False

    def deadline(self) -> date | None:
        if self.status == self.Status.SENT:
            return self.accept_by
        if self.status in (self.Status.ACCEPTED, self.Status.CLARIFICATION):
            return self.answer_by
        return None


class Participant(models.Model):
    """An authority taking part in a request: it sees the request and its thread."""

    class Role(models.TextChoices):
        REQUESTER = "requester", _("Requesting authority")
        RESPONDER = "responder", _("Requested authority")
        FORMER = "former", _("Forwarded the request")
        COORDINATOR = "coordinator", _("Coordinator called in")

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="participants"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True)
    # Read state: the last event this authority has seen, and who saw it when.
    last_read_event = models.PositiveBigIntegerField(default=0)
    last_read_at = models.DateTimeField(null=True, blank=True)
    last_read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["request", "authority"], name="one_participation")
        ]
        indexes = [models.Index(fields=["authority", "request"])]

    def __str__(self) -> str:
        return f"{self.request.number}: {self.authority} ({self.role})"


class RequestEvent(models.Model):
    """One entry of a request's thread: a message, or a step of its workflow.

    Ids only grow: a page that saw event N asks for everything after N when its socket
    comes back, and the thread is replayed from here.
    """

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        CREATED = "created", _("Created")
        SENT = "sent", _("Sent")
        MODIFIED = "modified", _("Modified")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined as not competent")
        FORWARDED = "forwarded", _("Forwarded")
        ASSIGNED = "assigned", _("Assigned to a handler")
        DATE_PROPOSED = "date_proposed", _("Another answer date proposed")
        DATE_AGREED = "date_agreed", _("Answer date agreed")
        ANSWERED = "answered", _("Answered")
        CLARIFICATION = "clarification", _("More information asked")
        CLOSED = "closed", _("Answer accepted, case closed")
        COORDINATOR = "coordinator", _("Coordinator called in")
        CARD = "card", _("Standard questions asked")
        CARD_ANSWERED = "card_answered", _("Standard questions answered")
        SPLIT = "split", _("Questions sent to another authority")
        SPLIT_FROM = "split_from", _("Split from another request")

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=InformationRequest.TEXT_MAX, blank=True)
    language = models.CharField(max_length=8, blank=True)
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thread entry")
        verbose_name_plural = _("thread entries")
        ordering = ["id"]
        indexes = [models.Index(fields=["request", "id"])]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.pk} {self.kind}"

    @property
    def is_message(self) -> bool:
        return self.kind == self.Kind.MESSAGE

"""Alerts and notifications: one authority tells many. A coordinator validates what a
competent authority sends, the alert coordinators of each receiving country pass it on,
and every authority reached acknowledges it; the sender sees who has and who has not."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conversations.models.cards import QuestionSet
from conversations.models.procedures import Procedure
from directory.models import Authority, Country


class Alert(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        VALIDATION = "validation", _("Awaiting validation")
        BROADCAST = "broadcast", _("Broadcast")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")

    LIVE = (Status.BROADCAST,)
    SUBJECT_MAX = 200
    TEXT_MAX = 10_000

    number = models.CharField(_("alert number"), max_length=20, unique=True)
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("procedure")
    )
    sender = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="alerts_sent",
        verbose_name=_("sending authority"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    body = models.TextField(_("text"), max_length=TEXT_MAX, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField(_("version"), default=1)
    # The procedure's standard content, answered by the sender: pre-translated questions
    # and options every recipient reads in her language (the version it was written with).
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Targeting: country codes, and kinds of authority (directory.Authority.Kind).
    countries = models.JSONField(_("countries"), default=list)
    authority_kinds = models.JSONField(_("kinds of authority"), default=list)

    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    broadcast_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sender", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE


class AlertCountry(models.Model):
    """A receiving country, when the procedure routes through alert coordinators: it waits
    until one of them passes the alert on to the authorities concerned."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="country_routes")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    disseminated_at = models.DateTimeField(null=True, blank=True)
    disseminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("receiving country")
        verbose_name_plural = _("receiving countries")
        constraints = [
            models.UniqueConstraint(fields=["alert", "country"], name="one_route_per_country")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.country_id}"


class AlertRecipient(models.Model):
    """An authority the alert has reached, and whether it has acknowledged it."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Alert coordinator")
        AUTHORITY = "authority", _("Authority concerned")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="alerts")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.AUTHORITY)
    reached_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    acknowledged_version = models.PositiveIntegerField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["alert", "authority"], name="one_recipient_row")
        ]
        indexes = [
            models.Index(fields=["alert", "country", "acknowledged_at"]),
            models.Index(fields=["authority", "acknowledged_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.authority_id}"


class AlertVersion(models.Model):
    """The text as broadcast, and after every modification: nothing is overwritten."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=Alert.SUBJECT_MAX)
    body = models.TextField(blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    note = models.TextField(blank=True)  # what the sender says changed
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["alert", "number"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "number"], name="one_alert_version")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} v{self.number}"


class AlertEvent(models.Model):
    """One entry of an alert's thread: a step of its life, or a comment."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Sent for validation")
        RETURNED = "returned", _("Returned by the coordinator")
        BROADCAST = "broadcast", _("Broadcast")
        DISSEMINATED = "disseminated", _("Passed on")
        COMMENT = "comment", _("Comment")
        MODIFIED = "modified", _("Modified")
        REMINDED = "reminded", _("Reminder sent")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CLOSED = "closed", _("Closed")
        RECTIFIED = "rectified", _("Rectified")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    # A comment the procedure lets only the sender read (and its author's authority).
    to_sender_only = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["alert", "pk"]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.kind}"


class NotificationPreference(models.Model):
    """How one official hears of new exchanges of one kind."""

    class Delivery(models.TextChoices):
        LIVE = "live", _("Live, on screen")
        HOURLY = "hourly", _("E-mail digest, hourly")
        DAILY = "daily", _("E-mail digest, daily")
        NONE = "none", _("None")

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=12, choices=Procedure.Kind.choices)
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.LIVE)
    # The last digest sent: the next one covers what came after.
    digested_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["official", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.official_id} {self.kind}: {self.delivery}"

"""Procedures: what may be asked or announced in a policy area, by whom, to whom, within
which deadlines. Data, loaded from conversations/data/procedures/, never code."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from directory.models import PolicyArea
from translation.languages import localized


class Procedure(models.Model):
    class Kind(models.TextChoices):
        REQUEST = "request", _("Information request")
        ALERT = "alert", _("Alert")
        NOTIFICATION = "notification", _("Notification")

    class Routing(models.TextChoices):
        COORDINATORS = "coordinators", _("Through the alert coordinators of each country")
        DIRECT = "direct", _("Directly to the authorities concerned")

    class Comments(models.TextChoices):
        ALL = "all", _("Read by every recipient")
        SENDER = "sender", _("Read by the sender only")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    policy_area = models.ForeignKey(
        PolicyArea,
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("policy area"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    names = models.JSONField(_("names"), default=dict)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    # Authority kinds (directory.Authority.Kind) that may start it, and receive it.
    starters = models.JSONField(_("who may start it"), default=list)
    receivers = models.JSONField(_("who may receive it"), default=list)
    accept_days = models.PositiveSmallIntegerField(_("days to accept"), default=7)
    answer_days = models.PositiveSmallIntegerField(_("days to answer"), default=14)
    question_set = models.CharField(_("question set"), max_length=64, blank=True)
    # Alerts and notifications: through the alert coordinators of each receiving country,
    # who pass them on, or straight to the authorities concerned; which sending kinds go
    # through their national coordinator first; who reads comments.
    routing = models.CharField(
        _("routing"), max_length=12, choices=Routing.choices, default=Routing.COORDINATORS
    )
    validated = models.JSONField(_("sent through the national coordinator"), default=list)
    comments = models.CharField(
        _("comments"), max_length=8, choices=Comments.choices, default=Comments.ALL
    )
    version = models.PositiveIntegerField(_("version of its data file"), default=1)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["policy_area__code", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names, translation.get_language())

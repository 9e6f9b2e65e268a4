"""Countries and policy areas: reference data, named in all 26 languages."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from translation.languages import localized


class Country(models.Model):
    """A participating country, or the European Commission as a special actor."""

    class Kind(models.TextChoices):
        EU = "eu", _("EU member state")
        EEA = "eea", _("EEA country")
        COMMISSION = "commission", _("European Commission")

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    languages = models.JSONField(_("official languages"), default=list)
    names = models.JSONField(_("names"), default=dict)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return localized(self.names, translation.get_language())


class PolicyArea(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    names = models.JSONField(_("names"), default=dict)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names, translation.get_language())

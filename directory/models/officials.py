"""Officials: the people who sign in, each with a language and a time zone."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalized_email(address: str | None) -> str:
    """One spelling per address: stored lower-cased, so sign-in accepts any case."""
    return (address or "").strip().lower()


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class OfficialManager(BaseUserManager["Official"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "Official":
        return self.get(email=normalized_email(username))

    def create_user(self, email: str, password: str | None = None, **fields) -> "Official":
        if not email:
            raise ValueError("An official needs an e-mail address.")
        official = self.model(email=email, **fields)
        official.set_password(password)
        official.full_clean(exclude=["password"])
        official.save(using=self._db)
        return official

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "Official":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class Official(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: an official of an authority, or a platform operator."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=time_zone_choices, default=settings.TIME_ZONE
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform operator"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = OfficialManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def clean(self) -> None:
        super().clean()
        self.email = normalized_email(self.email)

    def save(self, *args, **kwargs) -> None:
        # Whatever path created the row (admin, command, form), the address is normalized.
        self.email = normalized_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

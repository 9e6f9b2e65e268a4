"""Authorities, the access to policy areas their coordinators grant, and their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models.places import Country, PolicyArea
from directory.search import normalize, search_key


class Authority(models.Model):
    class Kind(models.TextChoices):
        NATIONAL_COORDINATOR = "nc", _("National coordinator")
        DELEGATED_COORDINATOR = "dc", _("Delegated coordinator")
        COMPETENT_AUTHORITY = "ca", _("Competent authority")
        COMMISSION_SERVICE = "ec", _("Commission service")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        AWAITING_APPROVAL = "awaiting", _("Awaiting approval")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    COORDINATOR_KINDS = (Kind.NATIONAL_COORDINATOR, Kind.DELEGATED_COORDINATOR)
    # What an authority says about itself; its coordinator sets the rest.
    DETAIL_FIELDS = (
        "name",
        "name_en",
        "acronym",
        "region",
        "city",
        "address",
        "website",
        "email",
        "phone",
        "keywords",
        "activities",
        "professions",
    )

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="authorities", verbose_name=_("country")
    )
    kind = models.CharField(_("kind"), max_length=2, choices=Kind.choices)
    name = models.CharField(_("name in its own language"), max_length=255)
    name_language = models.CharField(
        _("language of the name"), max_length=8, choices=settings.LANGUAGES
    )
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)

    # The coordinator that registered the authority and answers for it.
    coordinator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_authorities",
        verbose_name=_("coordinator"),
    )
    # A delegated coordinator acts only inside these areas, and this region when set.
    coordinated_areas = models.ManyToManyField(
        PolicyArea,
        blank=True,
        related_name="delegated_coordinators",
        verbose_name=_("coordinated policy areas"),
    )
    coordinated_region = models.CharField(_("coordinated region"), max_length=120, blank=True)

    policy_areas = models.ManyToManyField(
        PolicyArea,
        through="AccessGrant",
        related_name="authorities",
        verbose_name=_("policy areas"),
    )
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("One per line."))
    activities = models.TextField(_("activities"), blank=True, help_text=_("One per line."))
    professions = models.TextField(_("professions"), blank=True, help_text=_("One per line."))

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    status_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Derived, for search: accents and case folded (directory.search.normalize).
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    acronym_key = models.CharField(max_length=32, editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["country", "name"]
        indexes = [models.Index(fields=["country", "status", "kind"])]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        # The search fields are derived: whatever path saves the row keeps them true.
        self.refresh_search_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.DETAIL_FIELDS):
            kwargs["update_fields"] = {*update_fields, "name_key", "acronym_key", "search_text"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def is_coordinator(self) -> bool:
        return self.kind in self.COORDINATOR_KINDS

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def refresh_search_fields(self) -> None:
        """Recomputes the derived search fields from the authority's own text."""
        self.name_key = search_key(self.name)[:255]
        self.acronym_key = search_key(self.acronym)[:32]
        parts = [
            self.name,
            self.name_en,
            self.acronym,
            self.city,
            self.region,
            self.keywords,
            self.activities,
            self.professions,
        ]
        self.search_text = normalize(" ".join(part for part in parts if part))


class AccessGrant(models.Model):
    """A policy area a coordinator opened to an authority."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="grants")
    policy_area = models.ForeignKey(PolicyArea, on_delete=models.PROTECT, related_name="grants")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("access to a policy area")
        verbose_name_plural = _("access to policy areas")
        constraints = [
            models.UniqueConstraint(fields=["authority", "policy_area"], name="one_grant_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.policy_area}"


class AuthorityEvent(models.Model):
    """One step in an authority's life: who did what, when, and what changed."""

    class Action(models.TextChoices):
        INVITED = "invited", _("Invited")
        REGISTERED = "registered", _("Registered by its coordinator")
        COMPLETED = "completed", _("Details completed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")
        REACTIVATED = "reactivated", _("Reactivated")
        DETAILS_CHANGED = "details", _("Details changed")
        ACCESS_GRANTED = "granted", _("Access granted")
        ACCESS_REVOKED = "revoked", _("Access withdrawn")
        COORDINATOR_APPOINTED = "appointed", _("Delegated coordinator appointed")
        OFFICIAL_INVITED = "official_invited", _("Official invited")
        OFFICIAL_JOINED = "official_joined", _("Official joined")
        OFFICIAL_DISABLED = "official_disabled", _("Official disabled")
        OFFICIAL_ENABLED = "official_enabled", _("Official enabled")
        ROLES_CHANGED = "roles", _("Roles changed")

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("directory event")
        verbose_name_plural = _("directory events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.authority}: {self.get_action_display()}"

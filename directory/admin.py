from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import (
    AccessGrant,
    Authority,
    AuthorityEvent,
    Country,
    Invitation,
    Membership,
    Official,
    PolicyArea,
)


class OfficialCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = Official
        fields = ["email", "full_name", "language"]


class OfficialChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = Official
        fields = "__all__"


@admin.register(Official)
class OfficialAdmin(UserAdmin):
    form = OfficialChangeForm
    add_form = OfficialCreationForm
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "language", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "language", "time_zone"]}),
        (
            _("Access"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "language",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        )
    ]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "languages"]
    list_filter = ["kind"]


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code"]


class AccessGrantInline(admin.TabularInline):
    model = AccessGrant
    extra = 0
    autocomplete_fields = ["policy_area"]
    readonly_fields = ["granted_by", "granted_at"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["official"]


class AuthorityEventInline(admin.TabularInline):
    model = AuthorityEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "changes"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "country", "kind", "status", "city", "updated_at"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["name", "name_en", "acronym", "city", "name_key"]
    list_select_related = ["country"]
    autocomplete_fields = ["coordinator", "status_changed_by"]
    filter_horizontal = ["coordinated_areas"]
    readonly_fields = ["created_at", "updated_at", "name_key", "acronym_key"]
    inlines = [AccessGrantInline, MembershipInline, AuthorityEventInline]
    show_full_result_count = False  # no COUNT(*) over 12,600 rows per page
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["official", "authority", "is_active", *[f for f, _ in Membership.ROLES]]
    list_filter = ["is_active", *[f for f, _ in Membership.ROLES]]
    search_fields = ["official__email", "official__full_name", "authority__name"]
    autocomplete_fields = ["official", "authority"]
    list_select_related = ["official", "authority"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "purpose", "authority", "created_at", "expires_at", "used_at"]
    list_filter = ["purpose"]
    search_fields = ["email", "authority__name"]
    readonly_fields = ["token_hash", "created_at", "used_at", "invited_by"]
    autocomplete_fields = ["authority"]


@admin.register(AuthorityEvent)
class AuthorityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "authority", "action", "actor"]
    list_filter = ["action"]
    search_fields = ["authority__name", "actor__email"]
    readonly_fields = ["at", "authority", "actor", "action", "changes"]
    list_select_related = ["authority", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

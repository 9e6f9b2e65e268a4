from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from directory.models import Official


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

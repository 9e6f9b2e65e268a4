"""Forms of the account pages. Labels and messages are our own, so every language we
ship has them, including those Django's own catalogs lack."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from directory.models import Authority, Membership, Official, PolicyArea, time_zone_choices
from translation.languages import choices as language_choices

UNKNOWN_LANGUAGE = _("Choose one of the languages in the list.")


class SignInForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "This e-mail address and password do not match an account. "
            "Check both and try again; the password is case-sensitive."
        ),
        "inactive": _("This account is disabled. Ask your authority's administrator."),
    }


class AccountForm(forms.ModelForm):
    class Meta:
        model = Official
        fields = ["full_name", "language", "time_zone"]
        labels = {
            "full_name": _("Full name"),
            "language": _("Preferred language"),
            "time_zone": _("Time zone"),
        }
        help_texts = {
            "language": _(
                "Liaison and every message from other authorities are shown to you "
                "in this language."
            ),
            "time_zone": _("Dates and times are shown in this time zone."),
        }
        error_messages = {
            "full_name": {"required": _("Enter your name as colleagues should see it.")},
            "language": {"invalid_choice": UNKNOWN_LANGUAGE},
            "time_zone": {"invalid_choice": _("Choose one of the time zones in the list.")},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        error_messages={"invalid_choice": UNKNOWN_LANGUAGE, "required": UNKNOWN_LANGUAGE},
    )


PASSWORD_MISMATCH = _("The two new passwords differ.")


class SetPasswordForm(auth_forms.SetPasswordForm):
    error_messages = {
        **auth_forms.SetPasswordForm.error_messages,
        "password_mismatch": PASSWORD_MISMATCH,
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password, again")


class PasswordChangeForm(SetPasswordForm, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": _("Your current password was entered incorrectly."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # The mail speaks the account owner's language, not the requesting browser's.
        with translation.override(context["user"].language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


# --- The directory ---


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, area) -> str:
        return area.name


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False, strip=True)
    country = forms.ChoiceField(label=_("Country"), required=False)
    area = forms.ModelChoiceField(
        label=_("Policy area"),
        queryset=PolicyArea.objects.filter(is_active=True),
        required=False,
        empty_label=_("All policy areas"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Authority.Kind.choices],
    )

    def __init__(self, *args, countries=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (country.code, country.name) for country in countries
        ]
        self.fields["area"].label_from_instance = lambda area: area.name


class NamesakeMixin(forms.Form):
    allow_namesake = forms.BooleanField(
        label=_("This is a different authority with the same name: register it anyway."),
        required=False,
    )


def area_field(label=None, required: bool = True) -> AreaChoiceField:
    return AreaChoiceField(
        label=label or _("Policy areas"),
        queryset=PolicyArea.objects.filter(is_active=True).order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        required=required,
        error_messages={"required": _("Choose at least one policy area.")},
    )


class InviteAuthorityForm(NamesakeMixin):
    name = forms.CharField(label=_("Name of the authority"), max_length=255)
    email = forms.EmailField(
        label=_("E-mail address of its future administrator"),
        help_text=_("The invitation link goes to this address."),
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    areas = area_field()
    field_order = ["name", "email", "city", "region", "areas", "allow_namesake"]


class AppointCoordinatorForm(NamesakeMixin):
    name = forms.CharField(label=_("Name of the delegated coordinator"), max_length=255)
    email = forms.EmailField(label=_("E-mail address of its future administrator"))
    region = forms.CharField(
        label=_("Region"),
        max_length=120,
        required=False,
        help_text=_("Leave empty for the whole country."),
    )
    areas = area_field(_("Policy areas it coordinates"))
    field_order = ["name", "email", "region", "areas", "allow_namesake"]


class AuthorityDetailsForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Authority
        fields = list(Authority.DETAIL_FIELDS)
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "keywords": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 3}),
            "professions": forms.Textarea(attrs={"rows": 3}),
        }


class RegisterAuthorityForm(NamesakeMixin, AuthorityDetailsForm):
    administrator_email = forms.EmailField(
        label=_("E-mail address of its local data administrator"),
        help_text=_("This official receives a link to create her account."),
    )
    areas = area_field()


class NewAccountForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=language_choices,
        error_messages={"invalid_choice": UNKNOWN_LANGUAGE},
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password, again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", PASSWORD_MISMATCH)
        elif first:
            try:
                password_validation.validate_password(
                    first, Official(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class CompleteRegistrationForm(NamesakeMixin, AuthorityDetailsForm):
    """The invited authority's details, then its first official's account."""


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Give a reason; the authority will see it.")},
    )


class AccessForm(forms.Form):
    areas = area_field(required=False)


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(field, label) for field, label in Membership.ROLES],
    )

    def __init__(self, *args, authority: Authority, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not authority.is_coordinator:
            self.fields["roles"].choices = [
                (field, label)
                for field, label in Membership.ROLES
                if field not in Membership.COORDINATOR_ROLES
            ]


class InviteOfficialForm(RolesForm):
    email = forms.EmailField(label=_("E-mail address"))
    field_order = ["email", "roles"]

"""Forms of the account pages. Labels and messages are our own, so every language we
ship has them, including those Django's own catalogs lack."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from directory.models import Official, time_zone_choices
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

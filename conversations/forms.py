"""Forms of the conversations: drafting a request, its workflow steps, the composer."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from conversations.models import Alert, InformationRequest, Procedure
from conversations.services import attachments as attachment_services
from directory.models import Authority

TEXT_ERRORS = {
    "required": _("Write something first."),
    "max_length": _("At most %(limit_value)d characters; this text has %(show_value)d."),
}


class ProcedureField(forms.ModelChoiceField):
    def label_from_instance(self, procedure: Procedure) -> str:
        return f"{procedure.policy_area.name} — {procedure.name}"


class NewRequestForm(forms.Form):
    procedure = ProcedureField(
        label=_("Procedure"),
        queryset=Procedure.objects.none(),
        empty_label=_("Choose a procedure"),
        error_messages={
            "required": _("Choose a procedure."),
            "invalid_choice": _("Choose one of the procedures in the list."),
        },
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=InformationRequest.SUBJECT_MAX,
        error_messages={"required": _("Give the request a subject.")},
    )

    def __init__(self, *args, procedures, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures


class DraftForm(forms.ModelForm):
    """The request's text; while drafting, also the standard questions its card asks."""

    def __init__(self, *args, card=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if card is not None:
            language = translation.get_language()
            self.fields["questions"] = forms.MultipleChoiceField(
                label=_("Standard questions to ask"),
                choices=[(q.code, q.label(language)) for q in card.question_set.schema.questions],
                initial=card.questions,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    class Meta:
        model = InformationRequest
        fields = ["subject", "description", "person_concerned"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "person_concerned": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "person_concerned": _(
                "Personal data. The requested authority sees it only "
                "once it has accepted the request."
            ),
        }


def _not_past(value):
    if value < timezone.localdate():
        raise forms.ValidationError(_("The answer date cannot be in the past."))
    return value


class DateForm(forms.Form):
    answer_by = forms.DateField(
        label=_("Answer expected by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[_not_past],
        error_messages={"required": _("Give a date."), "invalid": _("Give a valid date.")},
    )


class OptionalDateForm(DateForm):
    """Accepting: without a date, the procedure's own deadline applies."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer_by"].required = False


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=InformationRequest.TEXT_MAX,
        error_messages=TEXT_ERRORS,
    )


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=InformationRequest.TEXT_MAX,
        error_messages=TEXT_ERRORS,
    )


class AuthorityChoiceForm(forms.Form):
    to = forms.IntegerField(
        label=_("Authority"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose an authority from the search results.")},
    )
    reason = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    handler = forms.IntegerField(label=_("Handler"))


class AttachmentsInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files from one input. What may be attached (type, size, number) is the
    service's to check, so the same rules hold however a message is written."""

    widget = AttachmentsInput

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else [data]
        return [file for file in files if file]


class MessageForm(forms.Form):
    # Optional here: a message needs text or a file, which the service decides.
    text = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=InformationRequest.TEXT_MAX,
        error_messages=TEXT_ERRORS,
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The text's language, for its translation: hers unless she says otherwise.
    language = forms.ChoiceField(
        label=_("Written in"),
        choices=settings.LANGUAGES,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the languages in the list.")},
    )
    attachments = AttachmentsField(
        label=_("Attach files"),
        required=False,
        widget=AttachmentsInput(
            attrs={
                "id": "composer-files",
                "multiple": True,
                "accept": ",".join(attachment_services.allowed_extensions()),
            }
        ),
    )

    def attachments_hint(self) -> str:
        """The limits, told before the official picks a file rather than after."""
        return _("Up to %(count)s files of at most %(size)s MB each: %(types)s.") % {
            "count": settings.LIAISON_ATTACHMENTS_PER_MESSAGE,
            "size": settings.LIAISON_ATTACHMENT_MAX_MB,
            "types": attachment_services.allowed_labels(),
        }


class AlertForm(forms.Form):
    """An alert being written: what it says, how urgent it is, and whom it reaches.
    The services check everything again; the form keeps what was typed."""

    procedure = ProcedureField(
        label=_("Procedure"),
        queryset=Procedure.objects.none(),
        empty_label=_("Choose a procedure"),
        error_messages={
            "required": _("Choose a procedure."),
            "invalid_choice": _("Choose one of the procedures in the list."),
        },
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Alert.Urgency.choices, initial=Alert.Urgency.NORMAL
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=Alert.SUBJECT_MAX,
        error_messages={"required": _("Give the alert a subject.")},
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=Alert.TEXT_MAX,
        required=False,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"), widget=forms.CheckboxSelectMultiple, required=False
    )
    authority_kinds = forms.MultipleChoiceField(
        label=_("Kinds of authority"),
        choices=Authority.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, procedures, countries, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["countries"].choices = [(c.code, c.name) for c in countries]
        # Choosing a procedure brings its standard questions into the form.
        self.fields["procedure"].widget.attrs.update(
            {
                "hx-get": reverse("conversations:alert_content"),
                "hx-target": "#alert-content",
                "hx-swap": "innerHTML",  # not the form's own outerHTML
                "hx-trigger": "change",
            }
        )


class DisseminateForm(forms.Form):
    country = forms.CharField(max_length=2)
    everyone = forms.BooleanField(required=False)
    authorities = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authorities"].choices = choices


class AlertChangeForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=Alert.SUBJECT_MAX)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=Alert.TEXT_MAX
    )
    note = forms.CharField(
        label=_("What changed"), max_length=2000, required=False, widget=forms.TextInput
    )

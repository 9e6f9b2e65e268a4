"""Following an invitation link: register the invited authority, or join one."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from directory import forms
from directory.models import Invitation
from directory.models.memberships import hash_token
from directory.services import officials, registration
from directory.views.errors import add_service_errors

BACKEND = "django.contrib.auth.backends.ModelBackend"


def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("authority", "authority__country")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return render(request, "directory/invitation_invalid.html", status=410)

    registering = invitation.purpose == Invitation.Purpose.REGISTER_AUTHORITY
    data = request.POST if request.method == "POST" else None
    details = (
        forms.CompleteRegistrationForm(data, instance=invitation.authority, prefix="a")
        if registering
        else None
    )
    account = forms.NewAccountForm(
        data, email=invitation.email, prefix="o", initial={"language": request.LANGUAGE_CODE}
    )
    if data is not None and account.is_valid() and (details is None or details.is_valid()):
        try:
            official = _complete(invitation, details, account)
        except ValidationError as error:
            add_service_errors(details or account, error)
        else:
            login(request, official, backend=BACKEND)
            if registering:
                messages.success(
                    request,
                    _(
                        "Your authority is registered. Its coordinator "
                        "has been asked to approve it."
                    ),
                )
            else:
                messages.success(request, _("Welcome to Liaison."))
            return redirect("conversations:workspace")
    if details is not None:
        # An invalid ModelForm has already written the typed values into the instance.
        invitation.authority.refresh_from_db()
    context = {"invitation": invitation, "details": details, "account": account}
    return render(request, "directory/invitation.html", context)


def _complete(invitation, details, account):
    person = account.cleaned_data
    with transaction.atomic():
        if details is None:
            return officials.join_authority(
                invitation=invitation,
                full_name=person["full_name"],
                language=person["language"],
                password=person["password1"],
            )
        return registration.complete_registration(
            invitation=invitation,
            details=details.cleaned_data,
            full_name=person["full_name"],
            language=person["language"],
            password=person["password1"],
            allow_namesake=details.cleaned_data.get("allow_namesake", False),
        )

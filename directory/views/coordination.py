"""The coordinator's desk: invite, register and approve authorities, appoint delegated
coordinators, follow what happened."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from directory import forms, permissions, selectors
from directory.models import Authority
from directory.services import registration
from directory.views.errors import add_service_errors

FORMS = {
    "invite": forms.InviteAuthorityForm,
    "register": forms.RegisterAuthorityForm,
    "appoint": forms.AppointCoordinatorForm,
}


def _desk_authority(official) -> Authority:
    """The coordinator authority the official validates for; a desk needs one."""
    for membership in permissions.coordinator_memberships(official, "validates_authorities"):
        return membership.authority
    raise PermissionDenied(_("The coordinator's desk is open to coordinators only."))


def _perform(action: str, form, official, coordinator: Authority) -> str:
    data = form.cleaned_data
    if action == "invite":
        invitation = registration.invite_authority(
            official=official,
            coordinator=coordinator,
            name=data["name"],
            email=data["email"],
            areas=data["areas"],
            region=data["region"],
            city=data["city"],
            allow_namesake=data["allow_namesake"],
        )
        return _("Invitation sent to %(email)s.") % {"email": invitation.email}
    if action == "register":
        details = {field: data.get(field, "") for field in registration.DETAIL_FIELDS}
        authority = registration.register_authority(
            official=official,
            coordinator=coordinator,
            details=details,
            areas=data["areas"],
            administrator_email=data["administrator_email"],
            allow_namesake=data["allow_namesake"],
        )
        return _("%(name)s is registered; its administrator has been invited.") % {
            "name": authority.name
        }
    invitation = registration.appoint_delegated_coordinator(
        official=official,
        national=coordinator,
        name=data["name"],
        email=data["email"],
        areas=data["areas"],
        region=data["region"],
        allow_namesake=data["allow_namesake"],
    )
    return _("Delegated coordinator invited at %(email)s.") % {"email": invitation.email}


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    official = request.user
    coordinator = _desk_authority(official)
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in FORMS:
            raise Http404
        form = FORMS[action](request.POST)
        if form.is_valid():
            try:
                messages.success(request, _perform(action, form, official, coordinator))
                return redirect("directory:desk")
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as denied:
                form.add_error(None, str(denied))
        bound[action] = form
    is_national = coordinator.kind == Authority.Kind.NATIONAL_COORDINATOR
    context = {
        "coordinator": coordinator,
        "invite_form": bound.get("invite") or forms.InviteAuthorityForm(),
        "register_form": bound.get("register") or forms.RegisterAuthorityForm(),
        "appoint_form": (bound.get("appoint") or forms.AppointCoordinatorForm())
        if is_national
        else None,
        "open_form": next(iter(bound), ""),
        "pending": selectors.awaiting_approval(viewer=official),
        "history": selectors.recent_history(viewer=official),
        "reason_form": forms.ReasonForm(),
    }
    return render(request, "directory/desk.html", context)


STATUS_ACTIONS = {
    "approve": (registration.approve_authority, False, gettext_lazy("%(name)s is approved.")),
    "reject": (registration.reject_authority, True, gettext_lazy("%(name)s is rejected.")),
    "suspend": (registration.suspend_authority, True, gettext_lazy("%(name)s is suspended.")),
    "reactivate": (
        registration.reactivate_authority,
        False,
        gettext_lazy("%(name)s is active again."),
    ),
}


@login_required
@require_POST
def change_status(request: HttpRequest, authority_id: int) -> HttpResponse:
    authority = selectors.authority_for_viewer(viewer=request.user, authority_id=authority_id)
    action = request.POST.get("action", "")
    if authority is None or action not in STATUS_ACTIONS:
        raise Http404
    service, needs_reason, done = STATUS_ACTIONS[action]
    arguments = {"official": request.user, "authority": authority}
    if needs_reason:
        arguments["reason"] = request.POST.get("reason", "")
    try:
        service(**arguments)
        messages.success(request, done % {"name": authority.name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    return _back(request, authority)


@login_required
@require_POST
def change_access(request: HttpRequest, authority_id: int) -> HttpResponse:
    authority = selectors.authority_for_viewer(viewer=request.user, authority_id=authority_id)
    if authority is None:
        raise Http404
    form = forms.AccessForm(request.POST)
    if form.is_valid():
        try:
            registration.set_access(
                official=request.user, authority=authority, areas=form.cleaned_data["areas"]
            )
            messages.success(request, _("Access to policy areas updated."))
        except PermissionDenied as denied:
            messages.error(request, str(denied))
    return _back(request, authority)


def _back(request: HttpRequest, authority: Authority) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("directory:authority", authority_id=authority.pk)

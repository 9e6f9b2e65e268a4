"""An authority's officials, kept by its local data administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory import forms, permissions, selectors
from directory.models import Authority, Membership
from directory.services import officials as services
from directory.views.errors import add_service_errors


def _administered(request: HttpRequest, authority_id: int) -> Authority:
    authority = get_object_or_404(Authority.objects.select_related("country"), pk=authority_id)
    if not permissions.administers(request.user, authority):
        raise PermissionDenied(
            _("Only the authority's local data administrators manage its officials.")
        )
    return authority


@login_required
def officials(request: HttpRequest, authority_id: int) -> HttpResponse:
    authority = _administered(request, authority_id)
    form = forms.InviteOfficialForm(request.POST or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_official(
                admin=request.user,
                authority=authority,
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
            )
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("directory:officials", authority_id=authority.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    members = selectors.officials_of(viewer=request.user, authority=authority) or []
    rows = [
        (
            member,
            forms.RolesForm(
                initial={"roles": member.role_names()}, authority=authority, prefix=f"m{member.pk}"
            ),
        )
        for member in members
    ]
    context = {
        "authority": authority,
        "rows": rows,
        "form": form,
        "invitations": selectors.pending_invitations(authority=authority),
    }
    return render(request, "directory/officials.html", context)


def _membership(request: HttpRequest, authority_id: int, membership_id: int) -> Membership:
    authority = _administered(request, authority_id)
    return get_object_or_404(
        Membership.objects.select_related("official", "authority"),
        pk=membership_id,
        authority=authority,
    )


@login_required
@require_POST
def change_roles(request: HttpRequest, authority_id: int, membership_id: int) -> HttpResponse:
    membership = _membership(request, authority_id, membership_id)
    form = forms.RolesForm(request.POST, authority=membership.authority, prefix=f"m{membership.pk}")
    if not form.is_valid():
        raise Http404
    try:
        services.set_roles(
            admin=request.user, membership=membership, roles=form.cleaned_data["roles"]
        )
        messages.success(
            request, _("Roles of %(name)s saved.") % {"name": membership.official.full_name}
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("directory:officials", authority_id=authority_id)


@login_required
@require_POST
def change_active(request: HttpRequest, authority_id: int, membership_id: int) -> HttpResponse:
    membership = _membership(request, authority_id, membership_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(admin=request.user, membership=membership, active=active)
        text = (
            _("%(name)s can work for the authority again.")
            if active
            else _("%(name)s is disabled.")
        )
        messages.success(request, text % {"name": membership.official.full_name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("directory:officials", authority_id=authority_id)

"""Finding an authority, and its page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from directory import forms, permissions, selectors
from directory.models import Authority
from directory.services import registration
from directory.services.registration import DETAIL_FIELDS
from directory.views.errors import add_service_errors

PAGE_SIZE = 20


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The directory: results follow the typing (htmx swaps just the results)."""
    countries = selectors.countries()
    form = forms.SearchForm(request.GET or None, countries=countries)
    criteria = form.cleaned_data if form.is_valid() else {}
    found = selectors.search_authorities(
        viewer=request.user,
        query=criteria.get("q", ""),
        country=criteria.get("country"),
        kind=criteria.get("kind"),
        policy_area=criteria.get("area"),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": _without_page(request)}
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "directory/partials/search_results.html", context)
    return render(request, "directory/search.html", context)


def _access_form(viewer, authority: Authority) -> forms.AccessForm | None:
    """The policy areas a coordinator with the grant role may open or close here."""
    if not any(
        permissions.coordinates(m.authority, authority)
        for m in permissions.coordinator_memberships(viewer, "grants_access")
    ):
        return None
    form = forms.AccessForm(initial={"areas": list(authority.policy_areas.all())})
    allowed = [
        area.pk
        for area in selectors.policy_areas()
        if permissions.may_grant(viewer, authority, area)
    ]
    form.fields["areas"].queryset = form.fields["areas"].queryset.filter(pk__in=allowed)
    return form


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def authority(request: HttpRequest, authority_id: int) -> HttpResponse:
    found = selectors.authority_for_viewer(viewer=request.user, authority_id=authority_id)
    if found is None:
        raise Http404
    viewer = request.user
    context = {
        "authority": found,
        "chain": selectors.coordinator_chain(found),
        "members": selectors.officials_of(viewer=viewer, authority=found),
        "history": selectors.authority_history(viewer=viewer, authority=found),
        "may_validate": permissions.may_validate(viewer, found),
        "administers": permissions.administers(viewer, found),
        "access_form": _access_form(viewer, found),
    }
    return render(request, "directory/authority.html", context)


class EditDetailsForm(forms.NamesakeMixin, forms.AuthorityDetailsForm):
    pass


@login_required
def edit(request: HttpRequest, authority_id: int) -> HttpResponse:
    """Its local data administrators keep an authority's details and competences."""
    found = get_object_or_404(Authority.objects.select_related("country"), pk=authority_id)
    if not permissions.administers(request.user, found):
        raise PermissionDenied(_("Only the authority's local data administrators edit it."))
    form = EditDetailsForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        details = {field: form.cleaned_data.get(field, "") for field in DETAIL_FIELDS}
        try:
            registration.update_details(
                official=request.user,
                authority=found,
                details=details,
                allow_namesake=form.cleaned_data["allow_namesake"],
            )
            messages.success(request, _("The authority's details are saved."))
            return redirect("directory:authority", authority_id=found.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "directory/edit.html", {"authority": found, "form": form})

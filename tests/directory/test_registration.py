"""Registration by invitation and approval, within each coordinator's scope."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from directory.models import Authority, AuthorityEvent, Invitation, Membership, Official, PolicyArea
from directory.services import officials, registration

pytestmark = pytest.mark.django_db(transaction=True)
Status = Authority.Status


def areas(*codes):
    return list(PolicyArea.objects.filter(code__in=codes))


def link_path(message) -> str:
    return re.search(r"https?://[^/]+(/invitations/[^/\s]+/)", message.body).group(1)


def registration_form(name="Landesamt für Gesundheit Bayern", **overrides):
    data = {
        "a-name": name,
        "a-name_en": "Bavarian State Office for Health",
        "a-acronym": "LGL",
        "a-region": "Bayern",
        "a-city": "Erlangen",
        "a-address": "Eggenreuther Weg 43",
        "a-website": "lgl.bayern.example",
        "a-email": "poststelle@lgl.example",
        "a-phone": "+49 9131 6808 0",
        "a-keywords": "Gesundheit\nApprobation",
        "a-activities": "",
        "a-professions": "doctor\nnurse",
        "o-full_name": "Petra Huber",
        "o-language": "de",
        "o-password1": "a long and unusual passphrase",
        "o-password2": "a long and unusual passphrase",
    }
    data.update(overrides)
    return data


def test_invite_register_approve(client, german_coordination):
    nc = german_coordination["nc_official"]
    invitation = registration.invite_authority(
        official=nc,
        coordinator=german_coordination["national"],
        name="Landesamt für Gesundheit",
        email="Leitung@LGL.example",
        areas=areas("patients-rights"),
        region="Bayern",
    )
    assert invitation.authority.status == Status.INVITED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["leitung@lgl.example"]
    path = link_path(mail.outbox[0])

    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, registration_form())
    assert response.status_code == 302

    authority = Authority.objects.get(pk=invitation.authority.pk)
    assert authority.status == Status.AWAITING_APPROVAL
    assert authority.name == "Landesamt für Gesundheit Bayern"
    assert authority.website == "https://lgl.bayern.example"
    petra = Official.objects.get(email="leitung@lgl.example")
    membership = Membership.objects.get(official=petra, authority=authority)
    assert membership.is_local_admin and membership.is_handler
    # She is signed in, and her authority waits; searching does not list it yet.
    assert (
        client.get(reverse("directory:search"), {"q": "LGL"}).context["page"].paginator.count == 0
    )

    registration.approve_authority(official=nc, authority=authority)
    authority.refresh_from_db()
    assert authority.status == Status.ACTIVE
    assert authority.status_changed_by == nc
    actions = list(authority.history.order_by("at", "id").values_list("action", flat=True))
    assert actions == [
        AuthorityEvent.Action.INVITED,
        AuthorityEvent.Action.COMPLETED,
        AuthorityEvent.Action.APPROVED,
    ]
    assert (
        client.get(reverse("directory:search"), {"q": "LGL"}).context["page"].paginator.count == 1
    )


def test_an_invitation_works_once(client, german_coordination):
    registration.invite_authority(
        official=german_coordination["nc_official"],
        coordinator=german_coordination["national"],
        name="Landesamt für Gesundheit",
        email="leitung@lgl.example",
        areas=areas("patients-rights"),
    )
    path = link_path(mail.outbox[0])
    client.post(path, registration_form())
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "no longer works" in again.text
    assert client.post(path, registration_form(name="Something else")).status_code == 410
    assert Official.objects.filter(email="leitung@lgl.example").count() == 1


def test_an_expired_or_unknown_invitation_creates_nothing(client, german_coordination):
    invitation = registration.invite_authority(
        official=german_coordination["nc_official"],
        coordinator=german_coordination["national"],
        name="Landesamt für Gesundheit",
        email="leitung@lgl.example",
        areas=areas("patients-rights"),
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    path = link_path(mail.outbox[0])
    assert client.post(path, registration_form()).status_code == 410
    assert client.get("/invitations/not-a-token/").status_code == 410
    assert not Official.objects.filter(email="leitung@lgl.example").exists()
    assert Authority.objects.get(pk=invitation.authority.pk).status == Status.INVITED


def test_an_email_already_in_use_is_refused_and_nothing_is_half_saved(
    client, german_coordination, make_official
):
    make_official(email="leitung@lgl.example")
    invitation = registration.invite_authority(
        official=german_coordination["nc_official"],
        coordinator=german_coordination["national"],
        name="Landesamt für Gesundheit",
        email="leitung@lgl.example",
        areas=areas("patients-rights"),
    )
    response = client.post(link_path(mail.outbox[0]), registration_form())
    assert response.status_code == 200
    assert "already exists" in response.text
    assert 'value="Landesamt für Gesundheit Bayern"' in response.text  # typed input kept
    authority = Authority.objects.get(pk=invitation.authority.pk)
    assert authority.status == Status.INVITED
    assert authority.name == "Landesamt für Gesundheit"
    assert Invitation.objects.get(pk=invitation.pk).used_at is None


def test_a_namesake_in_the_same_country_needs_confirmation(german_coordination, make_authority):
    make_authority(name="Landesamt für Gesundheit")
    arguments = dict(
        official=german_coordination["nc_official"],
        coordinator=german_coordination["national"],
        name="LANDESAMT FUR GESUNDHEIT",
        email="other@lgl.example",
        areas=areas("services"),
    )
    with pytest.raises(ValidationError) as refused:
        registration.invite_authority(**arguments)
    assert "already exists" in str(refused.value)
    assert Authority.objects.filter(name_key="landesamt fur gesundheit").count() == 1
    registration.invite_authority(**arguments, allow_namesake=True)
    assert Authority.objects.filter(name_key="landesamt fur gesundheit").count() == 2


def test_a_delegated_coordinator_stays_inside_its_areas_and_region(german_coordination):
    dc, delegated = german_coordination["dc_official"], german_coordination["delegated"]
    with pytest.raises(PermissionDenied):
        registration.invite_authority(
            official=dc,
            coordinator=delegated,
            name="Gewerbeamt",
            email="a@b.example",
            areas=areas("services"),
            region="Bayern",
        )
    with pytest.raises(PermissionDenied):
        registration.invite_authority(
            official=dc,
            coordinator=delegated,
            name="Ärztekammer",
            email="a@b.example",
            areas=areas("professional-qualifications"),
            region="Berlin",
        )
    invitation = registration.invite_authority(
        official=dc,
        coordinator=delegated,
        name="Ärztekammer Augsburg",
        email="a@b.example",
        areas=areas("professional-qualifications"),
        region="Bayern",
    )
    assert invitation.authority.coordinator == delegated


def test_a_delegated_coordinator_cannot_approve_outside_its_scope(
    german_coordination, make_authority
):
    outside = make_authority(
        name="Gewerbeamt Köln",
        coordinator=german_coordination["national"],
        status=Status.AWAITING_APPROVAL,
        areas=("services",),
    )
    inside = make_authority(
        name="Ärztekammer Augsburg",
        coordinator=german_coordination["delegated"],
        status=Status.AWAITING_APPROVAL,
    )
    with pytest.raises(PermissionDenied):
        registration.approve_authority(
            official=german_coordination["dc_official"], authority=outside
        )
    registration.approve_authority(official=german_coordination["dc_official"], authority=inside)
    # The national coordinator answers for every authority of the country.
    registration.approve_authority(official=german_coordination["nc_official"], authority=outside)


def test_a_coordinator_of_another_country_cannot_act(
    german_coordination, make_authority, make_member
):
    french_nc = make_authority(
        country="FR",
        name="SGAE – Coordination IMI",
        kind=Authority.Kind.NATIONAL_COORDINATOR,
        areas=(),
    )
    french = make_member(french_nc, "validates_authorities", email="nc@sgae.example")
    pending = make_authority(
        name="Gewerbeamt Köln",
        coordinator=german_coordination["national"],
        status=Status.AWAITING_APPROVAL,
    )
    with pytest.raises(PermissionDenied):
        registration.approve_authority(official=french, authority=pending)
    with pytest.raises(PermissionDenied):
        registration.invite_authority(
            official=french,
            coordinator=german_coordination["national"],
            name="X",
            email="x@y.example",
            areas=areas("services"),
        )


def test_rejection_needs_a_reason(german_coordination, make_authority):
    pending = make_authority(
        name="Gewerbeamt Köln",
        coordinator=german_coordination["national"],
        status=Status.AWAITING_APPROVAL,
    )
    with pytest.raises(ValidationError):
        registration.reject_authority(
            official=german_coordination["nc_official"], authority=pending, reason="  "
        )
    pending.refresh_from_db()
    assert pending.status == Status.AWAITING_APPROVAL
    registration.reject_authority(
        official=german_coordination["nc_official"],
        authority=pending,
        reason="Not a public authority.",
    )
    pending.refresh_from_db()
    assert (pending.status, pending.status_reason) == (Status.REJECTED, "Not a public authority.")


def test_an_illegal_transition_is_refused(german_coordination, make_authority):
    active = make_authority(name="Gewerbeamt Köln", coordinator=german_coordination["national"])
    with pytest.raises(ValidationError):
        registration.approve_authority(
            official=german_coordination["nc_official"], authority=active
        )


def test_only_the_national_coordinator_appoints_delegated_coordinators(german_coordination):
    arguments = dict(
        national=german_coordination["national"],
        name="Landesamt Sachsen",
        email="dc@sachsen.example",
        areas=areas("services"),
        region="Sachsen",
    )
    with pytest.raises(PermissionDenied):
        registration.appoint_delegated_coordinator(
            official=german_coordination["dc_official"], **arguments
        )
    invitation = registration.appoint_delegated_coordinator(
        official=german_coordination["nc_official"], **arguments
    )
    appointed = invitation.authority
    assert appointed.kind == Authority.Kind.DELEGATED_COORDINATOR
    assert [area.code for area in appointed.coordinated_areas.all()] == ["services"]
    assert "validates_authorities" in invitation.roles


def test_an_administrator_manages_only_her_own_authority(make_authority, make_member):
    own = make_authority(name="Ärztekammer Nürnberg")
    other = make_authority(name="Ärztekammer München")
    admin = make_member(own, "is_local_admin", email="admin@aek-n.example")
    colleague = make_member(other, "is_handler", email="handler@aek-m.example")
    with pytest.raises(PermissionDenied):
        officials.invite_official(
            admin=admin, authority=other, email="new@x.example", roles=["is_handler"]
        )
    with pytest.raises(PermissionDenied):
        officials.set_roles(
            admin=admin, membership=colleague.memberships.get(), roles=["is_supervisor"]
        )
    with pytest.raises(PermissionDenied):
        officials.set_active(admin=admin, membership=colleague.memberships.get(), active=False)


def test_an_administrator_invites_rerole_and_disables_officials(
    client, make_authority, make_member
):
    own = make_authority(name="Ärztekammer Nürnberg")
    admin = make_member(own, "is_local_admin", email="admin@aek-n.example")
    officials.invite_official(
        admin=admin, authority=own, email="neu@aek-n.example", roles=["is_handler"]
    )
    response = client.post(
        link_path(mail.outbox[0]),
        {
            "o-full_name": "Jonas Neu",
            "o-language": "de",
            "o-password1": "a long and unusual passphrase",
            "o-password2": "a long and unusual passphrase",
        },
    )
    assert response.status_code == 302
    jonas = Official.objects.get(email="neu@aek-n.example")
    membership = jonas.memberships.get()
    assert membership.role_names() == ["is_handler"]

    officials.set_roles(admin=admin, membership=membership, roles=["is_allocator", "is_handler"])
    membership.refresh_from_db()
    assert membership.is_allocator

    officials.set_active(admin=admin, membership=membership, active=False)
    jonas.refresh_from_db()
    assert not jonas.is_active  # no other membership: he can no longer sign in
    with pytest.raises(ValidationError):
        officials.set_roles(admin=admin, membership=admin.memberships.get(), roles=[])
    with pytest.raises(ValidationError):
        officials.set_roles(admin=admin, membership=membership, roles=["validates_authorities"])


def test_officials_are_shown_to_administrators_and_coordinators_only(
    client, german_coordination, make_authority, make_member
):
    authority = make_authority(name="Gewerbeamt Köln", coordinator=german_coordination["national"])
    make_member(authority, "is_local_admin", email="admin@koeln.example", full_name="Karla Admin")
    outsider = make_member(
        make_authority(name="Anderes Amt"), "is_handler", email="x@anders.example"
    )
    url = reverse("directory:authority", args=[authority.pk])
    client.force_login(outsider)
    assert "Karla Admin" not in client.get(url).text
    client.force_login(german_coordination["nc_official"])
    assert "Karla Admin" in client.get(url).text


@pytest.mark.parametrize("members", [1, 12])
def test_the_profile_page_runs_a_fixed_number_of_queries(
    client, german_coordination, make_authority, make_member, django_assert_num_queries, members
):
    authority = make_authority(
        name="Gewerbeamt Köln",
        coordinator=german_coordination["delegated"],
        areas=("services", "posting-of-workers"),
    )
    for number in range(members):
        make_member(authority, "is_handler", email=f"h{number}@koeln.example")
    client.force_login(german_coordination["nc_official"])
    # session, official, the authority with its coordinators, its areas, her memberships
    # with their coordinated areas, its officials, its history, the areas she may grant,
    # the access form's choices, and the header's badge.
    with django_assert_num_queries(12):  # the header counts alerts too
        client.get(reverse("directory:authority", args=[authority.pk]))


def test_an_administrator_keeps_the_details_and_every_change_is_recorded(
    client, make_authority, make_member
):
    own = make_authority(name="Ärztekammer Nürnberg", city="Nürnberg")
    make_authority(name="Ärztekammer München")
    admin = make_member(own, "is_local_admin", email="admin@aek-n.example")
    handler = make_member(own, "is_handler", email="handler@aek-n.example")
    url = reverse("directory:edit", args=[own.pk])

    client.force_login(handler)
    assert client.get(url).status_code == 403

    client.force_login(admin)
    form = client.get(url).context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    refused = client.post(url, {**data, "name": "Ärztekammer München"})
    assert refused.status_code == 200
    assert "already exists" in refused.text
    own.refresh_from_db()
    assert own.name == "Ärztekammer Nürnberg"

    saved = client.post(url, {**data, "keywords": "Approbation\nFachärzte"})
    assert saved.status_code == 302
    event = own.history.get(action=AuthorityEvent.Action.DETAILS_CHANGED)
    assert event.actor == admin
    assert event.changes["keywords"][1] == "Approbation\nFachärzte"
    assert (
        client.get(reverse("directory:search"), {"q": "Fachärzte"}).context["page"].paginator.count
        == 1
    )


def test_access_is_granted_within_the_coordinators_scope(german_coordination, make_authority):
    authority = make_authority(
        name="Ärztekammer Augsburg",
        areas=("professional-qualifications",),
        coordinator=german_coordination["delegated"],
    )
    with pytest.raises(PermissionDenied):
        registration.set_access(
            official=german_coordination["dc_official"],
            authority=authority,
            areas=areas("professional-qualifications", "services"),
        )
    registration.set_access(
        official=german_coordination["nc_official"],
        authority=authority,
        areas=areas("professional-qualifications", "services"),
    )
    authority.refresh_from_db()
    assert {a.code for a in authority.policy_areas.all()} == {
        "professional-qualifications",
        "services",
    }
    # The new competence is found by its name in any language.
    from directory.selectors import search_authorities

    found = search_authorities(viewer=german_coordination["nc_official"], query="Dienstleistungen")
    assert [a.name for a in found[0:20]] == ["Ärztekammer Augsburg"]
    assert list(authority.history.values_list("action", flat=True)) == [
        AuthorityEvent.Action.ACCESS_GRANTED
    ]

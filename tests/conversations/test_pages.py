"""The request pages over HTTP: what each official sees and may do."""

import pytest
from django.urls import reverse

from conversations.models import InformationRequest
from conversations.services import requests as services
from tests.conftest import translated

pytestmark = pytest.mark.django_db
Status = InformationRequest.Status


def page(client, official, request):
    client.force_login(official)
    return client.get(reverse("conversations:request", args=[request.pk]))


def step(client, official, request, **data):
    client.force_login(official)
    return client.post(reverse("conversations:step", args=[request.pk]), data)


def test_a_request_goes_from_draft_to_closure_through_the_pages(client, world):
    client.force_login(world.anna)
    created = client.post(
        reverse("conversations:new_request"), {"procedure": world.procedure.pk, "subject": "Diplom"}
    )
    request = InformationRequest.objects.get()
    assert created.url == reverse("conversations:request", args=[request.pk])
    client.post(
        reverse("conversations:edit", args=[request.pk]),
        {"subject": "Diplom", "description": "Ist es echt?", "person_concerned": "J. L."},
    )
    found = client.get(reverse("conversations:recipients", args=[request.pk]), {"q": "médecins"})
    assert "Ordre des médecins" in found.text
    assert "Česká" not in found.text  # no access to the area: not offered
    assert step(client, world.anna, request, step="send", to=world.paris.pk).status_code == 302

    assert step(client, world.marie, request, step="accept", answer_by="").status_code == 302
    assert step(client, world.marie, request, step="answer", text="Oui.").status_code == 302
    assert step(client, world.anna, request, step="close").status_code == 302
    request.refresh_from_db()
    assert request.status == Status.CLOSED


def test_a_refused_step_says_why_and_keeps_the_text(client, world, sent):
    response = step(client, world.marie, sent, step="decline", reason="   ")
    assert response.status_code == 422
    assert "errorlist" in response.text
    response = step(client, world.marie, sent, step="accept", answer_by="2001-01-01")
    assert response.status_code == 422
    assert translated("fr", "The answer date cannot be in the past.") in response.text
    response = step(client, world.anna, sent, step="close")  # not answered yet
    assert response.status_code == 302
    follow = client.get(response.url)
    assert "flash__item--error" in follow.text
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_personal_data_waits_for_acceptance(client, world, sent):
    assert "Jeanne Lefèvre" in page(client, world.anna, sent).text
    assert "Jeanne Lefèvre" not in page(client, world.marie, sent).text
    services.accept_request(official=world.marie, request=sent)
    assert "Jeanne Lefèvre" in page(client, world.marie, sent).text


def test_a_supervisor_reads_without_steps_or_composer(client, world, sent):
    response = page(client, world.sophie, sent)
    assert response.status_code == 200
    assert 'id="composer"' not in response.text
    assert 'name="step"' not in response.text
    assert step(client, world.sophie, sent, step="accept").status_code == 302
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_a_guessed_request_id_shows_nothing(client, world, sent):
    for official in (world.jan, world.lea):
        assert page(client, official, sent).status_code == 404
        assert step(client, official, sent, step="accept").status_code == 404
        client.force_login(official)
        assert (
            client.post(
                reverse("conversations:message", args=[sent.pk]), {"text": "hi"}
            ).status_code
            == 404
        )
    drafts_are_private = services.create_draft(
        official=world.anna, requester=world.berlin, procedure=world.procedure, subject="x"
    )
    assert page(client, world.nora, drafts_are_private).status_code == 404


def test_the_composer_keeps_a_refused_message(client, world, sent):
    client.force_login(world.anna)
    url = reverse("conversations:message", args=[sent.pk])
    too_long = "x" * (InformationRequest.TEXT_MAX + 1)
    refused = client.post(url, {"text": too_long}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200
    assert (
        translated("de", "At most %(limit_value)d characters; this text has %(show_value)d.")
        % {"limit_value": InformationRequest.TEXT_MAX, "show_value": len(too_long)}
        in refused.text
    )
    assert too_long in refused.text
    sent_ok = client.post(
        url, {"text": "Guten Tag <b>Paris</b>\nhttps://example.eu/x"}, HTTP_HX_REQUEST="true"
    )
    assert "Guten Tag &lt;b&gt;Paris&lt;/b&gt;<br>" in sent_ok.text  # escaped, lines kept
    assert '<a href="https://example.eu/x"' in sent_ok.text  # links made safe and clickable


def test_the_inbox_sorts_requests_by_what_each_side_must_do(client, world, sent):
    client.force_login(world.marie)
    to_accept = client.get(reverse("conversations:workspace"), {"bucket": "to_accept"})
    assert sent.number in to_accept.text
    client.force_login(world.anna)
    waiting = client.get(reverse("conversations:workspace"), {"bucket": "waiting"})
    assert sent.number in waiting.text
    assert (
        sent.number
        not in client.get(reverse("conversations:workspace"), {"bucket": "to_accept"}).text
    )
    found = client.get(reverse("conversations:workspace"), {"q": "Lefèvre"})
    assert sent.number in found.text
    client.force_login(world.jan)
    assert sent.number not in client.get(reverse("conversations:workspace")).text


@pytest.mark.parametrize("extra", [0, 12])
def test_the_workspace_runs_a_fixed_number_of_queries(
    client, world, sent, django_assert_num_queries, extra
):
    for number in range(extra):
        services.create_draft(
            official=world.anna,
            requester=world.berlin,
            procedure=world.procedure,
            subject=f"Fall {number}",
        )
    client.force_login(world.anna)
    with django_assert_num_queries(10):  # the header counts alerts too
        client.get(reverse("conversations:workspace"))

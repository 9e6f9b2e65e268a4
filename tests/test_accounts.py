"""Signing in and out, passwords, and the official's language and time zone."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from directory.models import Official
from tests.conftest import PASSWORD, translated

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_signing_in_opens_the_workspace_in_the_officials_language(client, official):
    response = sign_in(client, official.email)
    assert response.status_code == 302
    assert response.url == reverse("conversations:workspace")

    page = client.get(response.url)
    assert page.status_code == 200
    assert page["Content-Language"] == "de"
    assert '<html lang="de">' in page.text
    assert "Arbeitsbereich" in page.text
    assert "Anna" in page.text


def test_the_email_address_is_accepted_in_any_case(client, official):
    assert sign_in(client, "  Anna.Becker@BUND.example ").status_code == 302


def test_a_wrong_password_says_so_and_signs_nobody_in(client, official):
    response = sign_in(client, official.email, "not the password")
    assert response.status_code == 200
    assert "do not match an account" in response.text
    assert "_auth_user_id" not in client.session


def test_a_disabled_account_cannot_sign_in(client, make_official):
    disabled = make_official(is_active=False)
    response = sign_in(client, disabled.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_nothing_is_shown_before_signing_in(client):
    response = client.get(reverse("conversations:workspace"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.get(reverse("account")).status_code == 302


def test_signing_out_ends_the_session(client, official):
    client.force_login(official)
    response = client.post(reverse("logout"), follow=True)
    assert "_auth_user_id" not in client.session
    # The farewell already speaks her language: the cookie followed her profile.
    assert translated("de", "You have signed out.") in response.text


def test_changing_the_language_on_the_account_page_changes_the_next_page(client, official):
    client.force_login(official)
    response = client.post(
        reverse("account"),
        {"full_name": "Anna Becker", "language": "fr", "time_zone": "Europe/Paris"},
        follow=True,
    )
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text
    official.refresh_from_db()
    assert (official.language, official.time_zone) == ("fr", "Europe/Paris")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert "Espace de travail" in client.get(reverse("conversations:workspace")).text


@pytest.mark.parametrize(
    ("field", "value"),
    [("language", "xx"), ("language", "klingon"), ("time_zone", "Mars/Olympus_Mons")],
)
def test_an_unknown_language_or_time_zone_is_refused_and_nothing_changes(
    client, official, field, value
):
    client.force_login(official)
    data = {"full_name": "Anna B.", "language": "it", "time_zone": "Europe/Rome", field: value}
    response = client.post(reverse("account"), data)
    assert response.status_code == 200
    assert "errorlist" in response.text
    official.refresh_from_db()
    assert (official.full_name, official.language, official.time_zone) == (
        "Anna Becker",
        "de",
        settings.TIME_ZONE,
    )


def test_the_footer_picker_switches_a_visitor_and_an_official(client, official):
    response = client.post(reverse("choose_language"), {"language": "pl", "next": "/sign-in/"})
    assert response.url == "/sign-in/"
    assert '<html lang="pl">' in client.get("/sign-in/").text

    client.force_login(official)
    client.post(reverse("choose_language"), {"language": "sv", "next": "/account/"})
    official.refresh_from_db()
    assert official.language == "sv"


def test_the_footer_picker_refuses_an_unknown_code_and_a_foreign_redirect(client, official):
    client.force_login(official)
    response = client.post(
        reverse("choose_language"),
        {"language": "zz", "next": "https://evil.example/"},
        follow=True,
    )
    assert response.redirect_chain[0][0] == reverse("conversations:workspace")
    assert "flash__item--error" in response.text
    assert translated("de", "Choose one of the languages in the list.") in response.text
    official.refresh_from_db()
    assert official.language == "de"


def test_the_password_is_changed_only_with_the_current_one(client, official):
    client.force_login(official)
    url = reverse("password_change")
    new = "a much longer passphrase"
    refused = client.post(
        url, {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )
    assert refused.status_code == 200
    assert "errorlist" in refused.text
    done = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.url == reverse("account")
    official.refresh_from_db()
    assert official.check_password(new)


def reset_link(official, generator=None):
    generator = generator or PasswordResetTokenGenerator()
    uid = urlsafe_base64_encode(force_bytes(official.pk))
    return reverse("password_reset_confirm", args=[uid, generator.make_token(official)])


def test_a_password_reset_mails_a_link_in_the_account_language_that_works_once(client, official):
    response = client.post(reverse("password_reset"), {"email": "ANNA.BECKER@bund.example"})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [official.email]
    # Her language, not the language of the browser that asked.
    assert message.subject == translated("de", "Choose a new Liaison password")
    assert (
        translated(
            "de", "If you did not ask for this, ignore this e-mail; your password stays as it is."
        )
        in message.body
    )

    link = next(line for line in message.body.splitlines() if "/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"]
    new = "another long passphrase"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    official.refresh_from_db()
    assert official.check_password(new)

    again = client.get("/" + path, follow=True)
    assert not again.context["validlink"]


def test_an_expired_reset_link_says_so(client, official):
    class TwoDaysAgo(PasswordResetTokenGenerator):
        def _now(self):
            return datetime.now() - timedelta(days=2)

    response = client.get(reset_link(official, TwoDaysAgo()), follow=True)
    assert response.status_code == 200
    assert not response.context["validlink"]
    assert "invalid or has expired" in response.text


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@nowhere.example"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_an_address_is_one_account_whatever_its_case(official):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Official.objects.create_user("ANNA.becker@bund.example", "x", full_name="Impostor")
    assert Official.objects.count() == 1

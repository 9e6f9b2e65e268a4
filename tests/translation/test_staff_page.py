"""The staff page: installed packages, and the pairs in use that no model translates."""

from django.urls import reverse

from translation.models import Translation, source_hash

URL = reverse("translation:overview")


def waiting(text: str, source: str, target: str, status=Translation.Status.NO_MODEL):
    return Translation.objects.create(
        source_hash=source_hash(text),
        source_language=source,
        target_language=target,
        source_text=text,
        status=status,
    )


def test_an_operator_sees_installed_and_missing_pairs(client, make_official):
    operator = make_official("op@liaison.example", language="en", is_staff=True)
    make_official("ivan@bg.example", language="bg")
    make_official("anna@de.example", language="de")
    waiting("Здравейте.", "bg", "de")
    waiting("Здравейте!", "bg", "de", status=Translation.Status.PENDING)
    client.force_login(operator)

    response = client.get(URL)

    assert response.status_code == 200
    overview = response.context["overview"]
    assert [package.pair for package in overview.installed][:2] == [("cs", "en"), ("de", "en")]
    missing = {(pair.source, pair.target): pair for pair in overview.missing}
    assert set(missing) == {("bg", "de"), ("de", "bg"), ("bg", "en"), ("en", "bg")}
    assert missing[("bg", "de")].waiting == 2
    assert missing[("bg", "de")].needs == [("bg", "en")]
    assert missing[("de", "bg")].needs == [("en", "bg")]
    assert overview.missing[0].source == "bg" and overview.missing[0].target == "de"
    assert overview.counts["no_model"] == 1 and overview.counts["pending"] == 1
    assert overview.languages_to_install == ["bg", "de"]
    page = response.content.decode()
    assert "manage.py translation_packages install --from-index bg de" in page
    assert "български" in page


def test_an_official_who_is_not_staff_is_refused(client, official):
    client.force_login(official)

    assert client.get(URL).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]

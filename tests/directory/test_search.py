"""Finding an authority in any language: accents, scripts, ranking, filters, pages."""

import pytest
from django.urls import reverse

from directory.models import Authority
from directory.selectors import search_authorities

pytestmark = pytest.mark.django_db


def names(viewer, query, **filters) -> list[str]:
    return [
        authority.name
        for authority in search_authorities(viewer=viewer, query=query, **filters)[0:50]
    ]


@pytest.fixture
def authorities(make_authority):
    return {
        "bfj": make_authority(
            name="Bundesamt für Justiz",
            name_en="Federal Office of Justice",
            acronym="BfJ",
            city="Bonn",
        ),
        "bvl": make_authority(
            name="Bundesamt für Verbraucherschutz",
            acronym="BVL",
            city="Braunschweig",
            areas=("consumer-protection",),
        ),
        "aek": make_authority(
            name="Ärztekammer Nürnberg",
            city="Nürnberg",
            areas=("professional-qualifications",),
            keywords="Ärzte\nApprobation",
            professions="doctor",
        ),
        "sante": make_authority(
            country="FR",
            name="Ministère de la Santé et de la Prévention",
            name_en="Ministry of Health and Prevention",
            city="Paris",
            areas=("patients-rights",),
        ),
        "mzcr": make_authority(
            country="CZ",
            name="Ministerstvo zdravotnictví",
            acronym="MZČR",
            city="Praha",
            areas=("professional-qualifications",),
        ),
        "yy": make_authority(
            country="EL",
            name="Υπουργείο Υγείας",
            name_en="Ministry of Health",
            city="Αθήνα",
            areas=("patients-rights",),
        ),
        "lodz": make_authority(
            country="PL",
            name="Okręgowa Izba Lekarska w Łodzi",
            city="Łódź",
            areas=("professional-qualifications",),
        ),
        "pending": make_authority(
            name="Bundesamt für Unbestätigtes", status=Authority.Status.AWAITING_APPROVAL
        ),
    }


def test_a_word_of_the_name_finds_it_and_only_active_authorities_are_listed(official, authorities):
    found = names(official, "Bundesamt")
    assert set(found) == {"Bundesamt für Justiz", "Bundesamt für Verbraucherschutz"}


def test_accents_and_case_do_not_matter(official, authorities):
    assert names(official, "ministere sante") == ["Ministère de la Santé et de la Prévention"]
    assert names(official, "MINISTÈRE") == ["Ministère de la Santé et de la Prévention"]
    assert names(official, "zdravotnictvi") == ["Ministerstvo zdravotnictví"]
    assert names(official, "arztekammer") == ["Ärztekammer Nürnberg"]
    assert names(official, "lodz") == ["Okręgowa Izba Lekarska w Łodzi"]


def test_greek_capitals_without_accents_find_the_accented_name(official, authorities):
    assert names(official, "ΥΠΟΥΡΓΕΙΟ") == ["Υπουργείο Υγείας"]
    assert names(official, "αθηνα") == ["Υπουργείο Υγείας"]


def test_english_names_keywords_and_professions_are_searched(official, authorities):
    assert "Υπουργείο Υγείας" in names(official, "Ministry of Health")
    assert names(official, "Approbation") == ["Ärztekammer Nürnberg"]
    assert names(official, "doctor") == ["Ärztekammer Nürnberg"]


def test_a_policy_area_named_in_any_language_finds_its_authorities(official, authorities):
    # "Professional qualifications" in Polish finds the authorities competent for it.
    found = set(names(official, "kwalifikacje zawodowe"))
    assert found == {
        "Ärztekammer Nürnberg",
        "Ministerstvo zdravotnictví",
        "Okręgowa Izba Lekarska w Łodzi",
    }


def test_words_match_as_prefixes_while_typing(official, authorities):
    assert names(official, "Bundes Just") == ["Bundesamt für Justiz"]


def test_an_exact_acronym_or_name_comes_first(official, authorities, make_authority):
    make_authority(name="Amt für Statistik BfJ-Archiv", city="Bonn")
    assert names(official, "BfJ")[0] == "Bundesamt für Justiz"
    assert names(official, "bundesamt fur justiz")[0] == "Bundesamt für Justiz"


def test_filters_narrow_by_country_kind_and_policy_area(official, authorities):
    from directory.models import PolicyArea

    area = PolicyArea.objects.get(code="professional-qualifications")
    assert names(official, "", policy_area=area, country="CZ") == ["Ministerstvo zdravotnictví"]
    assert set(names(official, "minist", country="FR")) == {
        "Ministère de la Santé et de la Prévention"
    }
    assert names(official, "Bundesamt", kind=Authority.Kind.NATIONAL_COORDINATOR) == []


def test_nonsense_and_punctuation_find_nothing_and_break_nothing(official, authorities):
    for query in ['"', "*", "AND OR NOT", "a:b", "(((", "'; DROP TABLE", "_", "%"]:
        search_authorities(viewer=official, query=query)[0:20]
    assert names(official, "xyzzyplugh") == []


def test_the_page_updates_as_you_type_with_the_results_only(client, official, authorities):
    client.force_login(official)
    full = client.get(reverse("directory:search"), {"q": "zdravotnictvi"})
    assert "<h1>" in full.text
    assert "Ministerstvo zdravotnictví" in full.text
    partial = client.get(
        reverse("directory:search"),
        {"q": "zdravotnictvi"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="search-results",
    )
    assert "<h1>" not in partial.text
    assert "Ministerstvo zdravotnictví" in partial.text


def test_results_are_paginated(client, official, make_authority):
    for number in range(45):
        make_authority(name=f"Gewerbeamt Bezirk {number:02d}", areas=())
    client.force_login(official)
    first = client.get(reverse("directory:search"), {"q": "gewerbeamt"})
    assert first.context["page"].paginator.count == 45
    assert len(first.context["page"].object_list) == 20
    third = client.get(reverse("directory:search"), {"q": "gewerbeamt", "page": 3})
    assert len(third.context["page"].object_list) == 5


@pytest.mark.parametrize("extra", [0, 30])
def test_search_and_list_pages_run_a_fixed_number_of_queries(
    client, official, make_authority, django_assert_num_queries, extra
):
    for number in range(5 + extra):
        make_authority(
            name=f"Gewerbeamt Bezirk {number:02d}", areas=("services", "posting-of-workers")
        )
    client.force_login(official)
    url = reverse("directory:search")
    # session, official, memberships (header), countries and policy areas (filters),
    # policy-area names (matched in every language), count, page ids, authorities, their
    # policy areas. (The header's badge needs no query for an official of no authority.)
    with django_assert_num_queries(10):
        client.get(url, {"q": "gewerbeamt"})
    with django_assert_num_queries(8):
        client.get(url)

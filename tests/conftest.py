"""Fixtures shared by every suite."""

import pytest
from django.core.management import call_command

from directory.models import Official

PASSWORD = "correct horse battery"


def translated(code: str, text: str) -> str:
    """`text` as the catalog of language `code` has it; fails if it has no translation."""
    from django.utils import translation

    with translation.override(code):
        result = translation.gettext(text)
    assert code == "en" or result != text, f"{text!r} has no {code} translation"
    return result


def pytest_collection_modifyitems(items):
    """Browser tests run last: Playwright's event loop must not outlive them in this thread."""
    for item in items:
        if "/tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: "/tests/browser/" in str(item.path))


@pytest.fixture(scope="session", autouse=True)
def collected_static_files():
    """Pages link hashed static files: the manifest must be current, as after `make static`
    (collectstatic copies only what changed)."""
    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture
def make_official(db):
    def make(email: str = "anna.becker@bund.example", **fields) -> Official:
        fields.setdefault("full_name", "Anna Becker")
        fields.setdefault("language", "de")
        return Official.objects.create_user(email, PASSWORD, **fields)

    return make


@pytest.fixture
def official(make_official) -> Official:
    return make_official()

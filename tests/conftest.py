"""Fixtures shared by every suite."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from directory.models import AccessGrant, Authority, Membership, Official, PolicyArea

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


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a page served in another one earlier
    (the middleware activates the reader's language) must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def collected_static_files():
    """Pages link hashed static files: the manifest must be current, as after `make static`
    (collectstatic copies only what changed)."""
    call_command("collectstatic", "--noinput", verbosity=0)


def build_authority(
    country: str, name: str, *areas: str, language: str = "en", **fields
) -> Authority:
    """An active competent authority with access to the policy areas named (codes of
    the reference data), for tests that need the data outside a test's own database
    fixture (a module's browser tests share theirs)."""
    authority = Authority.objects.create(
        country_id=country,
        name=name,
        kind=fields.pop("kind", Authority.Kind.COMPETENT_AUTHORITY),
        status=Authority.Status.ACTIVE,
        name_language=language,
        **fields,
    )
    for code in areas:
        AccessGrant.objects.create(
            authority=authority, policy_area=PolicyArea.objects.get(code=code)
        )
    return authority


def build_official(email: str, name: str, language: str, authority: Authority, *roles) -> Official:
    """An official of `authority` with the roles named (`is_handler`, ...)."""
    official = Official.objects.create_user(email, PASSWORD, full_name=name, language=language)
    Membership.objects.create(official=official, authority=authority, **dict.fromkeys(roles, True))
    return official


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


# --- machine translation: tiny real argos packages ("echo" models built offline by the
# project's tool: every sentence comes back as "[<to>] <sentence>") ---

PACKAGES = Path(__file__).resolve().parent / "translation" / "packages"


def package_file(source: str, target: str) -> Path:
    return PACKAGES / f"translate-{source}_{target}.argosmodel"


def install_tiny_models(directory: Path) -> None:
    """Installs every tiny package into `directory` (the TRANSLATION_DIR in force): the first
    argostranslate import of the process happens here, configured for that folder."""
    from translation import packages

    shutil.rmtree(directory / "packages", ignore_errors=True)
    for path in sorted(PACKAGES.glob("*.argosmodel")):
        packages.install_file(path)


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory) -> Path:
    """A TRANSLATION_DIR with the tiny packages, installed once per test session (argos
    reads its folders once per process: every suite shares this one)."""
    directory = tmp_path_factory.mktemp("translation")
    with override_settings(TRANSLATION_DIR=directory):
        install_tiny_models(directory)
    return directory

"""What the staff page shows: the installed packages, and the language pairs in use that
no model translates, with what waits on each."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count

from translation import argos, catalogue
from translation.catalogue import InstalledPackage, Pair
from translation.languages import BY_CODE
from translation.models import Translation

Status = Translation.Status


def language_name(code: str) -> str:
    """A language in its own name, as the language picker shows it; the code if unknown."""
    language = BY_CODE.get(code)
    return language.native_name if language else code


@dataclass(frozen=True)
class MissingPair:
    source: str
    target: str
    waiting: int
    # The packages that would make it translatable, through English where needed.
    needs: list[Pair]

    @property
    def source_name(self) -> str:
        return language_name(self.source)

    @property
    def target_name(self) -> str:
        return language_name(self.target)


@dataclass(frozen=True)
class Overview:
    installed: list[InstalledPackage]
    missing: list[MissingPair]
    counts: dict[str, int]
    # The languages of the missing pairs, for `translation_packages install --from-index`.
    languages_to_install: list[str]


def active_languages() -> list[str]:
    """The languages the active officials read in: every pair among them is in use."""
    languages = (
        get_user_model()
        .objects.filter(is_active=True)
        .values_list("language", flat=True)
        .distinct()
        .order_by()
    )
    return sorted(code for code in languages if code in BY_CODE)


def translation_overview() -> Overview:
    installed = catalogue.installed(argos.packages_dir())
    waiting: dict[Pair, int] = {
        (row["source_language"], row["target_language"]): row["count"]
        for row in Translation.objects.filter(status__in=[Status.PENDING, Status.NO_MODEL])
        .values("source_language", "target_language")
        .annotate(count=Count("id"))
        .order_by()
    }
    languages = active_languages()
    in_use = {(a, b) for a in languages for b in languages if a != b} | set(waiting)
    missing = [
        MissingPair(
            source,
            target,
            waiting.get((source, target), 0),
            catalogue.missing_packages(installed, source, target),
        )
        for source, target in in_use
        if catalogue.route(installed, source, target) is None
    ]
    missing.sort(key=lambda pair: (-pair.waiting, pair.source, pair.target))
    counts = dict(Translation.objects.values_list("status").annotate(count=Count("id")).order_by())
    to_install = sorted(
        {code for pair in missing for code in (pair.source, pair.target)} - {catalogue.PIVOT}
    )
    return Overview(
        installed=sorted(installed.values(), key=lambda package: package.pair),
        missing=missing,
        counts={status: counts.get(status, 0) for status in Status.values},
        languages_to_install=to_install,
    )

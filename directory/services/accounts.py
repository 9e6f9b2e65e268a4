"""Changes an official makes to her own account."""

from django.db import transaction

from directory.models import Official


@transaction.atomic
def update_preferences(
    *, official: Official, full_name: str, language: str, time_zone: str
) -> Official:
    official.full_name = full_name
    official.language = language
    official.time_zone = time_zone
    official.full_clean(exclude=["password"])
    official.save(update_fields=["full_name", "language", "time_zone"])
    return official


@transaction.atomic
def set_language(*, official: Official, language: str) -> Official:
    official.language = language
    official.full_clean(exclude=["password"])
    official.save(update_fields=["language"])
    return official

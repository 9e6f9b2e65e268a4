"""System checks: a translation configuration that would leave messages untranslated."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def translation_queue_reaches_workers(app_configs=None, **kwargs) -> list[CheckMessage]:
    backend = settings.CHANNEL_LAYERS.get("default", {}).get("BACKEND", "")
    if settings.TRANSLATION_QUEUE == "channels" and backend.endswith("InMemoryChannelLayer"):
        return [
            Error(
                "TRANSLATION_QUEUE=channels needs a channel layer shared with the workers.",
                hint="Set REDIS_URL, or TRANSLATION_QUEUE=embedded for a single process.",
                id="translation.E001",
            )
        ]
    return []


@register()
def translation_models_fit(app_configs=None, **kwargs) -> list[CheckMessage]:
    if settings.TRANSLATION_MAX_MODELS < 2:
        return [
            Warning(
                "TRANSLATION_MAX_MODELS below 2 reloads both models of every translation "
                "through English.",
                id="translation.W001",
            )
        ]
    return []

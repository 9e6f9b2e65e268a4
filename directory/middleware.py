"""Each signed-in official sees the platform in her own language and time zone."""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class OfficialPreferencesMiddleware:
    """Activates the official's language and time zone for the request.

    Runs after AuthenticationMiddleware and overrides what LocaleMiddleware guessed
    from the browser. The language cookie follows the profile, so the sign-in page
    speaks her language after she signs out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        official = request.user
        if not official.is_authenticated:
            return self.get_response(request)

        translation.activate(official.language)
        request.LANGUAGE_CODE = official.language
        timezone.activate(zoneinfo.ZoneInfo(official.time_zone))
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != official.language:
            remember_language(response, official.language)
        return response


def remember_language(response: HttpResponse, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )

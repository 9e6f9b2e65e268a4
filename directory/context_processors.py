"""What the page header needs to know about the signed-in official."""

from functools import cached_property

from django.http import HttpRequest

from directory import permissions


class Navigation:
    def __init__(self, official) -> None:
        self.official = official

    @cached_property
    def is_coordinator(self) -> bool:
        if not self.official.is_authenticated:
            return False
        return bool(permissions.coordinator_memberships(self.official, "validates_authorities"))


def navigation(request: HttpRequest) -> dict:
    return {"navigation": Navigation(request.user)}

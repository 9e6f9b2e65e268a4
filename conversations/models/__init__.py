"""The conversations' models: procedures, and information requests with their threads."""

from conversations.models.procedures import Procedure
from conversations.models.requests import (
    CaseCounter,
    InformationRequest,
    Participant,
    RequestEvent,
)

__all__ = ["CaseCounter", "InformationRequest", "Participant", "Procedure", "RequestEvent"]

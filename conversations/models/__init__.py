"""The conversations' models: procedures, and information requests with their threads."""

from conversations.models.attachments import Attachment
from conversations.models.cards import Card, QuestionSet
from conversations.models.mentions import Mention
from conversations.models.procedures import Procedure
from conversations.models.requests import (
    CaseCounter,
    InformationRequest,
    Participant,
    RequestEvent,
)

__all__ = [
    "Attachment",
    "Card",
    "CaseCounter",
    "InformationRequest",
    "Mention",
    "Participant",
    "Procedure",
    "QuestionSet",
    "RequestEvent",
]

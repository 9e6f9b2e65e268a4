"""The conversations' models: procedures, information requests with their threads, and
alerts."""

from conversations.models.alerts import (
    Alert,
    AlertCountry,
    AlertEvent,
    AlertRecipient,
    AlertVersion,
    NotificationPreference,
)
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
    "Alert",
    "AlertCountry",
    "AlertEvent",
    "AlertRecipient",
    "AlertVersion",
    "Attachment",
    "Card",
    "CaseCounter",
    "InformationRequest",
    "Mention",
    "NotificationPreference",
    "Participant",
    "Procedure",
    "QuestionSet",
    "RequestEvent",
]

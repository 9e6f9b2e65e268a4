from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conversations.models.requests import RequestEvent


class Mention(models.Model):
    """A message names a colleague ("@Marie Dubois"): she is told live, and the case
    waits in her "Mentioned" list until she has read the thread that far."""

    event = models.ForeignKey(RequestEvent, on_delete=models.CASCADE, related_name="mentions")
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(fields=["event", "official"], name="one_mention_per_message")
        ]
        indexes = [models.Index(fields=["official", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.official_id}"

"""Sends the e-mail digests that are due. Run it every few minutes from cron or a
systemd timer; it sends each official at most one digest per period she chose."""

from django.core.management.base import BaseCommand

from conversations.notifications import send_digests


class Command(BaseCommand):
    help = "Send the hourly and daily e-mail digests that are due."

    def handle(self, *args, **options) -> None:
        sent = send_digests()
        self.stdout.write(f"{sent} digests sent.")

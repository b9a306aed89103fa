from django.core.management.base import BaseCommand

from publishing.notifications import deliver_pending


class Command(BaseCommand):
    help = "Send every notification still waiting, e.g. after a mail outage."

    def handle(self, *args, **options) -> None:
        sent = deliver_pending()
        self.stdout.write(f"{sent} notification(s) sent.")

from django.core.management.base import BaseCommand

from discovery.services import send_digests


class Command(BaseCommand):
    help = (
        "Mail each user with saved searches the components newly published "
        "that match them (run daily)."
    )

    def handle(self, *args, **options) -> None:
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) queued.")

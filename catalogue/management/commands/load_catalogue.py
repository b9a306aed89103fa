from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from catalogue.services import load_fixture


class Command(BaseCommand):
    help = (
        "Load the catalogue fixtures (components, providers, networks, ...). "
        "Creates what is missing and leaves existing entries untouched, so it "
        "is safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=settings.BASE_DIR / "fixtures" / "catalogue.json",
        )

    def handle(self, *args, path: Path, **options) -> None:
        report = load_fixture(path=path)
        for label in sorted(set(report.created) | set(report.kept)):
            created, kept = report.created[label], report.kept[label]
            self.stdout.write(f"{label}: {created} created, {kept} already present")
        total = sum(report.created.values())
        self.stdout.write(self.style.SUCCESS(f"{total} objects created."))

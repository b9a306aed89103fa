from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from catalogue.rendered_pages import render_pages_not_current


class Command(BaseCommand):
    help = (
        "Render ahead of visitors the page of every published component that "
        "is not stored current (after a deploy or a catalogue load), and "
        "delete those of components no longer published. Pages already "
        "current are left alone, so it is safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--language",
            action="append",
            choices=[code for code, _name in settings.LANGUAGES],
            help="only this language (repeatable); all of them by default",
        )

    def handle(self, *args, language: list[str] | None, **options) -> None:
        for code in language or [code for code, _name in settings.LANGUAGES]:
            with translation.override(code):
                done = render_pages_not_current()
            self.stdout.write(
                f"{code}: {done.rendered} rendered, {done.current} already current, "
                f"{done.dropped} no longer published deleted"
            )

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, no_translations

from interchange.tabular.importer import (
    EXPORT_ONLY,
    FileRefused,
    ImportReport,
    import_catalogue,
)
from interchange.tabular.progress import ProgressBar

DONE = {"create": "created", "update": "updated", "revise": "revision proposed"}
WOULD = {
    "create": "would create",
    "update": "would update",
    "revise": "would propose a revision of",
}
PUBLISHED = {
    "create": "created and published",
    "update": "updated and published",
    "revise": "updated (revision accepted)",
}


class Command(BaseCommand):
    help = (
        "Create or update components from a CSV in the shape of the catalogue's "
        "export (/<lang>/catalogue.csv), matched by slug. A dry run by default: "
        "it reports, row by row, what it would create or change and every row "
        "it rejects, with its line and why. With --apply it writes, in one "
        "transaction: one rejected row and nothing is written (exit code 1). "
        "Every write goes through the publishing services as the given --user: "
        "new components are submitted for review, unpublished ones changed in "
        "place and resubmitted, published ones get a revision that a moderator "
        "accepts, so moderation and history apply. With --publish (moderators "
        "only) new components are published and revisions accepted at once, "
        "each recorded with the file's name as the reason. Columns "
        f"{', '.join(EXPORT_ONLY)} are exported only; columns missing from the "
        "file are left as they are."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="The CSV file (UTF-8).")
        parser.add_argument(
            "--user",
            required=True,
            help="The account the changes are made as (its username).",
        )
        parser.add_argument(
            "--apply", action="store_true", help="Write; without it, only report."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish new components and accept revisions (moderators only).",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show progress on stderr even when it is not a terminal.",
        )

    # The report, and the models' messages in it, in English.
    @no_translations
    def handle(self, *args, path: Path, user: str, **options) -> None:
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active account named {user!r}.")
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        show_progress = options["progress"] or sys.stderr.isatty()
        bar = ProgressBar(self.stderr) if show_progress else None
        try:
            report = import_catalogue(
                path,
                actor=actor,
                apply=options["apply"],
                publish=options["publish"],
                progress=bar,
            )
        except FileRefused as refusal:
            raise CommandError(f"{path.name}: {refusal}") from None
        finally:
            if bar is not None:
                bar.finish()
        self.write_report(report)
        if report.rejections:
            raise CommandError(
                f"{len(report.rejections)} row(s) rejected: nothing was written."
            )

    def write_report(self, report: ImportReport) -> None:
        out = self.stdout
        if report.ignored_columns:
            out.write(f"Exported only, not read: {', '.join(report.ignored_columns)}.")
        if report.missing_columns:
            out.write(
                "Not in the file, left as they are: "
                f"{', '.join(report.missing_columns)}."
            )
        words = (PUBLISHED if report.publish else DONE) if report.applied else WOULD
        for result in report.results:
            if result.action == "unchanged":
                out.write(f"line {result.line}: {result.slug}: unchanged")
            else:
                out.write(
                    f"line {result.line}: {words[result.action]} {result.slug}: "
                    f"{', '.join(result.fields)}"
                )
        for rejection in report.rejections:
            self.stderr.write(
                f"line {rejection.line}: rejected {rejection.slug or '(no slug)'}: "
                + "; ".join(rejection.reasons)
            )
        summary = (
            f"{report.count('create')} to create, {report.count('update')} to "
            f"update, {report.count('revise')} to revise, "
            f"{report.count('unchanged')} unchanged, "
            f"{len(report.rejections)} rejected."
        )
        if report.applied:
            out.write(self.style.SUCCESS(f"Written: {summary}"))
        elif report.rejections:
            out.write(f"Nothing written: {summary}")
        else:
            out.write(f"Dry run, nothing written: {summary} Add --apply to write.")

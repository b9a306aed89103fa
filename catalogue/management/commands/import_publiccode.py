from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from interchange.publiccode.importer import FilesRefused, import_files


class Command(BaseCommand):
    help = (
        "Import publiccode.yml files as components, on behalf of a person: "
        "new ones as drafts (or submitted, with --submit), changes to a "
        "published one as a revision for the moderators. All files or none."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--submit", action="store_true", help="Submit them for review."
        )
        parser.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="USER_EMAIL",
            help=(
                "Who imports: a member of the organisation the components "
                "belong to, or a moderator. Moderation and history name them."
            ),
        )

    def handle(self, *args, files: list[Path], submit: bool, email: str, **options):
        users = get_user_model().objects.filter(email__iexact=email, is_active=True)
        if users.count() != 1:
            raise CommandError(f"No single active account has the e-mail {email}.")
        try:
            imported = import_files(files, actor=users.get(), submit=submit)
        except FilesRefused as refused:
            for path, errors in refused.errors.items():
                self.stderr.write(f"{path}:")
                for key, messages in errors.items():
                    self.stderr.write(f"  {key}: {' '.join(messages)}")
            raise CommandError(
                f"{len(refused.errors)} file(s) refused: nothing was imported."
            ) from None
        for path, result in imported:
            component = result.component
            if result.revision is not None:
                done = f"revision {result.revision.pk} proposed"
            else:
                done = "created" if result.created else "changed"
            self.stdout.write(
                f"{path}: {component.slug} {done} "
                f"({component.get_publication_state_display()})"
            )
            for warning in result.warnings:
                self.stdout.write(f"  {warning}")
        self.stdout.write(self.style.SUCCESS(f"{len(imported)} file(s) imported."))

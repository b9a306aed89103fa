"""Reading a catalogue CSV (the export's shape) back into the catalogue.

Each row creates the component its slug names, or changes it. Every write
goes through the publishing services, so moderation and history apply as to
a change made on the web form:

* a new component is created and submitted for review;
* a change to an unpublished one is made in place and submitted;
* a change to a published one is proposed as a revision, which the public
  does not see until a moderator accepts it.

With `publish` (a moderator only), the new components are published and the
revisions accepted at once, each as a recorded step with the file's name as
its reason. A published component that already has a revision awaiting
review is then refused: accepting ours would accept someone else's too.

A file is checked whole before anything is written, and written in one
transaction: one rejected row and nothing is written.
"""

from __future__ import annotations

import codecs
import copy
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from catalogue.models import (
    BuildingBlock,
    CollaborationModel,
    Component,
    Domain,
    Provider,
    Tag,
)
from catalogue.search import LANGUAGE_CODES
from interchange.tabular.columns import (
    BY_NAME,
    HEADER,
    RELATED_COLUMNS,
    CellError,
    ComponentRecord,
    component_records,
    unescape,
)
from publishing import services as publishing
from publishing.models import Action, PublicationState, Revision
from publishing.workflow import Role, allowed, role_of

# Rows checked (and written) at a time: the components they name are read
# in one query per relation.
CHUNK_SIZE = 500
IMPORTED = tuple(column.name for column in BY_NAME.values() if column.imported)
EXPORT_ONLY = tuple(name for name in HEADER if name not in IMPORTED)
# Set from the related objects found by slug, or in their relation.
RELATED_MODELS = {
    "provider": Provider,
    "building_block": BuildingBlock,
    "domain": Domain,
    "collaboration_model": CollaborationModel,
}
REQUIRED_TO_CREATE = ("kind", "building_block", "domain")
# Checked here, from the slugs above; full_clean() would query each one.
NOT_CLEANED = (*RELATED_COLUMNS, "slug", *Component.RELATED_CHANGES)


class FileRefused(Exception):
    """The file as a whole cannot be read: encoding, header, emptiness."""


@dataclass(frozen=True)
class RowResult:
    line: int
    slug: str
    # "create", "update" (in place), "revise" (a revision), "unchanged"
    action: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejection:
    line: int
    slug: str
    reasons: tuple[str, ...]


@dataclass
class ImportReport:
    applied: bool
    publish: bool
    columns: tuple[str, ...]
    results: list[RowResult] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def ignored_columns(self) -> tuple[str, ...]:
        return tuple(name for name in self.columns if name in EXPORT_ONLY)

    @property
    def missing_columns(self) -> tuple[str, ...]:
        return tuple(name for name in IMPORTED if name not in self.columns)

    def count(self, action: str) -> int:
        return sum(result.action == action for result in self.results)


@dataclass
class _Row:
    line: int
    slug: str
    values: dict
    component: Component | None = None
    changed: tuple[str, ...] = ()
    reasons: list[str] = field(default_factory=list)


def import_catalogue(
    path: Path,
    *,
    actor,
    apply: bool = False,
    publish: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check the file at `path` row by row and, with `apply` and no row
    rejected, write it. Raises FileRefused when the file cannot be read."""
    if publish and role_of(actor, Component()) != Role.MODERATOR:
        raise FileRefused(
            "Only a moderator may publish: run it without --publish, so that "
            "a moderator reviews the changes."
        )
    total_lines = check_encoding(path)
    with path.open(encoding="utf-8-sig", newline="") as stream:
        first_line = stream.readline()
        stream.seek(0)
        # Spreadsheets in Belgian locales save with semicolons.
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(stream, delimiter=delimiter)
        columns = check_header(next(reader, None))
        report = ImportReport(applied=False, publish=publish, columns=columns)
        importer = _Importer(
            actor=actor, columns=columns, source=path.name, publish=publish
        )
        with transaction.atomic():
            for chunk in _chunks(_records(reader)):
                rows = importer.check(chunk)
                if (
                    apply
                    and not report.rejections
                    and not any(row.reasons for row in rows)
                ):
                    importer.write(rows)
                report.rejections += [
                    Rejection(row.line, row.slug, tuple(row.reasons))
                    for row in rows
                    if row.reasons
                ]
                report.results += [
                    RowResult(row.line, row.slug, importer.action(row), row.changed)
                    for row in rows
                    if not row.reasons
                ]
                if progress is not None:
                    progress(reader.line_num, total_lines)
            report.applied = apply and not report.rejections
            if not report.applied:
                transaction.set_rollback(True)
    return report


def check_encoding(path: Path) -> int:
    """Refuse a file that is not UTF-8, naming the line; returns the number
    of lines."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    last = b"\n"
    with path.open("rb") as stream:
        if stream.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise FileRefused(
                "The file is in UTF-16 (“Unicode text”): save it as “CSV UTF-8”."
            )
        stream.seek(0)
        while block := stream.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                line = lines + block[: error.start].count(b"\n") + 1
                raise FileRefused(
                    f"The file is not in UTF-8 (line {line}: byte "
                    f"0x{block[error.start]:02x}). Save it as “CSV UTF-8”, as "
                    "the catalogue's export is."
                ) from None
            lines += block.count(b"\n")
            last = block[-1:]
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileRefused(
                "The file is not in UTF-8: it ends in the middle of a character."
            ) from None
    # The last line may lack its line break.
    return lines + (last != b"\n")


def check_header(header: list[str] | None) -> tuple[str, ...]:
    if not header or not any(name.strip() for name in header):
        raise FileRefused("The file is empty: the first line must name the columns.")
    columns = tuple(name.strip() for name in header)
    expected = ", ".join(HEADER)
    unknown = [name for name in columns if name not in HEADER]
    if unknown:
        raise FileRefused(
            f"Unknown column(s) in the first line: {', '.join(map(repr, unknown))}. "
            f"The columns are those of the export: {expected}."
        )
    doubled = sorted({name for name in columns if columns.count(name) > 1})
    if doubled:
        raise FileRefused(f"Column(s) given twice: {', '.join(doubled)}.")
    if "slug" not in columns:
        raise FileRefused("The first line has no “slug” column: it names each row.")
    return columns


def _records(reader) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each row that is not blank."""
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileRefused(
            f"Line {line}: not a CSV row the import can read ({error})."
        ) from None


def _chunks(records: Iterator) -> Iterator[list]:
    chunk = []
    for record in records:
        chunk.append(record)
        if len(chunk) == CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Importer:
    def __init__(
        self, *, actor, columns: tuple[str, ...], source: str, publish: bool
    ) -> None:
        self.actor = actor
        self.publish = publish
        self.columns = columns
        self.reason = f"Imported from {source}"
        # Slug -> line, for duplicates anywhere in the file.
        self.seen: dict[str, int] = {}
        self.related = {
            name: {obj.slug: obj for obj in model.objects.all()}
            for name, model in RELATED_MODELS.items()
            if name in columns
        }
        self.tags = (
            set(Tag.objects.values_list("slug", flat=True)) if "tags" in columns else ()
        )
        self.organisations = (
            set(Provider.objects.values_list("slug", flat=True))
            if "organisations" in columns
            else ()
        )

    # Checking: nothing is written.

    def check(self, chunk: list[tuple[int, list[str]]]) -> list[_Row]:
        rows = [self._parse(line, cells) for line, cells in chunk]
        slugs = [row.slug for row in rows if row.slug]
        named = Component.objects.filter(slug__in=slugs)
        existing = {component.slug: component for component in named}
        # What the export would write of each: what its row is compared with.
        current = {record["slug"]: record for record in component_records(named)}
        open_revisions = set(
            Revision.objects.open()
            .filter(
                object_id__in=[c.pk for c in existing.values()],
                content_type__model="component",
                content_type__app_label="catalogue",
            )
            .values_list("object_id", flat=True)
        )
        for row in rows:
            if row.reasons:
                continue
            row.component = existing.get(row.slug)
            if row.component is None:
                self._check_new(row)
            else:
                self._check_change(
                    row,
                    current=_current_values(current[row.slug]),
                    has_open_revision=row.component.pk in open_revisions,
                )
        return rows

    def _parse(self, line: int, cells: list[str]) -> _Row:
        row = _Row(line=line, slug="", values={})
        if len(cells) != len(self.columns):
            row.reasons.append(
                f"{len(cells)} cells, but the first line names {len(self.columns)} "
                "columns (a cell with a comma, semicolon or line break must be "
                "in double quotes)"
            )
            return row
        for name, text in zip(self.columns, cells, strict=True):
            column = BY_NAME[name]
            if not column.imported:
                continue
            if "\x00" in text:
                row.reasons.append(f"{name}: contains a NUL character")
                continue
            try:
                row.values[name] = column.parse(unescape(text))
            except CellError as error:
                row.reasons.append(f"{name}: {error}")
        row.slug = row.values.get("slug") or cells[self.columns.index("slug")].strip()
        if row.slug in self.seen:
            row.reasons.append(
                f"slug {row.slug!r} is also on line {self.seen[row.slug]}: "
                "one row per component"
            )
        elif row.slug:
            self.seen[row.slug] = line
        for name, objects in self.related.items():
            value = row.values.get(name)
            if value is not None and value not in objects:
                row.reasons.append(
                    f"{name}: unknown {RELATED_MODELS[name]._meta.verbose_name} "
                    f"{value!r}"
                )
        unknown_tags = [
            tag for tag in row.values.get("tags", []) if tag not in self.tags
        ]
        if unknown_tags:
            row.reasons.append(f"tags: unknown tag(s) {', '.join(unknown_tags)}")
        unknown_organisations = [
            role["organisation"]
            for role in row.values.get("organisations", [])
            if role["organisation"] not in self.organisations
        ]
        if unknown_organisations:
            row.reasons.append(
                "organisations: unknown organisation(s) "
                f"{', '.join(unknown_organisations)}"
            )
        return row

    def _model_values(self, row: _Row, names) -> dict:
        """The row's values of `names` as the model takes them."""
        values = {}
        for name in names:
            value = row.values[name]
            if name in self.related:
                value = self.related[name].get(value)
            values[name] = value
        return values

    def _check_new(self, row: _Row) -> None:
        missing = [name for name in REQUIRED_TO_CREATE if not row.values.get(name)]
        if missing:
            row.reasons.append(
                f"missing required field(s) for a new component: {', '.join(missing)}"
            )
            return
        fields = [name for name in row.values if name not in Component.RELATED_CHANGES]
        candidate = Component(**self._model_values(row, fields))
        row.changed = tuple(name for name in row.values if name != "slug")
        self._validate(row, candidate)
        if not row.reasons and not allowed(
            Action.CREATE, actor=self.actor, entry=candidate
        ):
            row.reasons.append(
                "you may only create components of your own organisation"
            )

    def _check_change(
        self, row: _Row, *, current: dict, has_open_revision: bool
    ) -> None:
        component = row.component
        row.changed = tuple(
            name
            for name, value in row.values.items()
            if name != "slug" and value != current[name]
        )
        if not row.changed:
            return
        action = Action.PROPOSE_REVISION if component.is_public else Action.EDIT
        if not allowed(action, actor=self.actor, entry=component):
            if role_of(self.actor, component) in (Role.MODERATOR, Role.SUPPLIER):
                row.reasons.append(
                    f"the component is “{component.get_publication_state_display()}”"
                    ": it cannot be changed"
                )
            else:
                row.reasons.append("the component belongs to another organisation")
            return
        if component.is_public and has_open_revision and self.publish:
            row.reasons.append(
                "a revision of this component awaits review: decide it first"
            )
            return
        candidate = copy.copy(component)
        for name, value in self._model_values(
            row, [name for name in row.changed if name not in Component.RELATED_CHANGES]
        ).items():
            setattr(candidate, name, value)
        self._validate(row, candidate)

    def _validate(self, row: _Row, candidate: Component) -> None:
        if not any(
            getattr(candidate, f"name_{code}") and getattr(candidate, f"summary_{code}")
            for code in LANGUAGE_CODES
        ):
            row.reasons.append(
                "give the name and the summary in at least one language "
                "(name_nl and summary_nl, or fr, or en)"
            )
        for name in ("building_block", "domain"):
            if getattr(candidate, f"{name}_id") is None:
                row.reasons.append(f"{name}: required")
        try:
            candidate.full_clean(
                exclude=NOT_CLEANED, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            row.reasons += [
                f"{name}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            ]

    def action(self, row: _Row) -> str:
        if row.component is None:
            return "create"
        if not row.changed:
            return "unchanged"
        return "revise" if row.component.is_public else "update"

    # Writing: through the publishing services only.

    def write(self, rows: list[_Row]) -> None:
        """Write the checked rows; a refusal of the services rejects its row."""
        for row in rows:
            if not row.changed:
                continue
            try:
                with transaction.atomic():
                    self._write(row)
            except (ValidationError, PermissionDenied) as refusal:
                row.reasons += getattr(refusal, "messages", None) or [str(refusal)]

    def _write(self, row: _Row) -> None:
        related = {
            name: row.values[name]
            for name in Component.RELATED_CHANGES
            if name in row.changed
        }
        if row.component is None:
            fields = [
                name for name in row.values if name not in Component.RELATED_CHANGES
            ]
            entry = publishing.create(
                entry=Component(**self._model_values(row, fields)),
                related=related,
                actor=self.actor,
                submit=True,
            )
            if self.publish:
                publishing.move(
                    entry=entry,
                    action=Action.PUBLISH,
                    actor=self.actor,
                    reason=self.reason,
                )
            return
        changes = {
            **self._model_values(
                row,
                [name for name in row.changed if name not in Component.RELATED_CHANGES],
            ),
            **related,
        }
        outcome = publishing.change(
            entry=row.component, changes=changes, actor=self.actor, submit=True
        )
        if not self.publish:
            return
        if outcome.revision is not None:
            publishing.accept_revision(
                revision=outcome.revision, actor=self.actor, reason=self.reason
            )
        elif outcome.entry.publication_state == PublicationState.SUBMITTED:
            publishing.move(
                entry=outcome.entry,
                action=Action.PUBLISH,
                actor=self.actor,
                reason=self.reason,
            )


def _current_values(record: ComponentRecord) -> dict:
    """The component's value of each imported column, as parsing its own
    cell gives it: what a row is compared with."""
    values = {}
    for name in IMPORTED:
        column = BY_NAME[name]
        text = column.read(record, None)
        try:
            values[name] = column.parse("" if text is None else str(text))
        except CellError:
            # A value the import would refuse (an old licence, say): any
            # value in the file differs from it.
            values[name] = object()
    return values

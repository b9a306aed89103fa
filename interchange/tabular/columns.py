"""The catalogue's CSV shape: one row per component, its columns, how each
value is written into a cell and read back from one.

The export and the import both use this module, so a file the portal wrote
reads back unchanged; when the content model changes, only this module
follows it. Values are codes and slugs (`api`, `smals`), not labels, so that
a file reads back the same whatever the language it was exported in.

The columns read a component's record (component_records()), a dict of
plain values, not a model instance: at 100,000 components, making the
instances (each through django-modeltranslation's __init__, and one for
every tag, link and organisation role) cost most of the export's time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator, validate_slug
from django.db.models import F, OuterRef, QuerySet

from catalogue.licences import LICENCES
from catalogue.models import (
    Component,
    ComponentKind,
    ComponentLink,
    ComponentOrganisation,
    GovernmentLevel,
    Language,
    LifecycleStatus,
    LinkKind,
    OrganisationRole,
    Tag,
    json_rows,
)
from catalogue.search import LANGUAGE_CODES

if TYPE_CHECKING:
    from interchange.tabular.export import ExportContext

# Between the items of a list cell (tags, languages, organisations).
LIST_SEPARATOR = "; "
# A spreadsheet runs a cell that starts with one of these as a formula
# (OWASP "CSV injection"): such a cell is written behind an apostrophe, which
# the import removes again. So is a cell that already starts with an
# apostrophe and one of these (or a second apostrophe), so that every text
# reads back as it was; "'t Stad" is written as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"

TRANSLATED = ("name", "summary", "description")


class CellError(ValueError):
    """A cell's value the catalogue cannot take; the message says why."""


# One component as component_records() reads it: its fields by name, each
# related object's slug (`provider__slug`), and its tags, links and
# organisation roles as lists (`tag_slugs`, `link_rows`, `role_rows`).
ComponentRecord = dict[str, Any]


@dataclass(frozen=True)
class Column:
    name: str
    # The record's value for the cell (an export-only column may need the
    # `context`, e.g. to build an absolute URL).
    read: Callable[[ComponentRecord, Any], object]
    # The cell's text as the value the publishing services take, or None for
    # a column that is exported only.
    parse: Callable[[str], object] | None = None

    @property
    def imported(self) -> bool:
        return self.parse is not None


def _escaped(text: str) -> bool:
    return text.startswith(ESCAPE) and text[1:].startswith((*FORMULA_STARTS, ESCAPE))


def escape(text: str) -> str:
    if text.startswith(FORMULA_STARTS) or _escaped(text):
        return ESCAPE + text
    return text


def unescape(text: str) -> str:
    return text[1:] if _escaped(text) else text


def split_list(text: str) -> list[str]:
    """Items separated by `;` (or `,`, as people type them), blanks dropped."""
    return [item.strip() for item in text.replace(",", ";").split(";") if item.strip()]


# Values of the cells.


def clean_text(text: str) -> str:
    # Spreadsheets save line breaks inside cells as CRLF.
    return text.replace("\r\n", "\n").strip()


def choice(choices: type, *, default: str | None = None) -> Callable[[str], str]:
    values = [value for value, _label in choices.choices]

    def parse(text: str) -> str:
        text = clean_text(text)
        if not text and default is not None:
            return default
        if text not in values:
            raise CellError(
                f"unknown value {text!r}; use one of: {', '.join(values)}"
                if text
                else f"required; use one of: {', '.join(values)}"
            )
        return text

    return parse


def licence(text: str) -> str:
    text = clean_text(text)
    known = [identifier for identifier, _label in LICENCES]
    if text and text not in known:
        raise CellError(
            f"unknown licence {text!r}; use an SPDX identifier of: {', '.join(known)}"
        )
    return text


def languages(text: str) -> list[str]:
    codes = split_list(text)
    known = [value for value, _label in Language.choices]
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise CellError(
            f"unknown language {', '.join(unknown)}; use: {', '.join(known)}"
        )
    # In the order of the choices, each once: as the web form saves them.
    return [code for code in known if code in codes]


def email(text: str) -> str:
    text = clean_text(text)
    if text:
        try:
            EmailValidator()(text)
        except ValidationError:
            raise CellError(f"not an e-mail address: {text!r}") from None
    return text


def slug_list(text: str) -> list[str]:
    return sorted(set(split_list(text)))


def slug(text: str) -> str | None:
    return clean_text(text) or None


def key(text: str) -> str:
    """The component's slug: what matches a row to a component."""
    text = clean_text(text)
    if not text:
        raise CellError("required: the slug names the component")
    try:
        validate_slug(text)
    except ValidationError:
        raise CellError(
            f"{text!r} is not a slug (letters, digits, hyphens and underscores)"
        ) from None
    return text


# Links: one a line, "<kind> <url> [<language>] <title>", e.g.
# "documentation https://example.org/guide [fr] Guide d'utilisation".


def format_link(link: dict) -> str:
    parts = [link["kind"], link["url"]]
    if link["language"] or link["title"].startswith("["):
        parts.append(f"[{link['language']}]")
    if link["title"]:
        parts.append(link["title"])
    return " ".join(parts)


def links(text: str) -> list[dict]:
    parsed = []
    for line in filter(None, (line.strip() for line in clean_text(text).split("\n"))):
        kind, _space, rest = line.partition(" ")
        url, _space, rest = rest.strip().partition(" ")
        rest = rest.strip()
        language = ""
        if rest.startswith("[") and "]" in rest:
            language, _bracket, rest = rest[1:].partition("]")
            rest = rest.strip()
        parsed.append(_link(kind, url, language, rest, line))
    urls = [link["url"] for link in parsed]
    if len(set(urls)) != len(urls):
        raise CellError("a link appears twice")
    return parsed


def _link(kind: str, url: str, language: str, title: str, line: str) -> dict:
    kinds = [value for value, _label in LinkKind.choices]
    if kind not in kinds:
        raise CellError(
            f"link {line!r}: unknown kind {kind!r}; start the line with one of: "
            f"{', '.join(kinds)}"
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise CellError(f"link {line!r}: {url!r} is not an http(s) URL") from None
    if language and language not in Language.values:
        raise CellError(f"link {line!r}: unknown language {language!r}")
    return {"kind": kind, "url": url, "title": title, "language": language}


# The component's values, from its record.


def organisations_of(record: ComponentRecord) -> str:
    return LIST_SEPARATOR.join(
        f"{role['organisation']} ({role['role']}"
        f"{'' if role['confirmed'] else ', unconfirmed'})"
        for role in record["role_rows"]
    )


# "smals (developer); bosa (owner, unconfirmed)": whether an attribution is
# confirmed is the catalogue's to say, so the import reads past it.
ORGANISATION_ROLE = re.compile(
    r"(?P<organisation>[-\w]+)\s*\(\s*(?P<role>\w+)\s*(?:,\s*unconfirmed\s*)?\)"
)


def organisations(text: str) -> list[dict]:
    parsed = []
    for item in filter(None, (part.strip() for part in clean_text(text).split(";"))):
        match = ORGANISATION_ROLE.fullmatch(item)
        if match is None:
            raise CellError(
                f"{item!r}: write each organisation as “slug (role)”, e.g. "
                "“smals (developer)”, separated by semicolons"
            )
        if match["role"] not in OrganisationRole.values:
            raise CellError(
                f"{item!r}: unknown role {match['role']!r}; the roles are: "
                f"{', '.join(OrganisationRole.values)}"
            )
        entry = {"organisation": match["organisation"], "role": match["role"]}
        if entry in parsed:
            raise CellError(f"{item!r} appears twice")
        parsed.append(entry)
    return parsed


def record_value(name: str) -> Callable[[ComponentRecord, Any], object]:
    return lambda record, context: record[name]


# Related objects named by slug in a cell, and where to find them.
RELATED_COLUMNS = ("provider", "building_block", "domain", "collaboration_model")
# The fields read as they are (besides the related slugs and the lists).
RECORD_FIELDS = (
    "slug",
    *(f"{field}_{code}" for field in TRANSLATED for code in LANGUAGE_CODES),
    "acronym",
    "kind",
    "lifecycle_status",
    "government_level",
    "licence",
    "languages",
    "support_name",
    "support_email",
    "support_phone",
    "updated_at",
    "reuse_count",
)


def component_records(components: QuerySet) -> QuerySet:
    """Each of `components` as a ComponentRecord, in one query, in their
    order: the tags, links and organisation roles come as arrays in the
    component's own row."""
    return components.values(
        "pk",
        *RECORD_FIELDS,
        *(f"{name}__slug" for name in RELATED_COLUMNS),
        # Any annotation (a search's `relevance`): the query is
        # DISTINCT when a filter may repeat a component, and PostgreSQL
        # orders a DISTINCT query only by what it selects.
        *components.query.annotations,
        tag_slugs=ArraySubquery(
            Tag.objects.filter(components=OuterRef("pk")).order_by().values("slug")
        ),
        # In the order revisions compare them (Component.related_value).
        link_rows=ArraySubquery(
            json_rows(
                ComponentLink.objects.filter(component=OuterRef("pk")).order_by("pk"),
                list(Component.LINK_FIELDS),
            )
        ),
        role_rows=ArraySubquery(
            json_rows(
                ComponentOrganisation.objects.filter(component=OuterRef("pk")),
                ["role", "confirmed"],
                organisation=F("organisation__slug"),
            )
        ),
    )


def component_url(record: ComponentRecord, context: ExportContext) -> str:
    return context.absolute_url(Component.address_of(record["slug"]))


COLUMNS: tuple[Column, ...] = (
    Column("slug", record_value("slug"), key),
    *(
        Column(f"{field}_{code}", record_value(f"{field}_{code}"), clean_text)
        for field in TRANSLATED
        for code in LANGUAGE_CODES
    ),
    Column("acronym", record_value("acronym"), clean_text),
    Column("kind", record_value("kind"), choice(ComponentKind)),
    Column("provider", record_value("provider__slug"), slug),
    Column(
        "organisations",
        lambda record, context: organisations_of(record),
        organisations,
    ),
    Column("building_block", record_value("building_block__slug"), slug),
    Column("domain", record_value("domain__slug"), slug),
    Column(
        "lifecycle_status",
        record_value("lifecycle_status"),
        choice(LifecycleStatus, default=LifecycleStatus.NOT_STATED),
    ),
    Column(
        "government_level",
        record_value("government_level"),
        choice(GovernmentLevel, default=GovernmentLevel.FEDERAL),
    ),
    Column("collaboration_model", record_value("collaboration_model__slug"), slug),
    Column("licence", record_value("licence"), licence),
    Column(
        "languages",
        lambda record, context: LIST_SEPARATOR.join(record["languages"]),
        languages,
    ),
    Column(
        "tags",
        # Sorted by Python, not by the database, whose collation may order
        # slugs otherwise.
        lambda record, context: LIST_SEPARATOR.join(sorted(record["tag_slugs"])),
        slug_list,
    ),
    Column(
        "links",
        lambda record, context: "\n".join(map(format_link, record["link_rows"])),
        links,
    ),
    Column("support_name", record_value("support_name"), clean_text),
    # Shown on the component's page whenever it is given.
    Column("support_email", record_value("support_email"), email),
    Column("support_phone", record_value("support_phone"), clean_text),
    Column("url", component_url),
    Column("reuse_count", record_value("reuse_count")),
    Column(
        "modified",
        lambda record, context: record["updated_at"].isoformat(timespec="seconds"),
    ),
)
HEADER: tuple[str, ...] = tuple(column.name for column in COLUMNS)
BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}


def cell(value) -> str:
    if value is None:
        return ""
    return escape(str(value))


def row_of(record: ComponentRecord, context: ExportContext | None) -> list[str]:
    """The component's row, in HEADER's order."""
    return [cell(column.read(record, context)) for column in COLUMNS]

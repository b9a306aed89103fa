"""The catalogue as CSV, written row by row while it is sent: a hundred
thousand components never sit in memory, and the queries are the same few
whatever their number (the relations are read chunk by chunk)."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import quote_etag
from django.utils.translation import get_language

from catalogue.models import ComponentLink, ComponentOrganisation
from interchange.tabular.columns import HEADER, row_of
from reuse_portal.page_cache import catalogue_stamp

# Rows read, and sent, at a time: one query per relation per chunk.
CHUNK_SIZE = 500
# Spreadsheet programs read a file as UTF-8 (accents and all) only when it
# starts with the byte order mark.
BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
# Derived for search; never a column.
SEARCH_DATA = ("search_vector", "names_text", "related_terms")


@dataclass(frozen=True)
class ExportContext:
    """What the cells need besides the component: its page's full address."""

    absolute_url: Callable[[str], str]


def for_export(components: QuerySet) -> QuerySet:
    """Every column's data. `components` is a published, filtered and ordered
    queryset (for_listing() defers the long texts: they come back here)."""
    return (
        components.defer(None)
        .defer(*SEARCH_DATA)
        .select_related("provider", "building_block", "domain", "collaboration_model")
        .prefetch_related(
            "tags",
            # In the order revisions compare them (Component.related_value).
            Prefetch("links", queryset=ComponentLink.objects.order_by("pk")),
            Prefetch(
                "organisation_roles",
                queryset=ComponentOrganisation.objects.select_related("organisation"),
            ),
        )
    )


class _Echo:
    """A file for csv.writer that hands each line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def csv_text(components: QuerySet, context: ExportContext) -> Iterator[str]:
    """The BOM and the header, then one row per component, a chunk at a time."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(HEADER)
    lines = []
    for component in for_export(components).iterator(chunk_size=CHUNK_SIZE):
        lines.append(writer.writerow(row_of(component, context)))
        if len(lines) == CHUNK_SIZE:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def csv_response(components: QuerySet, request) -> StreamingHttpResponse:
    """The download of `components`, named after the day it was made."""
    response = StreamingHttpResponse(
        csv_text(components, ExportContext(request.build_absolute_uri)),
        content_type=CONTENT_TYPE,
    )
    filename = f"reuse-catalogue-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A streamed body gets no ETag from ConditionalGetMiddleware: this one
    # changes with any content change (the page cache's stamp), and the
    # middleware answers a matching If-None-Match with 304.
    address = f"{catalogue_stamp()} {get_language()} {request.get_full_path()}"
    response["ETag"] = quote_etag(hashlib.sha256(address.encode()).hexdigest())
    return response

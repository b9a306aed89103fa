"""The catalogue as CSV, written row by row while it is sent: a hundred
thousand components never sit in memory. Their order is read first, then
each chunk's records (columns.component_records()), by their ids."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import batched

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import quote_etag
from django.utils.translation import get_language

from interchange.tabular.columns import HEADER, component_records, row_of
from reuse_portal.page_cache import catalogue_stamp

# Rows read from the database's cursor, and sent, at a time.
CHUNK_SIZE = 500
# Spreadsheet programs read a file as UTF-8 (accents and all) only when it
# starts with the byte order mark.
BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class ExportContext:
    """What the cells need besides the component: its page's full address."""

    absolute_url: Callable[[str], str]


class _Echo:
    """A file for csv.writer that hands each line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def csv_text(components: QuerySet, context: ExportContext) -> Iterator[str]:
    """The BOM and the header, then one row per component, a chunk at a
    time. `components` is published, filtered and ordered, and has the
    reuse counts (for_listing()).

    Read in one sorted query, every record's lists (tags, links, roles) were
    made before the first row came: at 100,000 components the database
    answered after 4 s, and past the statement timeout on a busy server.
    The ids come sorted first; each chunk's records are then read by id."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(HEADER)
    # The annotations (reuse counts, a search's relevance) are selected too:
    # a query that is DISTINCT (a filter may repeat a component) is ordered
    # only by what it selects.
    ids = [
        row[0] for row in components.values_list("pk", *components.query.annotations)
    ]
    records = component_records(components.model.objects.for_listing())
    for chunk in batched(ids, CHUNK_SIZE):
        found = {record["pk"]: record for record in records.filter(pk__in=chunk)}
        yield "".join(
            [writer.writerow(row_of(found[pk], context)) for pk in chunk if pk in found]
        )


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

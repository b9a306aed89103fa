"""The catalogue as CSV, written row by row while it is sent: a hundred
thousand components never sit in memory, and one query reads them all, a
chunk at a time (columns.component_records())."""

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
    reuse counts (for_listing())."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(HEADER)
    rows = component_records(components).iterator(chunk_size=CHUNK_SIZE)
    for chunk in batched(rows, CHUNK_SIZE):
        yield "".join([writer.writerow(row_of(record, context)) for record in chunk])


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

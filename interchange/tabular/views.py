"""The catalogue's current result set as a CSV download: on the pages, and in
the API with the API's parameters, errors and throttles.

A download of the whole catalogue holds a worker thread for seconds (some 12
at 100,000 components), so downloads have limits of their own, counted in
the shared cache like every limit (reuse_portal/clients.py): EXPORT_RATE per
client, page and API together, signed in or not, and EXPORT_TOTAL_RATE for
all clients at once. Those count downloads started, not running: a few
clients may still start many at once, so EXPORT_CONCURRENCY bounds how many
run at once, and so the worker threads they hold, across every worker and
server (reuse_portal/shared_slots.py); past it, a 503 with Retry-After."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import Throttled
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer

from catalogue.api import LIST_PARAMETERS
from catalogue.filters import ComponentApiFilter, ComponentFilter
from catalogue.models import Component
from interchange.tabular.export import csv_response
from reuse_portal.clients import client_address, too_many_requests, window_counts
from reuse_portal.faults import unavailable
from reuse_portal.rest import PortalApiMixin
from reuse_portal.shared_slots import SharedSlots

DOWNLOADS_LIMITED = gettext_lazy(
    "The catalogue has been downloaded many times in a short time. Please "
    "wait a moment, then try again."
)

DOWNLOADS_BUSY = gettext_lazy(
    "Many people are downloading the catalogue just now. Please try again in a moment."
)
# The downloads running at once, and how long a refused client is told to
# wait: a whole catalogue takes some 12 s at 100,000 components.
RUNNING_DOWNLOADS = SharedSlots("catalogue-downloads")
BUSY_RETRY_AFTER = 15


def export_wait(request: HttpRequest) -> int | None:
    """Counts a download by `request`'s client: the seconds it must wait
    when past EXPORT_RATE or EXPORT_TOTAL_RATE (empty: no limit), else None."""
    if settings.EXPORT_RATE:
        wait = window_counts.wait(
            "exports", client_address(request), settings.EXPORT_RATE
        )
        if wait is not None:
            # Not counted in the total: one client cannot use up everyone's.
            return wait
    if settings.EXPORT_TOTAL_RATE:
        return window_counts.wait("exports-total", "all", settings.EXPORT_TOTAL_RATE)
    return None


def catalogue_csv(request: HttpRequest) -> HttpResponse:
    """What the catalogue page shows for the same query string, every page
    of it. As on the page, a filter value it does not know is left out and
    the others still apply."""
    wait = export_wait(request)
    if wait is not None:
        return too_many_requests(wait, str(DOWNLOADS_LIMITED))
    filterset = ComponentFilter(
        request.GET, queryset=Component.objects.for_listing(), request=request
    )
    return download(filterset.qs, request)


def download(components: QuerySet, request: HttpRequest) -> HttpResponse:
    """The CSV of `components`; a 304 while the client's copy is current;
    a 503 while EXPORT_CONCURRENCY downloads run (the slot taken is given
    back once the whole file is sent, or the client has gone)."""
    response = csv_response(components, request)
    # Answered before a slot is taken: a 304 (or a 412) reads nothing.
    conditional = get_conditional_response(
        request, etag=response["ETag"], response=response
    )
    if conditional is not response:
        return conditional
    if settings.EXPORT_CONCURRENCY and not RUNNING_DOWNLOADS.take(
        settings.EXPORT_CONCURRENCY
    ):
        return unavailable(request, DOWNLOADS_BUSY, retry_after=BUSY_RETRY_AFTER)
    return response


class ComponentCsvView(PortalApiMixin, GenericAPIView):
    """Published components as CSV (UTF-8 with a byte order mark), one row
    per component, every text in nl, fr and en: the same search (`q`),
    filters and `sort` as the component list, all of its pages at once.
    Downloads have a limit of their own, besides the API's: past it, 429
    with Retry-After. While EXPORT_CONCURRENCY downloads run, 503 with
    Retry-After."""

    queryset = Component.objects.for_listing()
    filterset_class = ComponentApiFilter
    pagination_class = None

    def perform_content_negotiation(self, request, force: bool = False) -> tuple:
        # The body is always CSV, whatever Accept says; only errors are
        # rendered, as the API's JSON problems.
        return JSONRenderer(), JSONRenderer.media_type

    def check_throttles(self, request) -> None:
        # The API's own throttles first: a request they refuse is not counted
        # as a download. Then the downloads' limit, which says why it refuses.
        super().check_throttles(request)
        wait = export_wait(request)
        if wait is not None:
            raise Throttled(wait, detail=str(DOWNLOADS_LIMITED))

    @extend_schema(
        operation_id="components_csv",
        tags=["components"],
        # Not a list view to drf-spectacular: its filters, named all the same.
        filters=True,
        parameters=LIST_PARAMETERS,
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description=(
                    "A header row, then one row per component; lists are "
                    "separated by `; `, links one per line."
                ),
            ),
            (503, "application/problem+json"): OpenApiResponse(
                description=(
                    "Too many downloads are running: try again after the "
                    "seconds that `Retry-After` gives."
                ),
            ),
        },
    )
    def get(self, request) -> HttpResponse:
        components = self.filter_queryset(self.get_queryset())
        return download(components, request)

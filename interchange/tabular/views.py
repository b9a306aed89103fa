"""The catalogue's current result set as a CSV download: on the pages, and in
the API with the API's parameters, errors and throttles.

A download of the whole catalogue holds a worker thread for seconds (some 12
at 100,000 components), so downloads have limits of their own, counted in
the shared cache like every limit (reuse_portal/clients.py): EXPORT_RATE per
client, page and API together, signed in or not, and EXPORT_TOTAL_RATE for
all clients at once, which bounds how many threads the downloads of many
clients can hold."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
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
from reuse_portal.rest import PortalApiMixin

DOWNLOADS_LIMITED = gettext_lazy(
    "The catalogue has been downloaded many times in a short time. Please "
    "wait a moment, then try again."
)


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
    return csv_response(filterset.qs, request)


class ComponentCsvView(PortalApiMixin, GenericAPIView):
    """Published components as CSV (UTF-8 with a byte order mark), one row
    per component, every text in nl, fr and en: the same search (`q`),
    filters and `sort` as the component list, all of its pages at once.
    Downloads have a limit of their own, besides the API's: past it, 429
    with Retry-After."""

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
            )
        },
    )
    def get(self, request) -> StreamingHttpResponse:
        components = self.filter_queryset(self.get_queryset())
        return csv_response(components, request)

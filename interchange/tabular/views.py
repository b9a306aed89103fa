"""The catalogue's current result set as a CSV download: on the pages, and in
the API with the API's parameters, errors and throttles."""

from django.http import HttpRequest, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer

from catalogue.api import LIST_PARAMETERS
from catalogue.filters import ComponentApiFilter, ComponentFilter
from catalogue.models import Component
from interchange.tabular.export import csv_response
from reuse_portal.rest import PortalApiMixin


def catalogue_csv(request: HttpRequest) -> StreamingHttpResponse:
    """What the catalogue page shows for the same query string, every page
    of it. As on the page, a filter value it does not know is left out and
    the others still apply."""
    filterset = ComponentFilter(
        request.GET, queryset=Component.objects.for_listing(), request=request
    )
    return csv_response(filterset.qs, request)


class ComponentCsvView(PortalApiMixin, GenericAPIView):
    """Published components as CSV (UTF-8 with a byte order mark), one row
    per component, every text in nl, fr and en: the same search (`q`),
    filters and `sort` as the component list, all of its pages at once."""

    queryset = Component.objects.for_listing()
    filterset_class = ComponentApiFilter
    pagination_class = None

    def perform_content_negotiation(self, request, force: bool = False) -> tuple:
        # The body is always CSV, whatever Accept says; only errors are
        # rendered, as the API's JSON problems.
        return JSONRenderer(), JSONRenderer.media_type

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

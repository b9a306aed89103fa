import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from catalogue.filters import slug_facet
from networks.models import Event, Network
from networks.serializers import EventSerializer, NetworkSerializer
from reuse_portal.rest import KeptListMixin, PortalApiMixin
from reuse_portal.schema import deprecated_ordering_parameter


class NetworkViewSet(KeptListMixin, PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    """Published networks: communities around a domain, their members and
    components."""

    # A page of 25 networks names every member and component of each: at
    # 100,000 components, 57 ms to read and write.
    kept_list_name = "api-network-list"

    queryset = Network.objects.for_api().order_by("slug")
    serializer_class = NetworkSerializer
    lookup_field = "slug"
    filter_backends = []


class EventFilter(django_filters.FilterSet):
    SORT_CHOICES = [("newest", _("Newest")), ("oldest", _("Oldest"))]
    # The API's old ?ordering=, kept for one release: the sort each value
    # stands for, and whether it runs the other way.
    ORDERING_ALIASES = {"-starts_at": ("newest", False), "starts_at": ("oldest", False)}

    network = slug_facet(_("Network"), "network", Network.objects.published())
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        method="filter_sort",
        empty_label=None,
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(value, value) for value in ORDERING_ALIASES], method="filter_sort"
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Applied in filter_queryset(), once for both parameters.
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        chosen = self.form.cleaned_data
        sort = chosen.get("sort")
        if not sort and chosen.get("ordering"):
            sort, _reverse = self.ORDERING_ALIASES[chosen["ordering"]]
        starts_at = "starts_at" if sort == "oldest" else "-starts_at"
        # pk last: events starting at the same time keep one order.
        return queryset.order_by(starts_at, "pk")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "sort",
                str,
                enum=[value for value, _label in EventFilter.SORT_CHOICES],
                description=(
                    "`newest` (the default): the latest start first; `oldest`: "
                    "the earliest first. Events that start together always come "
                    "in the same order."
                ),
            ),
            deprecated_ordering_parameter(EventFilter.ORDERING_ALIASES),
        ]
    )
)
class EventViewSet(PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    """Events of published networks, newest first."""

    queryset = (
        Event.objects.published().select_related("network").order_by("-starts_at", "pk")
    )
    serializer_class = EventSerializer
    filterset_class = EventFilter
    lookup_field = "slug"

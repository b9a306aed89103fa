import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from catalogue.filters import slug_facet
from networks.models import Event, Network
from networks.serializers import EventSerializer, NetworkSerializer
from reuse_portal.rest import PortalApiMixin


class NetworkViewSet(PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    """Published networks: communities around a domain, their members and
    components."""

    queryset = Network.objects.for_detail()
    serializer_class = NetworkSerializer
    lookup_field = "slug"
    filter_backends = []


class EventFilter(django_filters.FilterSet):
    network = slug_facet(_("Network"), "network", Network.objects.published())

    class Meta:
        model = Event
        fields: list[str] = []


class EventViewSet(PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    """Events of published networks, newest first."""

    queryset = (
        Event.objects.published().select_related("network").order_by("-starts_at", "pk")
    )
    serializer_class = EventSerializer
    filterset_class = EventFilter
    lookup_field = "slug"
    ordering_fields = ["starts_at"]

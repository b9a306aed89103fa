import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from catalogue.filters import slug_facet
from catalogue.models import Component
from networks.models import Event, Membership, Network
from networks.serializers import EventSerializer, NetworkSerializer
from reuse_portal.rest import PortalApiMixin


class NetworkViewSet(PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    queryset = (
        Network.objects.published()
        .select_related("domain", "coordinator")
        .prefetch_related(
            Prefetch("components", queryset=Component.objects.published()),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organisation"),
            ),
        )
    )
    serializer_class = NetworkSerializer
    lookup_field = "slug"
    filter_backends = []


class EventFilter(django_filters.FilterSet):
    network = slug_facet(_("Network"), "network", Network.objects.published())

    class Meta:
        model = Event
        fields: list[str] = []


class EventViewSet(PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    queryset = (
        Event.objects.published().select_related("network").order_by("-starts_at", "pk")
    )
    serializer_class = EventSerializer
    filterset_class = EventFilter
    lookup_field = "slug"
    ordering_fields = ["starts_at"]

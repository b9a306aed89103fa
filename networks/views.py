"""The public pages of the networks."""

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from catalogue.models import PublicationState
from networks.models import Event, Network


class NetworkListView(ListView):
    def get_queryset(self):
        return (
            Network.objects.published()
            .select_related("domain", "coordinator")
            .annotate(
                component_count=Count(
                    "components",
                    filter=Q(components__publication_state=PublicationState.PUBLISHED),
                    distinct=True,
                ),
                member_count=Count("memberships", distinct=True),
            )
            .order_by(Lower(f"name_{get_language()}"), "pk")
        )


class NetworkDetailView(DetailView):
    queryset = Network.objects.for_detail()

    def get_context_data(self, **kwargs) -> dict:
        events = Event.objects.filter(network=self.object)
        return super().get_context_data(
            upcoming_events=events.upcoming(), past_events=events.past(), **kwargs
        )

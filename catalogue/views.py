from django.views.generic import DetailView

from catalogue.models import Component


class ComponentDetailView(DetailView):
    queryset = Component.objects.for_detail()

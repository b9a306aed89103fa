"""The public pages of the catalogue."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from catalogue.filters import ComponentFilter
from catalogue.models import (
    BuildingBlock,
    CollaborationModel,
    Component,
    Provider,
    PublicationState,
    Reuse,
    key_figures,
)


class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs) -> dict:
        listing = Component.objects.for_listing()
        return super().get_context_data(
            figures=key_figures(),
            newest=listing.order_by("-published_at", "pk")[:6],
            most_reused=listing.filter(reuse_count__gt=0).order_by(
                "-reuse_count", "pk"
            )[:6],
            building_blocks=BuildingBlock.objects.with_published_component_count(),
            **kwargs,
        )


class ComponentListView(FilterView):
    filterset_class = ComponentFilter
    queryset = Component.objects.for_listing()
    paginate_by = 20
    # An invalid filter value is shown as an error beside the results of the
    # values that are valid, never a 500 and never an empty catalogue.
    strict = False
    page_missing = False

    def get_filterset_kwargs(self, filterset_class) -> dict:
        # Always bound, even to an empty query string: otherwise django-filter
        # skips filter_queryset() and the first page comes in another order.
        return {
            **super().get_filterset_kwargs(filterset_class),
            "data": self.request.GET,
        }

    def paginate_queryset(self, queryset, page_size: int) -> tuple:
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            # ?page=999: the catalogue with a way back, not the generic 404.
            self.page_missing = True
            return self.get_paginator(queryset, page_size), None, [], True

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        context["facets"] = filterset.facets()
        context["is_searching"] = filterset.is_searching
        context["page_missing"] = self.page_missing
        if filterset.is_searching and not context["paginator"].count:
            context["suggestions"] = Component.objects.published().closest_names(
                filterset.chosen()["q"]
            )
        return context

    def render_to_response(self, context: dict, **kwargs) -> HttpResponse:
        if self.page_missing:
            kwargs["status"] = 404
        return super().render_to_response(context, **kwargs)


class ComponentDetailView(DetailView):
    queryset = Component.objects.for_detail()


class ByNameInCurrentLanguage:
    """Order a list by its name in the language of the request."""

    def get_queryset(self):
        name = Lower(f"name_{get_language()}")
        return super().get_queryset().order_by(name, "pk")


class ProviderListView(ByNameInCurrentLanguage, ListView):
    queryset = (
        Provider.objects.with_published_component_count()
        .annotate(
            reuse_count=Count(
                "reuses",
                filter=Q(
                    reuses__publication_state=PublicationState.PUBLISHED,
                    reuses__component__publication_state=PublicationState.PUBLISHED,
                ),
                distinct=True,
            )
        )
        .filter(Q(published_component_count__gt=0) | Q(reuse_count__gt=0))
    )


class ProviderDetailView(DetailView):
    queryset = Provider.objects.prefetch_related(
        Prefetch("components", queryset=Component.objects.for_listing()),
        Prefetch(
            "reuses", queryset=Reuse.objects.published().select_related("component")
        ),
    )


class CollaborationModelListView(ListView):
    queryset = CollaborationModel.objects.prefetch_related(
        Prefetch(
            "components",
            queryset=Component.objects.published().select_related("provider"),
        )
    )


class BuildingBlockListView(ListView):
    queryset = BuildingBlock.objects.prefetch_related(
        Prefetch(
            "components",
            queryset=Component.objects.published().select_related("provider"),
        )
    )


@method_decorator(never_cache, name="dispatch")
class SubmissionListView(LoginRequiredMixin, ListView):
    """ "My submissions": the organisation's components under review, with
    the moderators' reasons and each one's history."""

    template_name = "catalogue/submission_list.html"
    paginate_by = 50

    def get_queryset(self):
        organisation = self.request.user.organisation_id
        if organisation is None:
            return Component.objects.none()
        return Component.objects.submissions_of(organisation)

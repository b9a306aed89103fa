"""The public pages of the catalogue."""

from collections.abc import Sequence
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from catalogue.filters import ComponentFilter, SearchPages, carries_a_search
from catalogue.forms import (
    ComponentForm,
    LinkFormSet,
    PubliccodeImportForm,
    submitted_links,
)
from catalogue.models import (
    BuildingBlock,
    CollaborationModel,
    Component,
    Provider,
    ReuseCase,
    key_figures,
)
from catalogue.rendered_pages import (
    ComponentPage,
    component_page,
    component_page_row,
    render_content,
)
from catalogue.search import MATCH_COUNT_CAP, thesaurus_suggestions
from interchange.publiccode.importer import import_publiccode
from publishing import services as publishing
from publishing.models import Action, PublicationState
from publishing.workflow import allowed
from reuse_portal.page_cache import (
    address_digest,
    cached_for_everyone,
    cached_for_visitors,
    cached_for_visitors_by_each_process,
    cached_for_visitors_shared_unless,
    in_this_process_until_content_changes,
    read_together,
    until_content_changes,
)
from reuse_portal.pagination import CountedPaginator


@method_decorator(cached_for_visitors, name="dispatch")
class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs) -> dict:
        # The same for every visitor, signed in or not: rendered once per
        # language and change.
        return super().get_context_data(
            content=until_content_changes(
                f"home:{get_language()}:{get_script_prefix()}", self.render_content
            ),
            **kwargs,
        )

    @staticmethod
    def render_content() -> str:
        listing = Component.objects.for_cards()
        # Counted over the whole catalogue, and the same in every language.
        context = {
            "figures": until_content_changes("key-figures", key_figures),
            "newest": until_content_changes(
                "newest", lambda: list(listing.newest()[:6])
            ),
            "most_reused": until_content_changes(
                "most-reused", lambda: list(listing.most_reused(6))
            ),
            "building_blocks": until_content_changes(
                "building-block-counts",
                lambda: list(BuildingBlock.objects.with_published_component_count()),
            ),
        }
        return render_to_string("catalogue/includes/home_content.html", context)


# A page of a search's results, as the catalogue page's cards show it.
SEARCH_PAGES = SearchPages(Component.objects.for_cards(), page_size=20)


@method_decorator(
    cached_for_visitors_shared_unless(lambda request: carries_a_search(request.GET)),
    name="dispatch",
)
class ComponentListView(FilterView):
    filterset_class = ComponentFilter
    queryset = SEARCH_PAGES.rows
    paginate_by = SEARCH_PAGES.page_size
    # Named, so that neither is found from the results, which would build
    # their query.
    template_name = "catalogue/component_filter.html"
    context_object_name = "component_list"
    page_missing = False

    def get_template_names(self) -> list[str]:
        return [self.template_name]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.filterset = self.get_filterset(self.filterset_class)
        # An invalid filter value is shown as an error beside the results of
        # the values that are valid, never a 500 and never an empty
        # catalogue. The results are built only if the page shows them.
        self.object_list = SimpleLazyObject(lambda: self.filterset.qs)
        # What the page keeps in the shared cache (nothing for a search), read
        # and written together.
        shared = [*self.filterset.kept_names(), self.results_name]
        with read_together([] if self.filterset.kept_by_each_process else shared):
            context = self.get_context_data(
                filter=self.filterset, object_list=self.object_list
            )
        return self.render_to_response(context)

    def get_filterset_kwargs(self, filterset_class) -> dict:
        # Always bound, even to an empty query string: otherwise django-filter
        # skips filter_queryset() and the first page comes in another order.
        return {
            **super().get_filterset_kwargs(filterset_class),
            "data": self.request.GET,
        }

    def get_paginator(self, queryset, per_page: int, **kwargs) -> Paginator:
        return CountedPaginator(
            queryset,
            per_page,
            count=self.filterset.counts()["results"],
            rows=self.queryset,
            read=partial(SEARCH_PAGES.read, self.filterset, per_page=per_page),
            **kwargs,
        )

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
        context["match_count"] = filterset.counts()["matches"]
        context["match_count_cap"] = MATCH_COUNT_CAP
        # The same for every visitor, signed in or not: the facets, the
        # page's rows and their cards are read and rendered once per query
        # string and change (a search's, once in each process).
        context["results"] = until_content_changes(
            self.results_name,
            lambda: self.render_results(context),
            shared=not filterset.kept_by_each_process,
        )
        return context

    @cached_property
    def results_name(self) -> str:
        return f"catalogue-results:{address_digest(self.request)}"

    def render_results(self, context: dict) -> str:
        filterset = context["filter"]
        if filterset.is_searching and not context["paginator"].count:
            typed = filterset.chosen()["q"]
            context["suggestions"] = Component.objects.published().closest_names(typed)
            context["related_searches"] = thesaurus_suggestions(typed)
        return render_to_string(
            "catalogue/includes/catalogue_results.html", context, self.request
        )

    def render_to_response(self, context: dict, **kwargs) -> HttpResponse:
        if self.page_missing:
            kwargs["status"] = 404
        return super().render_to_response(context, **kwargs)


@method_decorator(cached_for_visitors_by_each_process, name="dispatch")
class ComponentDetailView(DetailView):
    template_name = "catalogue/component_detail.html"
    context_object_name = "component"

    def get_object(self, queryset=None) -> ComponentPage:
        # Kept by the process until the catalogue changes, for signed-in
        # visitors too. A slug that is not published raises Http404 and
        # keeps nothing.
        slug = self.kwargs[self.slug_url_kwarg]
        return in_this_process_until_content_changes(
            f"component-page:{get_language()}:{get_script_prefix()}:{slug}",
            lambda: self.stored_or_rendered(slug),
        )

    @staticmethod
    def stored_or_rendered(slug: str) -> ComponentPage:
        try:
            return component_page(slug)
        except Component.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs) -> dict:
        page = self.object
        organisation = getattr(self.request.user, "organisation_id", None)
        if organisation and organisation == page.provider_id:
            # Its own organisation may propose a change: the row is read again.
            content = render_content(component_page_row(page.slug), is_owner=True)
        else:
            content = page.content
        return super().get_context_data(content=content, **kwargs)

    def render_to_response(self, context: dict, **kwargs) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        response["Link"] = self.object.link
        return response


class ProviderDirectory(Sequence):
    """The organisations the providers page lists, by their names in the
    current language. Which of them take part, and in what order, is read
    once per change of the content: at 100,000 components, finding them
    among 4,000 organisations takes 60 ms. A page's rows and counts are
    then read for that page only, whatever its number."""

    def __init__(self) -> None:
        self.ids = until_content_changes(
            f"provider-directory:{get_language()}",
            lambda: list(
                Provider.objects.in_directory().by_name().values_list("pk", flat=True)
            ),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: slice) -> list[Provider]:
        ids = self.ids[index]
        found = Provider.objects.with_directory_counts().in_bulk(ids)
        # One removed since the order was read is left out.
        return [found[pk] for pk in ids if pk in found]


@method_decorator(cached_for_everyone, name="dispatch")
class ProviderListView(ListView):
    context_object_name = "provider_list"
    template_name = "catalogue/provider_list.html"
    paginate_by = 50
    # A last page of a few rows joins the one before it.
    paginate_orphans = 10

    def get_queryset(self) -> ProviderDirectory:
        return ProviderDirectory()


@method_decorator(cached_for_everyone, name="dispatch")
class ProviderDetailView(DetailView):
    queryset = Provider.objects.for_profile()


@method_decorator(cached_for_everyone, name="dispatch")
class ReuseCaseListView(ListView):
    queryset = ReuseCase.objects.for_directory()
    paginate_by = 20
    paginate_orphans = 5


@method_decorator(cached_for_everyone, name="dispatch")
class ReuseCaseDetailView(DetailView):
    queryset = ReuseCase.objects.for_listing().select_related("quote_organisation")


# How many components the blocks' and the models' pages name for each; the
# catalogue, filtered by the block or model, lists them all.
COMPONENTS_NAMED_PER_GROUP = 10


@method_decorator(cached_for_everyone, name="dispatch")
class CollaborationModelListView(ListView):
    queryset = CollaborationModel.objects.for_overview(COMPONENTS_NAMED_PER_GROUP)


@method_decorator(cached_for_everyone, name="dispatch")
class BuildingBlockListView(ListView):
    queryset = BuildingBlock.objects.for_overview(COMPONENTS_NAMED_PER_GROUP)


@method_decorator(never_cache, name="dispatch")
class SubmissionListView(LoginRequiredMixin, ListView):
    """ "My submissions": every component of the organisation, whatever its
    state, with the moderators' reasons and each one's history."""

    template_name = "catalogue/submission_list.html"
    paginate_by = 50

    def get_queryset(self):
        organisation = self.request.user.organisation_id
        if organisation is None:
            return Component.objects.none()
        return Component.objects.submissions_of(organisation)


@never_cache
@login_required
def propose_component(request: HttpRequest) -> HttpResponse:
    """A supplier's new component: saved as a draft, previewed, or submitted."""
    return _component_form(request, component=None)


@never_cache
@login_required
def edit_component(request: HttpRequest, slug: str) -> HttpResponse:
    """A supplier's own component: changed in place until it is published,
    then through a revision that a moderator accepts."""
    component = get_object_or_404(
        Component.objects.filter(provider=request.user.organisation_id or 0),
        slug=slug,
    )
    return _component_form(request, component=component)


def _component_form(request: HttpRequest, *, component) -> HttpResponse:
    user = request.user
    action = request.POST.get("action", "draft")
    # A publiccode.yml file has a form of its own on the page.
    importing = request.method == "POST" and action == "import"
    posted = request.POST if request.method == "POST" and not importing else None
    import_form = PubliccodeImportForm(
        request.POST if importing else None, request.FILES if importing else None
    )
    if importing and import_form.is_valid():
        try:
            imported = import_publiccode(
                import_form.document, actor=user, target=component
            )
        except (ValidationError, PermissionDenied) as refusal:
            import_form.add_refusal(refusal)
        else:
            return _imported(request, imported)
    form = ComponentForm(
        posted,
        request.FILES if posted is not None else None,
        instance=component or Component(provider_id=user.organisation_id),
    )
    links = LinkFormSet(
        posted,
        prefix="links",
        initial=component.related_value("links") if component else None,
    )
    preview = None
    if posted is not None and form.is_valid() and links.is_valid():
        try:
            changes = {**form.changes(), "links": submitted_links(links)}
            if action == "preview":
                preview = changes
            else:
                _save_component(component, form, changes, user, action == "submit")
                messages.success(request, _("Saved. Its state is in your list."))
                return redirect("catalogue:submission-list")
        except (ValidationError, PermissionDenied) as refusal:
            form.add_error(None, getattr(refusal, "messages", [str(refusal)]))
    has_errors = (
        bool(form.errors)
        or (posted is not None and not links.is_valid())
        or bool(import_form.errors)
    )
    return render(
        request,
        "catalogue/component_form.html",
        {
            "form": form,
            "import_form": import_form,
            "links": links,
            "has_errors": has_errors,
            "component": component,
            "preview": preview,
            "preview_component": form.instance if preview else None,
            "can_edit": _can_edit(user, component),
        },
        # Errors answer 400, so that tools and tests see them too.
        status=400 if has_errors else 200,
    )


def _imported(request: HttpRequest, imported) -> HttpResponse:
    """After a publiccode.yml import: the draft to review and submit, or,
    for a published component, the list where its revision waits."""
    for warning in imported.warnings:
        messages.warning(request, warning)
    if imported.revision is not None:
        messages.success(
            request, _("Imported: the changes are sent to the moderators.")
        )
        return redirect("catalogue:submission-list")
    if imported.component.publication_state == PublicationState.DRAFT:
        messages.success(
            request, _("Imported as a draft: check it, then submit it for review.")
        )
    else:
        messages.success(request, _("Imported: check the changes."))
    return redirect("catalogue:component-edit", slug=imported.component.slug)


def _save_component(component, form, changes: dict, user, submit: bool) -> None:
    if component is not None:
        changes["logo"] = form.stored_logo()
        publishing.change(entry=component, changes=changes, actor=user, submit=submit)
        return
    entry = form.instance
    entry.slug = Component.objects.free_slug(form.first_name)
    related = {
        name: changes[name] for name in Component.RELATED_CHANGES if name in changes
    }
    publishing.create(entry=entry, related=related, actor=user, submit=submit)


def _can_edit(user, component) -> bool:
    if user.organisation_id is None:
        return False
    if component is None:
        return True
    return any(
        allowed(action, actor=user, entry=component)
        for action in (Action.EDIT, Action.PROPOSE_REVISION)
    )

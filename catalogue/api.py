"""The catalogue's API resources: read for everyone, writes for suppliers."""

from functools import partial

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.filters import (
    ComponentApiFilter,
    ComponentFilter,
    SearchPages,
    carries_a_search,
)
from catalogue.models import (
    BuildingBlock,
    CollaborationModel,
    Component,
    Domain,
    Provider,
    ReuseCase,
    key_figures,
)
from catalogue.rendered_pages import component_page_row
from catalogue.serializers import (
    BuildingBlockSerializer,
    CollaborationModelSerializer,
    ComponentSerializer,
    ComponentSubmissionSerializer,
    ComponentSummarySerializer,
    DomainSummarySerializer,
    FacetSerializer,
    ProviderSerializer,
    ReuseCaseSerializer,
    RevisionSerializer,
    StatsSerializer,
    SubmissionSerializer,
)
from interchange.publiccode import api as publiccode
from publishing import services as publishing
from reuse_portal.page_cache import until_content_changes
from reuse_portal.pagination import CountedPaginator
from reuse_portal.rest import (
    ContentPagination,
    ContentPaginator,
    FilterSetOnView,
    KeptListMixin,
    PortalApiMixin,
)
from reuse_portal.schema import deprecated_ordering_parameter

INCLUDE_PARAMETER = OpenApiParameter(
    "include",
    str,
    enum=["translations"],
    description=(
        "`translations`: also every name and text in all three languages, under "
        "`translations`; without it, `translations` is null."
    ),
)
SORT_PARAMETER = OpenApiParameter(
    "sort",
    str,
    enum=[value for value, _label in ComponentFilter.SORT_CHOICES],
    description=(
        "The order of the results, as on the catalogue page: `relevance` (the "
        "default when searching with `q`; without `q`, by name), `name`, "
        "`newest` (last published first) or `most_reused`. Results that tie "
        "always come in the same order, so pages never overlap or skip one."
    ),
)
LIST_PARAMETERS = [
    SORT_PARAMETER,
    deprecated_ordering_parameter(ComponentApiFilter.ORDERING_ALIASES),
]


# A page of a search's results, as the list shows each component.
SEARCH_PAGES = SearchPages(
    Component.objects.for_listing().select_related("collaboration_model"),
    page_size=ContentPagination.page_size,
)


class IsSupplier(permissions.BasePermission):
    """Writes need a token whose user belongs to an organisation. What they
    may do to a component, the publishing services decide."""

    message = _("Your account is not linked to an organisation.")

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.organisation_id)


@extend_schema_view(
    list=extend_schema(
        parameters=[*LIST_PARAMETERS, INCLUDE_PARAMETER],
        responses=ComponentSummarySerializer(many=True),
    ),
    retrieve=extend_schema(parameters=[INCLUDE_PARAMETER]),
    create=extend_schema(
        request={
            "application/json": ComponentSubmissionSerializer,
            # A publiccode.yml file (interchange.publiccode): "*/yaml".
            **dict.fromkeys(publiccode.MEDIA_TYPES, OpenApiTypes.BINARY),
        },
        responses={
            201: ComponentSubmissionSerializer,
            200: ComponentSubmissionSerializer,
            202: RevisionSerializer,
        },
    ),
    partial_update=extend_schema(
        request=ComponentSubmissionSerializer,
        responses={200: ComponentSubmissionSerializer, 202: RevisionSerializer},
    ),
)
class ComponentViewSet(
    KeptListMixin,
    PortalApiMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Published components: search (`q`), facets and sorting (`sort`) as on
    the pages.

    With a token, suppliers submit new components and change their
    organisation's: nothing they send is public before a moderator accepts
    it. A change to a published component is held as a revision (202).
    """

    queryset = Component.objects.for_detail()
    serializer_class = ComponentSerializer
    filterset_class = ComponentApiFilter
    filter_backends = [FilterSetOnView]
    pagination_class = ContentPagination
    kept_list_name = "api-component-list"
    lookup_field = "slug"
    http_method_names = ["get", "head", "options", "post", "patch"]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsSupplier]

    def get_queryset(self):
        if self.action in ("list", "facets"):
            return SEARCH_PAGES.rows.all()
        # One component, or a write: the organisation's own unpublished
        # entries too; other organisations' stay invisible (404).
        return Component.objects.for_owner_detail(self.request.user)

    def kept_by_each_process(self, request) -> bool:
        # A search's answer and count, as on the catalogue page
        # (ComponentFilter.kept_by_each_process): most searches are made
        # once, and a crawler's would push out of the shared cache what
        # every list reads.
        return carries_a_search(request.query_params)

    def paginator_for(self, results: QuerySet, per_page: int) -> Paginator:
        """A search's pages as the catalogue page reads them: counted by its
        filters, from its candidates (kept by each process, as its answer),
        and read by a query compiled once per sort and page (SEARCH_PAGES).
        Building and compiling the count's query and the page's took most of
        a new search's time (at 100,000 components, 125 searches a second,
        20% of L3). Other lists are counted once per change of the content
        (ContentPaginator)."""
        filterset = self.filterset
        if not filterset.is_searching:
            return ContentPaginator(results, per_page)
        return CountedPaginator(
            results,
            per_page,
            count=filterset.value_counts()["results"],
            rows=SEARCH_PAGES.rows,
            read=partial(SEARCH_PAGES.read, filterset, per_page=per_page),
        )

    def get_object(self) -> Component:
        # A published component reads as its page does: one query, compiled
        # once per process, its lists in its row. Anything else (a write, or
        # an organisation's own unpublished entry) takes the general way.
        if self.action == "retrieve":
            try:
                component = component_page_row(self.kwargs[self.lookup_field])
            except Component.DoesNotExist:
                pass
            else:
                self.check_object_permissions(self.request, component)
                self.note_last_modified([component])
                return component
        return super().get_object()

    def get_serializer_class(self):
        if self.action == "list":
            return ComponentSummarySerializer
        if self.request.method in permissions.SAFE_METHODS:
            return ComponentSerializer
        return ComponentSubmissionSerializer

    def get_parsers(self) -> list:
        parsers = super().get_parsers()
        if getattr(self, "request", None) is not None and self.request.method == "POST":
            # A new component may also come as a publiccode.yml file.
            parsers += [
                publiccode.PubliccodeParser(),
                publiccode.LegacyPubliccodeParser(),
            ]
        return parsers

    def create(self, request, *args, **kwargs) -> Response:
        if isinstance(request.data, publiccode.Upload):
            return publiccode.create(self, request)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        fields = dict(serializer.validated_data)
        related = {
            name: fields.pop(name)
            for name in Component.RELATED_CHANGES
            if name in fields
        }
        serializer.instance = publishing.create(
            entry=Component(
                **fields,
                slug=Component.objects.free_slug(fields["name_nl"]),
                provider_id=self.request.user.organisation_id,
            ),
            related=related,
            actor=self.request.user,
            submit=True,
        )

    def get_success_headers(self, data) -> dict:
        return {"Location": reverse("api:component-detail", args=[data["slug"]])}

    def partial_update(self, request, slug: str) -> Response:
        component = self.get_object()
        serializer = self.get_serializer(component, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        outcome = publishing.change(
            entry=component,
            changes=serializer.validated_data,
            actor=request.user,
            submit=True,
        )
        if outcome.revision is not None:
            return Response(RevisionSerializer(outcome.revision).data, status=202)
        return Response(self.get_serializer(outcome.entry).data)

    @extend_schema(responses=FacetSerializer(many=True), parameters=LIST_PARAMETERS)
    @action(detail=False, pagination_class=None)
    def facets(self, request):
        """Each facet's values and their counts under the given search and filters."""
        filterset = self.filterset_class(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return Response(
            FacetSerializer(filterset.facets(values_shown=None), many=True).data
        )


class SubmissionViewSet(PortalApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your organisation's components in every state: drafts, submissions,
    changes requested, rejections, published ones and their revisions, each
    with the moderators' last reason. Needs a token."""

    serializer_class = SubmissionSerializer
    permission_classes = [permissions.IsAuthenticated, IsSupplier]
    filter_backends = []

    def get_queryset(self):
        return Component.objects.submissions_of(self.request.user.organisation_id)


class DomainViewSet(PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    """Policy domains: the values of a component's `domain`."""

    queryset = Domain.objects.order_by("position", "slug")
    serializer_class = DomainSummarySerializer
    lookup_field = "slug"
    filter_backends = []


class ProviderViewSet(KeptListMixin, PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    """Institutions that offer components, with their published component count."""

    # Each page counts the published components of its 25 providers: at
    # 100,000 components, 7 ms a request. Kept until the catalogue changes.
    kept_list_name = "api-provider-list"

    queryset = Provider.objects.with_published_component_count().order_by("slug")
    serializer_class = ProviderSerializer
    lookup_field = "slug"
    filter_backends = []


class BuildingBlockViewSet(
    KeptListMixin, PortalApiMixin, viewsets.ReadOnlyModelViewSet
):
    """The building blocks that classify components."""

    kept_list_name = "api-buildingblock-list"

    queryset = BuildingBlock.objects.with_published_component_count().order_by(
        "family", "position", "slug"
    )
    serializer_class = BuildingBlockSerializer
    lookup_field = "slug"
    filter_backends = []


class CollaborationModelViewSet(
    KeptListMixin, PortalApiMixin, viewsets.ReadOnlyModelViewSet
):
    """How institutions share a component: organic, sponsored or co-financed."""

    kept_list_name = "api-collaborationmodel-list"

    queryset = CollaborationModel.objects.with_published_component_count().order_by(
        "position", "slug"
    )
    serializer_class = CollaborationModelSerializer
    lookup_field = "slug"
    filter_backends = []


class ReuseCaseViewSet(KeptListMixin, PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    """Published reuse cases: projects that reused catalogue components,
    with the components and the reusing organisations."""

    kept_list_name = "api-reusecase-list"

    queryset = ReuseCase.objects.for_listing().order_by("-year", "slug")
    serializer_class = ReuseCaseSerializer
    lookup_field = "slug"
    filter_backends = []


class StatsView(PortalApiMixin, APIView):
    """The key figures of the home page, from published data only."""

    @extend_schema(responses=StatsSerializer)
    def get(self, request):
        figures = until_content_changes("key-figures", key_figures)
        return Response(StatsSerializer(figures).data)

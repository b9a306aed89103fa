"""The catalogue's API resources: read for everyone, writes for suppliers."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue import services
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
from catalogue.serializers import (
    BuildingBlockSerializer,
    CollaborationModelSerializer,
    ComponentSerializer,
    ComponentSubmissionSerializer,
    FacetSerializer,
    ProviderSerializer,
    ReuseSerializer,
    RevisionSerializer,
    StatsSerializer,
)
from reuse_portal.rest import PortalApiMixin


class IsSupplier(permissions.BasePermission):
    """Writes need a token whose user belongs to an organisation; a component
    can only be changed by its own organisation."""

    message = _("Your account is not linked to an organisation.")

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.organisation_id)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        self.message = _("This component belongs to another organisation.")
        return obj.provider_id == request.user.organisation_id


@extend_schema_view(
    create=extend_schema(
        request=ComponentSubmissionSerializer,
        responses={201: ComponentSubmissionSerializer},
    ),
    partial_update=extend_schema(
        request=ComponentSubmissionSerializer,
        responses={200: ComponentSubmissionSerializer, 202: RevisionSerializer},
    ),
)
class ComponentViewSet(
    PortalApiMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Published components: search (`q`), facets and ordering as on the pages.

    With a token, suppliers submit new components and change their
    organisation's: nothing they send is public before a moderator accepts
    it. A change to a published component is held as a revision (202).
    """

    queryset = Component.objects.for_detail()
    serializer_class = ComponentSerializer
    filterset_class = ComponentFilter
    lookup_field = "slug"
    ordering_fields = ["name", "updated_at", "reuse_count"]
    http_method_names = ["get", "head", "options", "post", "patch"]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsSupplier]

    def get_queryset(self):
        if self.request.method in permissions.SAFE_METHODS:
            return super().get_queryset()
        # Writes see the published catalogue and the organisation's own entries;
        # other organisations' unpublished entries stay invisible (404).
        return Component.objects.filter(
            Q(publication_state=PublicationState.PUBLISHED)
            | Q(provider_id=self.request.user.organisation_id)
        )

    def get_serializer_class(self):
        if self.request.method in permissions.SAFE_METHODS:
            return ComponentSerializer
        return ComponentSubmissionSerializer

    def perform_create(self, serializer) -> None:
        serializer.instance = services.submit_component(
            data=serializer.validated_data, by=self.request.user
        )

    def partial_update(self, request, slug: str) -> Response:
        component = self.get_object()
        serializer = self.get_serializer(component, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if component.is_public:
            revision = services.propose_revision(
                component=component, data=serializer.validated_data, by=request.user
            )
            return Response(RevisionSerializer(revision).data, status=202)
        component = services.resubmit_component(
            component=component, data=serializer.validated_data, by=request.user
        )
        return Response(self.get_serializer(component).data)

    @extend_schema(responses=FacetSerializer(many=True))
    @action(detail=False, pagination_class=None)
    def facets(self, request):
        """Each facet's values and their counts under the given search and filters."""
        filterset = self.filterset_class(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return Response(FacetSerializer(filterset.facets(), many=True).data)


class ProviderViewSet(PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Provider.objects.with_published_component_count().order_by("slug")
    serializer_class = ProviderSerializer
    lookup_field = "slug"
    filter_backends = []


class BuildingBlockViewSet(PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    queryset = BuildingBlock.objects.with_published_component_count()
    serializer_class = BuildingBlockSerializer
    lookup_field = "slug"
    filter_backends = []


class CollaborationModelViewSet(PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    queryset = CollaborationModel.objects.with_published_component_count()
    serializer_class = CollaborationModelSerializer
    lookup_field = "slug"
    filter_backends = []


class ReuseViewSet(PortalApiMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Reuse.objects.published().select_related("component", "organisation")
    serializer_class = ReuseSerializer
    filter_backends = []


class StatsView(PortalApiMixin, APIView):
    """The key figures of the home page, from published data only."""

    @extend_schema(responses=StatsSerializer)
    def get(self, request):
        return Response(StatsSerializer(key_figures()).data)

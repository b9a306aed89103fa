"""The public API, version 1. A change that breaks clients goes to /api/v2/."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from catalogue import api as catalogue_api
from networks import api as networks_api
from reuse_portal.docs import SchemaView, api_docs
from reuse_portal.rest import api_not_found

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.register("components", catalogue_api.ComponentViewSet, basename="component")
router.register("providers", catalogue_api.ProviderViewSet, basename="provider")
router.register("networks", networks_api.NetworkViewSet, basename="network")
router.register("events", networks_api.EventViewSet, basename="event")
router.register(
    "building-blocks", catalogue_api.BuildingBlockViewSet, basename="buildingblock"
)
router.register(
    "collaboration-models",
    catalogue_api.CollaborationModelViewSet,
    basename="collaborationmodel",
)
router.register("reuse-cases", catalogue_api.ReuseCaseViewSet, basename="reuse-case")
router.register("domains", catalogue_api.DomainViewSet, basename="domain")
router.register("submissions", catalogue_api.SubmissionViewSet, basename="submission")

urlpatterns = [
    path("stats/", catalogue_api.StatsView.as_view(), name="stats"),
    path("schema/", SchemaView.as_view(), name="schema"),
    # Under the site-wide CSP: Swagger UI sets its styles through the CSSOM,
    # which style-src does not govern, and its script comes from a file.
    path("docs/", api_docs, name="docs"),
    # Before the router: publiccode.yml, DCAT-AP and CSV representations.
    path("", include("interchange.api_urls")),
    path("", include(router.urls)),
    # [\s\S]: a path with a newline in it is still an unknown API path.
    re_path(r"^(?P<unknown>[\s\S]*)$", api_not_found),
]

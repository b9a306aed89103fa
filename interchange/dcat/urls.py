# Language-prefixed pages, and paths under /api/v1/ (reuse_portal/api.py).
from django.urls import path, re_path

from interchange.dcat import views

EXTENSIONS = "ttl|jsonld|rdf"

page_patterns: list = []
api_patterns: list = [
    # /api/v1/catalogue (content negotiation) and .ttl, .jsonld, .rdf.
    re_path(
        rf"^catalogue(?:\.(?P<extension>{EXTENSIONS}))?$",
        views.catalogue,
        name="dcat-catalogue",
    ),
    re_path(
        rf"^components/(?P<slug>[-\w]+)\.(?P<extension>{EXTENSIONS})$",
        views.component,
        name="component-dcat",
    ),
]
# The /id/ resolver: outside the language prefix and the API version, so that
# identifiers never change (reuse_portal/urls.py includes it at the root).
id_patterns: list = [
    path("id/component/<slug:slug>", views.resolve, name="dcat-id-component"),
]

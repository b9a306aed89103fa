"""Language-prefixed pages, and paths under /api/v1/ (reuse_portal/api.py)."""

from django.urls import path

from interchange.publiccode import views

page_patterns: list = [
    path(
        "service/<slug:slug>/publiccode.yml",
        views.component_publiccode,
        name="component-publiccode",
    ),
]
api_patterns: list = [
    path(
        "components/<slug:slug>/publiccode.yml",
        views.api_component_publiccode,
        name="component-publiccode",
    ),
]

from django.urls import path

from interchange.tabular import views

# Language-prefixed pages, and paths under /api/v1/ (reuse_portal/api.py).
page_patterns: list = [
    path("catalogue.csv", views.catalogue_csv, name="catalogue-csv"),
]
api_patterns: list = [
    path("components.csv", views.ComponentCsvView.as_view(), name="components-csv"),
]

from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("catalogue/", views.ComponentListView.as_view(), name="component-list"),
    # The URL scheme of ict-reuse.be, so that existing links keep working.
    path(
        "service/<slug:slug>/",
        views.ComponentDetailView.as_view(),
        name="component-detail",
    ),
    path("submissions/", views.SubmissionListView.as_view(), name="submission-list"),
    path("submissions/new/", views.propose_component, name="component-propose"),
    path("submissions/<slug:slug>/edit/", views.edit_component, name="component-edit"),
    path("providers/", views.ProviderListView.as_view(), name="provider-list"),
    path(
        "providers/<slug:slug>/",
        views.ProviderDetailView.as_view(),
        name="provider-detail",
    ),
    path("reuse-cases/", views.ReuseCaseListView.as_view(), name="reuse-case-list"),
    path(
        "reuse-cases/<slug:slug>/",
        views.ReuseCaseDetailView.as_view(),
        name="reuse-case-detail",
    ),
    path(
        "collaboration-models/",
        views.CollaborationModelListView.as_view(),
        name="collaborationmodel-list",
    ),
    path(
        "building-blocks/",
        views.BuildingBlockListView.as_view(),
        name="buildingblock-list",
    ),
]

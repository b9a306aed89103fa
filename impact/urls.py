from django.urls import path

from impact import views

app_name = "impact"

urlpatterns = [
    path("impact/", views.DashboardView.as_view(), name="dashboard"),
    path("impact/<slug:dataset>.csv", views.dataset_csv, name="dataset-csv"),
    path("impact/declare/<slug:slug>/", views.declare, name="declaration-create"),
    path(
        "impact/declarations/",
        views.DeclarationListView.as_view(),
        name="declaration-list",
    ),
    path(
        "impact/declarations/<slug:slug>/",
        views.edit_declaration,
        name="declaration-edit",
    ),
    path(
        "impact/declarations/<slug:slug>/withdraw/",
        views.withdraw_declaration,
        name="declaration-withdraw",
    ),
]

from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path(
        "service/<slug:slug>/",
        views.ComponentDetailView.as_view(),
        name="component-detail",
    ),
]

"""The portal's URLs, plus the reference endpoints (bench settings only)."""

from django.urls import path

from bench import views
from reuse_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/l2/", views.l2, name="bench-l2"),
    path("bench/l3/", views.l3, name="bench-l3"),
    *portal_urlpatterns,
]

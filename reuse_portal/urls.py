from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from reuse_portal.views import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("catalogue.urls")),
    path("", include("networks.urls")),
)

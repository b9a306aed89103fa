from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from reuse_portal.views import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("api/v1/", include("reuse_portal.api")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("catalogue.urls")),
    path("", include("networks.urls")),
    path("", include("accounts.urls")),
)

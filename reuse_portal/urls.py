from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from interchange.dcat.urls import id_patterns
from reuse_portal.views import favicon, healthz, media

# The back office is the portal's, not Django's.
admin.site.site_header = _("ReUse moderation")
admin.site.site_title = _("ReUse moderation")
admin.site.index_title = _("Catalogue moderation")

# Every 5xx under /api/ is a problem, and a database fault is a 503 (also
# when it is raised outside a view).
handler500 = "reuse_portal.faults.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/v1/", include("reuse_portal.api")),
    # Persistent identifiers of the catalogue's records (DCAT-AP).
    *id_patterns,
    # Logos, served by Django when no proxy does it; names are generated, so a
    # path can only ever reach a file the portal stored.
    re_path(r"^media/(?P<path>logos/[0-9a-f]{32}\.(?:png|jpeg|gif|webp))$", media),
    path("", include("discovery.root_urls")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("catalogue.urls")),
    path("", include("networks.urls")),
    path("", include("accounts.urls")),
    path("", include("programme.urls")),
    path("", include("interchange.urls")),
    path("", include("impact.urls")),
    path("", include("news.urls")),
    path("", include("newsletter.urls")),
    path("", include("discovery.urls")),
)

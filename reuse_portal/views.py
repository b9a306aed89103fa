from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from reuse_portal import watchdog

HEALTH_QUERY = "SELECT 1"


def database_unavailable() -> JsonResponse:
    return JsonResponse({"status": "error", "database": "unavailable"}, status=503)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness in one: the portal is useless without its database.

    The query gets HEALTHZ_STATEMENT_TIMEOUT_MS, far below the requests'
    timeout, so a load balancer hears "unavailable" in time from a database
    that hangs (locked, overloaded). A server that does not answer at all
    (frozen) is given up on a little later by the watchdog, which bounds the
    whole probe: the check of a kept connection, the query and the commit.
    A new connection to such a server fails within DATABASE_CONNECT_TIMEOUT.
    """
    timeout = int(settings.HEALTHZ_STATEMENT_TIMEOUT_MS)
    try:
        with watchdog.deadline(watchdog.health_check_seconds()) as probe:
            # Django's check of a kept connection (CONN_HEALTH_CHECKS) first:
            # it replaces a connection the database dropped (a restart). When
            # the check itself ran out of time the server hangs, and a new
            # connection would only wait connect_timeout on top.
            connection.close_if_health_check_failed()
            if probe.expired:
                return database_unavailable()
            with connection.cursor() as cursor, transaction.atomic():
                cursor.execute(f"SET LOCAL statement_timeout = {timeout}")
                cursor.execute(HEALTH_QUERY)
    except DatabaseError:
        return database_unavailable()
    return JsonResponse({"status": "ok", "database": "ok"})


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page links to."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def media(request: HttpRequest, path: str) -> HttpResponse:
    """An uploaded file, for sites where no proxy serves MEDIA_ROOT."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)

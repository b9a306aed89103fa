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

HEALTH_QUERY = "SELECT 1"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness in one: the portal is useless without its database.

    The query gets HEALTHZ_STATEMENT_TIMEOUT_MS, far below the requests'
    timeout, so a load balancer hears "unavailable" in time from a database
    that hangs (locked, overloaded). A server that does not answer at all is
    covered by the connection's connect_timeout.
    """
    timeout = int(settings.HEALTHZ_STATEMENT_TIMEOUT_MS)
    try:
        # The cursor first: it checks a kept connection, and replaces it if
        # the database restarted, before the transaction begins.
        with connection.cursor() as cursor, transaction.atomic():
            cursor.execute(f"SET LOCAL statement_timeout = {timeout}")
            cursor.execute(HEALTH_QUERY)
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page links to."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def media(request: HttpRequest, path: str) -> HttpResponse:
    """An uploaded file, for sites where no proxy serves MEDIA_ROOT."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)

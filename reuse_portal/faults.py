"""What visitors and API clients get when something fails.

A database that cannot be reached (down, restarting, out of connections,
frozen: see reuse_portal/watchdog.py) is
a 503 with Retry-After: the 503 page, or a problem in the API, never a
traceback. Once the database is back, the next request reconnects
(CONN_HEALTH_CHECKS): nothing needs a restart. And every 5xx under the API
is a problem (RFC 9457), never an HTML page.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from reuse_portal import watchdog
from reuse_portal.rest import API_PREFIX, PROBLEM_CONTENT_TYPE, api_language, problem

logger = logging.getLogger(__name__)

# What psycopg raises when the server is unreachable or the connection broke.
DATABASE_FAULTS = (OperationalError, InterfaceError)


def api_problem(request: HttpRequest, status: int, detail: Promise) -> JsonResponse:
    """A problem in the language the API client asked for (the lazy `detail`
    is translated once that language is active)."""
    translation.activate(api_language(request))
    return JsonResponse(
        problem(status, detail), status=status, content_type=PROBLEM_CONTENT_TYPE
    )


def unavailable(
    request: HttpRequest,
    reason: Promise | None = None,
    retry_after: int | None = None,
) -> HttpResponse:
    """503 with Retry-After (FAULT_RETRY_AFTER unless given): a problem under
    the API, else the 503 page; both say `reason` when one is given.

    The page is rendered without the request: the context processors (the
    signed-in user, messages) would ask the database again.
    """
    if request.path.startswith(API_PREFIX):
        response = api_problem(
            request,
            503,
            reason or _("The service is temporarily unavailable. Try again later."),
        )
    else:
        response = HttpResponse(
            render_to_string("503.html", {"reason": reason}), status=503
        )
    response["Retry-After"] = str(retry_after or settings.FAULT_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class DatabaseFaultMiddleware:
    """Turns a database fault raised by a view into a 503 (see unavailable).

    It also makes a database that hangs a fault: the watchdog gives up on a
    server that does not answer (reuse_portal/watchdog.py). Installed here,
    once the process serves requests, so that management commands keep
    waiting for long statements."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        watchdog.install()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_FAULTS):
            return None
        logger.warning("Database unavailable for %s: %s", request.path, exception)
        return unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Also reached by faults raised outside views (a middleware
    reading the cache table, the session, the signed-in user), which
    process_exception never sees."""
    if isinstance(sys.exc_info()[1], DATABASE_FAULTS):
        return unavailable(request)
    if request.path.startswith(API_PREFIX):
        return api_problem(request, 500, _("The server could not answer this request."))
    return defaults.server_error(request)

"""Who sent a request, and how many pages an anonymous client may ask for.

One notion of "the client" for every limit: the API's throttles
(reuse_portal/rest.py), the page rate limit below and django-axes' login
lockouts all call client_address(). Counters live in the shared cache of
their own (settings.CACHES["limits"]), so a limit holds across workers and
servers, and no kept page ever pushes a count out.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections.abc import Callable
from functools import cache as memoize

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.connection import ConnectionProxy
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Each thread's connection to the shared counts, as django.core.cache.cache
# is to the default cache.
shared_counts = ConnectionProxy(caches, "limits")


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`.

    With TRUSTED_PROXY_COUNT = 0 the client connects directly: REMOTE_ADDR.
    Behind N proxies that each append to X-Forwarded-For the address they
    received the request from, the Nth entry from the right was written by
    the outermost proxy: that is the client. Entries further left come from
    the client itself and prove nothing. A header with fewer than N entries
    (a request that went round a proxy) or an entry that is not an IP
    address gives REMOTE_ADDR: never a value the client chose.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies].strip()))
    except ValueError:
        return remote


def parse_rate(rate: str) -> tuple[int, int]:
    """ "600/minute" as (600, 60): the syntax of DRF's throttle rates."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0]]


@memoize
def unlimited_prefixes() -> tuple[str, ...]:
    """Paths the page limit leaves alone: the API has its own throttles,
    probes must always get an answer, and files are not pages."""
    return (
        reverse("api:api-root"),
        reverse("healthz"),
        reverse("favicon"),
        settings.STATIC_URL,
        settings.MEDIA_URL,
    )


class WindowCounts:
    """Requests per client in fixed windows, shared by every worker and server
    through the cache, without a cache round trip on most requests.

    Each process counts its own requests first and adds them to the shared
    count (one cache increment) when it has `limit // BATCH_SHARE` of them,
    or when the last exchange for that client is FLUSH_SECONDS old. A client
    is refused once the shared count last seen plus the requests not yet
    added passes the limit. Small limits (below BATCH_SHARE) are counted
    exactly, request by request. With N processes a client may get up to
    N × batch requests more than the limit before every process sees it;
    with the default 600/minute and 4 workers that is 4 × 12 = 48 more, and
    a client may get up to twice the rate across a window's boundary.
    """

    BATCH_SHARE = 50
    FLUSH_SECONDS = 1.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # key: the shared count last seen, the requests not added yet, when
        # they were last added, and when the key's window ends.
        self._counts: dict[str, list[float]] = {}
        self._swept = 0.0

    def forget(self) -> None:
        """Drop what this process has not added yet (tests start afresh)."""
        with self._lock:
            self._counts.clear()

    def wait(self, scope: str, ident: str, rate: str) -> int | None:
        """Count one request of `ident` under `scope`; the seconds it must
        wait when it is past `rate`, else None."""
        limit, period = parse_rate(rate)
        now = time.time()
        window = int(now // period)
        ends = (window + 1) * period
        key = f"{scope}:{ident}:{window}"
        batch = max(1, limit // self.BATCH_SHARE)
        with self._lock:
            entry = self._counts.get(key)
            if entry is None:
                self._sweep(now)
                entry = self._counts[key] = [0, 0, now, ends]
            entry[1] += 1
            pending = 0
            if entry[1] >= batch or now - entry[2] >= self.FLUSH_SECONDS:
                pending, entry[1], entry[2] = entry[1], 0, now
        if pending:
            shared = self._add(key, pending, period)
            with self._lock:
                entry[0] = max(entry[0], shared)
        with self._lock:
            within = entry[0] + entry[1] <= limit
        return None if within else max(1, math.ceil(ends - now))

    def _sweep(self, now: float) -> None:
        """Forget the windows that have ended, at most once a second (under
        the lock)."""
        if now - self._swept < self.FLUSH_SECONDS:
            return
        self._swept = now
        for key in [key for key, entry in self._counts.items() if entry[3] <= now]:
            del self._counts[key]

    @staticmethod
    def _add(key: str, count: int, period: int) -> int:
        """Add `count` to the shared count and return the new total. Another
        request may create the key, or it may expire between the calls:
        then the count starts again."""
        try:
            return shared_counts.incr(key, count)
        except ValueError:
            if shared_counts.add(key, count, timeout=period):
                return count
        try:
            return shared_counts.incr(key, count)
        except ValueError:
            shared_counts.set(key, count, timeout=period)
            return count


window_counts = WindowCounts()


def signed_in(request: HttpRequest) -> bool:
    """Whether a person is signed in. Without a session cookie nobody is, and
    the user is not looked up: most requests are anonymous."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        and request.user.is_authenticated
    )


def page_wait(request: HttpRequest) -> int | None:
    """Seconds an anonymous client must wait before its next page, or None
    while it is within PAGE_RATE (empty: no limit)."""
    if (
        not settings.PAGE_RATE
        or request.path.startswith(unlimited_prefixes())
        or signed_in(request)
    ):
        return None
    return window_counts.wait("page-rate", client_address(request), settings.PAGE_RATE)


def too_many_requests(wait: int, message: str = "") -> HttpResponse:
    """The 429 page; `message` says why (by default: too many pages)."""
    title = gettext("Too many requests")
    message = message or gettext(
        "You have asked for many pages in a short time. "
        "Please wait a moment, then try again."
    )
    response = HttpResponse(
        format_html(
            '<!doctype html><html lang="{}"><head><meta charset="utf-8">'
            "<title>{} · ReUse</title></head>"
            "<body><h1>{}</h1><p>{}</p></body></html>",
            get_language(),
            title,
            title,
            message,
        ),
        status=429,
    )
    response["Retry-After"] = str(wait)
    add_never_cache_headers(response)
    return response


class PageRateLimitMiddleware:
    """429 with Retry-After for anonymous clients past PAGE_RATE. After
    AuthenticationMiddleware (it needs request.user) and LanguageMiddleware
    (the message is in the visitor's language)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wait = page_wait(request)
        if wait is not None:
            return too_many_requests(wait)
        return self.get_response(request)

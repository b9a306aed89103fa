"""Who sent a request, and how many pages an anonymous client may ask for.

One notion of "the client" for every limit: the API's throttles
(reuse_portal/rest.py), the page rate limit below and django-axes' login
lockouts all call client_address(). Counters live in the shared cache
(settings.CACHES), so a limit holds across workers and servers.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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


def _incr_or_restart(key: str, period: int) -> int:
    """Another request created the key, which may have expired (or been
    culled) since: then this request starts the count again."""
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=period)
        return 1


def page_wait(request: HttpRequest) -> int | None:
    """Seconds an anonymous client must wait before its next page, or None
    while it is within PAGE_RATE (empty: no limit).

    Counted in fixed windows (one cache key per client and window, one
    increment per request), which costs the same whatever the rate; a client
    may get up to twice the rate across a window's boundary. Redis counts
    atomically; the database cache may miss a few simultaneous requests, and
    its incr() keeps a count for its default timeout (5 minutes) after the
    last request, so an hourly window forgets a client idle that long.
    """
    if (
        not settings.PAGE_RATE
        or request.path.startswith(unlimited_prefixes())
        or request.user.is_authenticated
    ):
        return None
    limit, period = parse_rate(settings.PAGE_RATE)
    now = time.time()
    window = int(now // period)
    key = f"page-rate:{client_address(request)}:{window}"
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first request
        count = (
            1 if cache.add(key, 1, timeout=period) else _incr_or_restart(key, period)
        )
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * period - now))


def too_many_requests(wait: int) -> HttpResponse:
    title = gettext("Too many requests")
    message = gettext(
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
    AuthenticationMiddleware (it needs request.user) and LocaleMiddleware
    (the message is in the visitor's language)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wait = page_wait(request)
        if wait is not None:
            return too_many_requests(wait)
        return self.get_response(request)

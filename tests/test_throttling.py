"""Rate limits: the API's throttles and the pages' limit know the client by
the address the trusted proxy sets (never a raw X-Forwarded-For), count in
the shared cache (so they hold across workers and servers), and answer 429
with Retry-After."""

import copy
import time
import urllib.error
import urllib.request

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from reuse_portal import cache as portal_cache
from reuse_portal import settings as production_settings
from reuse_portal.clients import WindowCounts, client_address, window_counts
from tests.conftest import gunicorn
from tests.factories import make_provider, make_token, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def supplier_client() -> APIClient:
    client = APIClient()
    user = make_user(organisation=make_provider())
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(user)}")
    return client


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        # No proxy: the peer is the client, whatever the header claims.
        (0, "203.0.113.9", "10.0.0.1"),
        # One proxy: the entry it appended; the client wrote the ones before.
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (1, "2001:db8::9", "2001:db8::9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        # Fewer entries than proxies, no header, or no address: the peer.
        (2, "203.0.113.9", "10.0.0.1"),
        (1, None, "10.0.0.1"),
        (1, "203.0.113.9, not-an-address", "10.0.0.1"),
    ],
)
def test_the_client_is_the_address_the_trusted_proxy_sets(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", headers=headers)

    assert client_address(request) == expected


def test_the_api_throttle_counts_in_the_shared_cache(api, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    assert [api.get("/api/v1/stats/").status_code for _ in range(2)] == [200, 200]

    # Another worker knows only what the shared cache holds.
    window_counts.forget()

    assert [api.get("/api/v1/stats/").status_code for _ in range(2)] == [200, 429]


def test_a_full_page_cache_never_gives_a_client_a_fresh_count(monkeypatch):
    # The database caches as production configures them (no REDIS_URL), the
    # pages' one full after ten entries: past it, a write deletes a third of
    # them, the first keys in alphabetical order, as Django's backend does.
    configured = copy.deepcopy(production_settings.CACHES)
    configured["default"]["OPTIONS"]["MAX_ENTRIES"] = 10
    monkeypatch.setattr(portal_cache, "CULL_CHECK_EVERY", 1)
    with override_settings(CACHES=configured):
        call_command("createcachetable")
        client = "203.0.113.9"
        this_worker = WindowCounts()
        for _ in range(3):
            assert this_worker.wait("api-anonymous", client, "3/minute") is None

        # A crawler's pages fill the cache meanwhile.
        for number in range(30):
            caches["default"].set(f"page-cache:{number}", "<html>")

        # Another worker knows the count from the shared cache only.
        assert WindowCounts().wait("api-anonymous", client, "3/minute") is not None


@pytest.mark.parametrize("workers", [1, 4])
def test_large_limits_hold_within_a_batch_per_worker(settings, workers):
    """A large limit is counted in batches (few cache round trips): each
    worker may let through at most one batch more than the shared count."""
    settings.PAGE_RATE = "500/minute"
    batch = 500 // WindowCounts.BATCH_SHARE
    processes = [WindowCounts() for _ in range(workers)]
    # Counted in one-minute windows: not across a window's end.
    if time.time() % 60 > 55:
        time.sleep(6)

    allowed = 0
    for turn in range(1000):
        if processes[turn % workers].wait("test", "192.0.2.7", "500/minute") is None:
            allowed += 1

    assert 500 <= allowed <= 500 + workers * batch


def test_a_forged_x_forwarded_for_does_not_escape_the_api_throttle(api, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"

    statuses = [
        api.get("/api/v1/stats/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 200, 429]


def test_behind_a_proxy_each_client_has_its_own_api_count(api, settings):
    settings.API_ANONYMOUS_RATE = "1/minute"
    settings.TRUSTED_PROXY_COUNT = 1

    def status(forwarded_for: str) -> int:
        return api.get("/api/v1/stats/", HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    assert status("203.0.113.1") == 200
    assert status("203.0.113.2") == 200
    assert status("9.9.9.9, 203.0.113.1") == 429


def test_the_facets_endpoint_is_throttled(api, settings):
    settings.API_ANONYMOUS_RATE = "2/minute"

    responses = [api.get("/api/v1/components/facets/") for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 429]
    assert responses[-1]["Content-Type"] == "application/problem+json"
    assert int(responses[-1]["Retry-After"]) > 0


def test_a_supplier_s_writes_have_their_own_limit(settings):
    settings.API_WRITE_RATE = "2/minute"
    supplier, other = supplier_client(), supplier_client()

    # Empty bodies: refused (400), but counted all the same.
    writes = [supplier.post("/api/v1/components/", {}, format="json") for _ in "abc"]

    assert [w.status_code for w in writes] == [400, 400, 429]
    assert int(writes[-1]["Retry-After"]) > 0
    assert writes[-1].json()["status"] == 429
    # Reads do not count, and another supplier has a count of its own.
    assert supplier.get("/api/v1/components/").status_code == 200
    assert other.post("/api/v1/components/", {}, format="json").status_code == 400


def test_anonymous_pages_are_limited_with_retry_after(client, settings):
    settings.PAGE_RATE = "2/minute"
    with translation.override("en"):
        home = reverse("catalogue:home")

    responses = [client.get(home) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 429]
    limited = responses[-1]
    assert 0 < int(limited["Retry-After"]) <= 60
    assert limited["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in limited["Cache-Control"]
    assert b'<html lang="en">' in limited.content
    assert b"<h1>Too many requests</h1>" in limited.content


def test_a_forged_x_forwarded_for_does_not_escape_the_page_limit(client, settings):
    settings.PAGE_RATE = "2/minute"

    statuses = [
        client.get(
            reverse("catalogue:home"), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_signed_in_people_are_not_limited(client, settings):
    settings.PAGE_RATE = "1/minute"
    client.force_login(make_user())

    statuses = [client.get(reverse("catalogue:home")).status_code for _ in "abc"]

    assert statuses == [200, 200, 200]


def test_the_api_and_the_probe_do_not_count_as_pages(client, settings):
    settings.PAGE_RATE = "1/minute"

    for _ in "abc":
        assert client.get(reverse("healthz")).status_code == 200
        assert client.get("/api/v1/stats/").status_code == 200

    assert client.get(reverse("catalogue:home")).status_code == 200
    assert client.get(reverse("catalogue:home")).status_code == 429


def test_an_empty_page_rate_means_no_limit(client, settings):
    settings.PAGE_RATE = ""

    statuses = [client.get(reverse("catalogue:home")).status_code for _ in "abc"]

    assert statuses == [200, 200, 200]


# Over HTTP: two servers of two workers each, sharing the database cache. With
# counts kept per process, some of the requests past the limit would pass.

LIMIT = 5


def status_of(url: str, client: str) -> tuple[int, str]:
    # The client forges an address; the proxy appends the one it saw.
    request = urllib.request.Request(
        url, headers={"X-Forwarded-For": f"6.6.6.6, {client}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Retry-After", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After", "")


def test_limits_hold_across_workers_and_servers(portal):
    env = dict(
        portal.env,
        API_ANONYMOUS_RATE=f"{LIMIT}/hour",
        PAGE_RATE=f"{LIMIT}/hour",
        TRUSTED_PROXY_COUNT="1",
    )
    # The page limit counts in hourly windows: not across a window's end.
    left = 3600 - time.time() % 3600
    if left < 60:
        time.sleep(left + 1)
    with gunicorn(env) as first, gunicorn(env) as second:
        for path, client in [("/api/v1/stats/", "192.0.2.1"), ("/nl/", "192.0.2.2")]:
            answers = [
                status_of(f"{server}{path}", client)
                for server in [first, second] * (LIMIT + 1)
            ]

            statuses = [status for status, _retry in answers]
            assert statuses == [200] * LIMIT + [429] * (LIMIT + 2), path
            assert all(int(retry) > 0 for _status, retry in answers[LIMIT:]), path

"""Faults: a database that fails gives a 503 with Retry-After (the 503 page,
or a problem in the API), never a traceback; the next request after it is
back is served as usual; every API 5xx is a problem; /healthz gives up
quickly on a database that hangs."""

import json
import os
import time
import urllib.error
import urllib.request

import psycopg
import pytest
from django.db import OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.api import StatsView
from catalogue.views import HomeView
from tests.conftest import free_port, gunicorn

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def lost_connection(self, *args, **kwargs):
    """Every query fails as with a database that went away."""
    with self.db.wrap_database_errors:
        raise psycopg.OperationalError("server closed the connection unexpectedly")


class BrokenCache:
    """The cache table of a database that went away."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise OperationalError("connection refused")

        return fail


@pytest.fixture
def database_down(monkeypatch):
    monkeypatch.setattr(CursorWrapper, "_execute", lost_connection)


@pytest.fixture
def quiet_client() -> Client:
    """A client that gets the 5xx answer instead of the exception behind it."""
    return Client(raise_request_exception=False)


def assert_unavailable_page(response, settings) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.FAULT_RETRY_AFTER)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert b'<html lang="nl">' in response.content
    assert b"Traceback" not in response.content


def assert_unavailable_problem(response, settings) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.FAULT_RETRY_AFTER)
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "detail": "The service is temporarily unavailable. Try again later.",
    }


def test_a_page_answers_503_when_the_database_fails(client, settings, database_down):
    response = client.get(reverse("catalogue:home"))

    assert_unavailable_page(response, settings)


def test_the_api_answers_a_503_problem_when_the_database_fails(
    client, settings, database_down
):
    for path in ("/api/v1/components/", "/api/v1/components/facets/"):
        assert_unavailable_problem(client.get(path), settings)


def test_the_next_request_after_the_fault_is_served(client, settings, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "_execute", lost_connection)
        assert client.get(reverse("catalogue:home")).status_code == 503
        assert client.get("/api/v1/stats/").status_code == 503

    assert client.get(reverse("catalogue:home")).status_code == 200
    assert client.get("/api/v1/stats/").status_code == 200


def test_a_fault_outside_the_views_is_a_503_too(quiet_client, settings, monkeypatch):
    # The page limit and the API throttles count in their cache before any view
    # (request by request at limits this small).
    settings.PAGE_RATE = "10/minute"
    settings.API_ANONYMOUS_RATE = "10/minute"
    monkeypatch.setattr("reuse_portal.clients.shared_counts", BrokenCache())

    assert_unavailable_page(quiet_client.get(reverse("catalogue:home")), settings)
    assert_unavailable_problem(quiet_client.get("/api/v1/stats/"), settings)


def test_an_api_error_is_a_problem_never_an_html_page(quiet_client, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(StatsView, "get", crash)

    response = quiet_client.get("/api/v1/stats/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "The server could not answer this request.",
    }


def test_a_page_error_is_still_the_500_page(quiet_client, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(HomeView, "get", crash)

    response = quiet_client.get(reverse("catalogue:home"))

    assert response.status_code == 500
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"Traceback" not in response.content


def test_healthz_limits_its_query(client, settings):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("healthz")).status_code == 200

    statements = [query["sql"] for query in queries.captured_queries]
    timeout = settings.HEALTHZ_STATEMENT_TIMEOUT_MS
    assert f"SET LOCAL statement_timeout = {timeout}" in statements
    assert statements.index(f"SET LOCAL statement_timeout = {timeout}") < (
        statements.index("SELECT 1")
    )


def test_healthz_answers_fast_when_the_database_hangs(client, settings, monkeypatch):
    settings.HEALTHZ_STATEMENT_TIMEOUT_MS = 300
    monkeypatch.setattr("reuse_portal.views.HEALTH_QUERY", "SELECT pg_sleep(10)")

    started = time.monotonic()
    response = client.get(reverse("healthz"))

    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_server_without_its_database_answers_503():
    closed_port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:{closed_port}/reuse_portal",
        DEBUG="0",
        SECRET_KEY="test-only-secret-key",
        SECURE_SSL_REDIRECT="0",
    )

    with gunicorn(env) as url:
        page = fetch(f"{url}/nl/")
        api = fetch(f"{url}/api/v1/components/facets/")

    status, headers, body = page
    assert (status, headers["Content-Type"]) == (503, "text/html; charset=utf-8")
    assert int(headers["Retry-After"]) > 0
    assert b"Traceback" not in body
    status, headers, body = api
    assert (status, headers["Content-Type"]) == (503, PROBLEM)
    assert int(headers["Retry-After"]) > 0
    assert json.loads(body)["status"] == 503

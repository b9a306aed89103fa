"""A database that hangs: queries, commits, Django's health check and
/healthz give up on a PostgreSQL backend that does not answer (frozen with
SIGSTOP) instead of waiting forever, pages answer 503, and the portal
connects again once it answers (reuse_portal/watchdog.py).

Only a connection of the test's own is frozen, never the test database's
connection: each test opens one, stops its backend process (the embedded
PostgreSQL runs as this user), and always lets it go on and ends it."""

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, RequestFactory
from django.urls import reverse

from reuse_portal import watchdog
from reuse_portal.views import healthz

pytestmark = pytest.mark.django_db

# Seconds a backend stays frozen at most.
RELEASE_AFTER = 10
IDLE_MS = 50


def idle() -> None:
    """Long enough since the server last answered for a health check."""
    time.sleep(2 * IDLE_MS / 1000)


@pytest.fixture(autouse=True)
def short_deadlines(settings):
    # 0.3 s for a statement, 0.2 s for a health check: the server-side
    # statement_timeout (5 s) of the frozen backend never fires.
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 200
    settings.HEALTHZ_STATEMENT_TIMEOUT_MS = 100
    settings.DATABASE_CLIENT_TIMEOUT_MARGIN_MS = 100
    # A kept connection is checked once the server has been silent on it
    # this long: idle() waits it out.
    settings.DATABASE_HEALTH_CHECK_IDLE_MS = IDLE_MS


@pytest.fixture
def own() -> Iterator[BaseDatabaseWrapper]:
    """A connection of the test's own, with the watchdog, as the portal's
    middleware installs it."""
    watchdog.install()
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    try:
        yield wrapper
    finally:
        wrapper.close()


@contextmanager
def frozen(wrapper: BaseDatabaseWrapper) -> Iterator[None]:
    """The backend process of `wrapper`'s connection stopped, as by a frozen
    server: its socket stays open and nothing answers."""
    pid = wrapper.connection.info.backend_pid
    # Without the watchdog the test would hang: it goes on after a while
    # instead, and then fails.
    release = threading.Timer(RELEASE_AFTER, os.kill, [pid, signal.SIGCONT])
    os.kill(pid, signal.SIGSTOP)
    release.start()
    try:
        yield
    finally:
        release.cancel()
        os.kill(pid, signal.SIGCONT)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@contextmanager
def serving_with(wrapper: BaseDatabaseWrapper) -> Iterator[None]:
    """`wrapper` as this thread's default connection, the one views use."""
    test_connection = connections["default"]
    connections["default"] = wrapper
    try:
        yield
    finally:
        connections["default"] = test_connection
        # What the pages computed from `wrapper`'s data (counts kept until
        # the catalogue changes) must not be served to the next tests.
        cache.clear()


def test_the_middleware_installs_the_watchdog():
    Client().get(reverse("healthz"))
    wrapper = connections.create_connection("default")
    try:
        wrapper.ensure_connection()

        assert isinstance(wrapper.connection, watchdog.DeadlineConnection)
    finally:
        wrapper.close()


def test_a_query_to_a_frozen_backend_fails_and_drops_the_connection(own):
    with (
        frozen(own),
        own.cursor() as cursor,
        pytest.raises(OperationalError, match="did not answer"),
    ):
        cursor.execute("SELECT 1")

    # Django drops the connection at the end of the request...
    own.close_if_unusable_or_obsolete()
    assert own.connection is None
    # ...and the next one connects again.
    with own.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_healthy_server_answers_its_own_timeout_first(own, settings):
    # The server cancels at 0.2 s; the client would give up at 1.2 s.
    settings.DATABASE_CLIENT_TIMEOUT_MARGIN_MS = 1000
    with own.cursor() as cursor:
        cursor.execute("SET statement_timeout = 200")

        with pytest.raises(OperationalError, match="statement timeout"):
            cursor.execute("SELECT pg_sleep(5)")

    # The connection was not cut: it goes on serving.
    assert own.is_usable()


@pytest.mark.parametrize("operation", ["commit", "savepoint"])
def test_a_transaction_statement_to_a_frozen_backend_fails(own, operation):
    own.set_autocommit(False)
    with own.cursor() as cursor:
        # Sends BEGIN, then the statement: a transaction is open.
        cursor.execute("SELECT 1")

    with frozen(own), pytest.raises(OperationalError, match="did not answer"):
        getattr(own, operation)()


def test_the_health_check_gives_up_on_a_kept_connection_that_hangs(own):
    assert own.health_check_enabled
    idle()

    with frozen(own):
        own.close_if_unusable_or_obsolete()  # as each request starts
        own.close_if_health_check_failed()

        assert own.connection is None


def test_the_health_check_waits_less_than_a_statement(own, settings):
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 60_000  # a minute: the test would hang

    with frozen(own):
        assert not own.is_usable()


def test_a_deadline_block_gives_up_sooner(own, settings):
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 60_000

    with (
        frozen(own),
        own.cursor() as cursor,
        watchdog.deadline(0.2) as block,
        pytest.raises(OperationalError, match="did not answer"),
    ):
        cursor.execute("SELECT 1")

    assert block.expired


@pytest.mark.parametrize("checked", [False, True], ids=["kept", "checked"])
def test_healthz_answers_503_when_its_connection_hangs(own, settings, checked):
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 60_000
    with frozen(own), serving_with(own):
        if not checked:
            own.close_if_unusable_or_obsolete()  # Django's health check first
        response = healthz(RequestFactory().get("/healthz"))

    assert response.status_code == 503
    assert response.content == b'{"status": "error", "database": "unavailable"}'


def test_a_page_answers_503_when_its_connection_hangs(own, settings):
    # Without the health check, which would replace the frozen connection
    # with a new one (only this backend is frozen, not the server).
    own.health_check_enabled = False

    with frozen(own), serving_with(own):
        response = Client(raise_request_exception=False).get(reverse("catalogue:home"))

    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.FAULT_RETRY_AFTER)
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_a_kept_connection_that_hangs_is_replaced_by_the_health_check(own):
    frozen_connection = own.connection
    idle()

    with frozen(own), serving_with(own):
        # As each request starts (the test client leaves it out).
        own.close_if_unusable_or_obsolete()
        response = Client().get(reverse("catalogue:home"))

    assert response.status_code == 200
    assert own.connection is not frozen_connection


@pytest.mark.parametrize(
    ("idle_ms", "checked"), [(60_000, False), (0, True)], ids=["kept", "every-request"]
)
def test_a_connection_the_server_just_answered_on_is_not_checked_again(
    own, settings, idle_ms, checked
):
    settings.DATABASE_HEALTH_CHECK_IDLE_MS = idle_ms
    with own.cursor() as cursor:
        cursor.execute("SELECT 1")
    answered_on = own.connection

    # Frozen, a check would give up on the connection: only a check that
    # was skipped keeps it.
    with frozen(own):
        own.close_if_unusable_or_obsolete()  # as each request starts
        own.close_if_health_check_failed()
        kept = own.connection is answered_on

    assert kept is not checked


def test_a_connection_the_server_dropped_while_idle_is_replaced(own):
    with own.cursor() as cursor:
        cursor.execute("SELECT 1")
    with connection.cursor() as cursor:
        # As a restart, a failover or an idle timeout would.
        cursor.execute(
            "SELECT pg_terminate_backend(%s)", [own.connection.info.backend_pid]
        )
    idle()

    with serving_with(own):
        own.close_if_unusable_or_obsolete()  # as each request starts
        response = Client().get(reverse("catalogue:home"))

    assert response.status_code == 200

"""Client-side deadlines on PostgreSQL: a hung server fails requests quickly.

PostgreSQL's statement_timeout (DATABASE_STATEMENT_TIMEOUT_MS) is enforced by
the server. A server that is frozen (SIGSTOP, a paused VM, stalled storage)
never sends that error, and its kernel still accepts connections and
acknowledges our packets, so TCP keepalives and tcp_user_timeout see nothing
wrong: a read would wait forever. Every gunicorn thread would hang, /healthz
too, and gunicorn would not notice: a gthread worker's main loop keeps
beating while its threads wait, so its `timeout` never fires (which is also
why workers are not killed en masse).

So every wait on the server gets a deadline on the client side: the
statement timeout plus DATABASE_CLIENT_TIMEOUT_MARGIN_MS, so that a healthy
server's own timeout answers first and its connection survives. When the
deadline passes, the connection is closed and the query raises
OperationalError: the request becomes the usual 503 (reuse_portal/faults.py),
Django drops the connection, and the next request connects again, which
fails within connect_timeout until the database is back.

How every exchange is covered: psycopg 3 runs all of them through
Connection.wait(), which takes a timeout: queries and fetches, BEGIN (sent
with the first query of a transaction), COMMIT and ROLLBACK (connection
methods, not queries through Django's cursor, so an execute wrapper would
miss them), savepoints, COPY, server-side cursors, and the SELECT 1 of
Django's CONN_HEALTH_CHECKS (run on the psycopg cursor directly). Each
connection Django opens becomes a DeadlineConnection (connection_created),
which passes the deadline. The waiting thread gives up by itself: no
watchdog thread, nothing to register per query, and no socket shut down
from another thread (whose descriptor the owner may have closed, and the
kernel handed to a new connection, in between).

Shorter deadlines:
* Django's health check of a kept connection (the first thing a request
  does with it) waits at most the health-check time, HEALTHZ_STATEMENT_TIMEOUT_MS
  plus the margin: a kept connection to a frozen server is given up on in
  about a second, not a whole statement timeout, before a new one is tried.
* /healthz runs under `deadline()` (reuse_portal/views.py).

Fewer health checks: Django's costs a round trip (SELECT 1) at the start of
every request that uses the database, some 5% of a page's throughput under
load. It is skipped while the server answered on the connection less than
DATABASE_HEALTH_CHECK_IDLE_MS ago (each exchange stamps the connection), so
a connection in steady use is not checked again, and one that sat idle
(where a restart, a failover or an idle timeout could have cut it) is. What
is given up: a server restarted within that interval fails the next query
on the connection once (a 503, reuse_portal/faults.py); Django then drops
the connection, as after any fault. 0 checks on every request, as Django
does.

Not covered: opening a connection, which connect_timeout bounds
(DATABASE_CONNECT_TIMEOUT), and what Django runs on a connection before
connection_created (SET TIME ZONE, only when the server's differs), just
after the server has answered.

Installed with `install()` by DatabaseFaultMiddleware, so in the processes
that serve requests only: management commands (bench/generate.py lifts the
statement timeout for its bulk inserts) and the task worker keep waiting
for the server as before.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from time import monotonic
from typing import Any, TypeVar

import psycopg
from django.conf import settings
from django.core.signals import setting_changed
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from psycopg import errors
from psycopg.abc import PQGen

RV = TypeVar("RV")


class DatabaseHung(psycopg.OperationalError):
    """The server did not answer in time; its connection is closed."""


@cache
def statement_seconds() -> float | None:
    """How long one exchange with the server may take: the statement timeout
    plus the margin (None when statement_timeout is off). Kept: reading two
    settings would double the cost per query."""
    timeout = settings.DATABASE_STATEMENT_TIMEOUT_MS
    if not timeout:
        return None
    return (timeout + settings.DATABASE_CLIENT_TIMEOUT_MARGIN_MS) / 1000


@receiver(setting_changed)
def _forget_statement_seconds(setting: str, **kwargs: Any) -> None:
    # Tests change the timeouts.
    if setting.startswith("DATABASE_"):
        statement_seconds.cache_clear()


def health_check_seconds() -> float:
    """How long a health check (/healthz, Django's CONN_HEALTH_CHECKS) waits."""
    return (
        settings.HEALTHZ_STATEMENT_TIMEOUT_MS
        + settings.DATABASE_CLIENT_TIMEOUT_MARGIN_MS
    ) / 1000


@dataclass(frozen=True)
class Deadline:
    until: float  # time.monotonic()

    @property
    def expired(self) -> bool:
        return monotonic() >= self.until


class _Blocks(threading.local):
    # The deadline of this thread's innermost `deadline()` block. A class
    # attribute, not getattr() with a default: a missing attribute raises
    # AttributeError inside, at a microsecond per query.
    deadline: Deadline | None = None


_blocks = _Blocks()


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Everything this thread asks the database within the block must be
    answered `seconds` from now (or by an enclosing block's deadline, when
    that is sooner), whatever each exchange would get on its own."""
    outer = _blocks.deadline
    block = Deadline(monotonic() + seconds)
    if outer is not None and outer.until < block.until:
        block = outer
    _blocks.deadline = block
    try:
        yield block
    finally:
        _blocks.deadline = outer


def _seconds_left() -> float | None:
    block = _blocks.deadline
    if block is not None:
        return block.until - monotonic()
    return statement_seconds()


class DeadlineConnection(psycopg.Connection):
    """A psycopg connection whose every wait on the server has a deadline."""

    # No slots: a connection psycopg made becomes one of these by changing
    # its class (see watch()), which needs the same layout.
    __slots__ = ()

    # When the server last answered (time.monotonic()), set on the instance
    # by each exchange: never, until the first one.
    answered_at = float("-inf")

    def wait(
        self, gen: PQGen[RV], *args: Any, timeout: float | None = None, **kwargs: Any
    ) -> RV:
        allowed = _seconds_left()
        if allowed is None or (timeout is not None and timeout <= allowed):
            # No deadline, or the caller's own is sooner (notifies()): its
            # timeout is the caller's to handle.
            answer = super().wait(gen, *args, timeout=timeout, **kwargs)
        else:
            try:
                answer = super().wait(gen, *args, timeout=max(allowed, 0.0), **kwargs)
            except errors._WaitTimeout:
                # The exchange stopped halfway: the connection cannot be used
                # again. Closing it needs nothing from the server.
                self.close()
                raise DatabaseHung(
                    f"PostgreSQL did not answer within {max(allowed, 0.0):.1f} s; "
                    "connection closed"
                ) from None
        self.answered_at = monotonic()
        return answer


def _is_usable_in_time(wrapper: BaseDatabaseWrapper) -> bool:
    with deadline(health_check_seconds()):
        return type(wrapper).is_usable(wrapper)


def _check_unless_answered_lately(wrapper: BaseDatabaseWrapper) -> None:
    """Django's health check of a kept connection, unless the server answered
    on it less than DATABASE_HEALTH_CHECK_IDLE_MS ago."""
    raw = wrapper.connection
    if (
        raw is not None
        and wrapper.health_check_enabled
        and not wrapper.health_check_done
        and monotonic() - raw.answered_at
        < settings.DATABASE_HEALTH_CHECK_IDLE_MS / 1000
    ):
        wrapper.health_check_done = True
        return
    type(wrapper).close_if_health_check_failed(wrapper)


def watch(sender: type, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created: give the new connection its deadlines.

    Django opens it with psycopg.connect() (DatabaseWrapper.get_new_connection)
    and lets no one choose its class, so its class is changed here, before
    anything else is asked of it: DeadlineConnection adds only a method."""
    raw = connection.connection
    if isinstance(raw, psycopg.Connection) and not isinstance(raw, DeadlineConnection):
        raw.__class__ = DeadlineConnection
        # Django's health check (SELECT 1 in is_usable()) gets the health
        # check's deadline, not a statement's, and is skipped on a connection
        # in steady use. The wrapper outlives its connections: once is enough.
        if "is_usable" not in vars(connection):
            connection.is_usable = partial(_is_usable_in_time, connection)
            connection.close_if_health_check_failed = partial(
                _check_unless_answered_lately, connection
            )


def install() -> None:
    """Give every database connection opened from now on its deadlines."""
    connection_created.connect(watch, dispatch_uid="reuse_portal.watchdog")

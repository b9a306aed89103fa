"""Reads from a PostgreSQL read replica, when DATABASE_REPLICA_URL names one.

The settings then add a "replica" database and this router. The rule is kept
simple, so that nobody ever misses their own write on a replica that has
not caught up yet:

* Writes always go to the primary ("default"), and migrations only run there
  (the replica receives them through replication).
* Only content is ever read from the replica: the models of CONTENT_APPS.
  Sessions, the cache table (throttles, page-cache stamps), users, API
  tokens, login attempts and queued tasks are always read from the primary.
* Only during requests that carry no credentials and change nothing: GET,
  HEAD or OPTIONS without a session cookie and without an Authorization
  header, i.e. anonymous visitors and anonymous API readers.
  ReplicaMiddleware decides once, when the request starts.
* And not during the DATABASE_REPLICA_MAX_LAG_SECONDS (5) after any content
  change (the page cache's stamp says when the last one was): a page cached
  just after a change is never rendered from a replica that has not
  received it yet, which would keep it stale for PAGE_CACHE_SECONDS.
* Even then, never inside a transaction on the primary (transaction.atomic),
  and never after the request has written content: from its first content
  write on, the request reads from the primary.
* Outside requests (management commands, the e-mail worker, the shell,
  tests): always the primary.

Whoever makes a change, being signed in or holding a token, reads it from
the primary at once. Keep DATABASE_REPLICA_MAX_LAG_SECONDS above the
replica's real lag (pg_stat_replication.replay_lag on the primary).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from reuse_portal.page_cache import catalogue_stamp

REPLICA = "replica"
# The apps whose content anonymous pages and the API show.
CONTENT_APPS = frozenset({"catalogue", "networks", "programme", "publishing"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Reads:
    replica_allowed: bool
    wrote_content: bool = False


_reads: ContextVar[_Reads | None] = ContextVar("replica_reads", default=None)


@contextmanager
def replica_reads(*, allowed: bool) -> Iterator[None]:
    """Within this block, content reads may go to the replica if `allowed`."""
    token = _reads.set(_Reads(replica_allowed=allowed))
    try:
        yield
    finally:
        _reads.reset(token)


def carries_no_credentials(request: HttpRequest) -> bool:
    """A safe-method request without a session cookie or an Authorization
    header: nothing it does depends on a write its sender just made."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "Authorization" not in request.headers
    )


def replica_caught_up() -> bool:
    """Whether the last content change is older than the replica's lag."""
    age_ns = time.time_ns() - int(catalogue_stamp())
    return age_ns > settings.DATABASE_REPLICA_MAX_LAG_SECONDS * 1_000_000_000


class ReplicaMiddleware:
    """Lets the anonymous, read-only requests read content from the replica.
    Not used at all without a replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if REPLICA not in settings.DATABASES:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = carries_no_credentials(request) and replica_caught_up()
        with replica_reads(allowed=allowed):
            return self.get_response(request)


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: object) -> str:
        reads = _reads.get()
        if (
            reads is not None
            and reads.replica_allowed
            and not reads.wrote_content
            and model._meta.app_label in CONTENT_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: object) -> str:
        reads = _reads.get()
        if reads is not None and model._meta.app_label in CONTENT_APPS:
            reads.wrote_content = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool:
        # The same data on both sides.
        return True

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: object
    ) -> bool:
        return db == DEFAULT_DB_ALIAS

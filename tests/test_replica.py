"""The read-replica router: which database each read and write goes to."""

import json
import os
import subprocess
import sys
import time
import urllib.parse

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import RequestFactory

from accounts.models import User
from catalogue.models import Component, Provider
from reuse_portal.page_cache import STAMP_KEY, new_stamp
from reuse_portal.routers import (
    REPLICA,
    ReplicaMiddleware,
    ReplicaRouter,
    carries_no_credentials,
    replica_caught_up,
    replica_reads,
)

router = ReplicaRouter()


def test_content_reads_of_anonymous_requests_go_to_the_replica():
    with replica_reads(allowed=True):
        assert router.db_for_read(Component) == REPLICA
        assert router.db_for_read(Provider) == REPLICA


def test_sessions_users_and_the_cache_are_always_read_from_the_primary():
    with replica_reads(allowed=True):
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS


def test_other_requests_read_from_the_primary():
    with replica_reads(allowed=False):
        assert router.db_for_read(Component) == DEFAULT_DB_ALIAS


def test_outside_requests_everything_reads_from_the_primary():
    assert router.db_for_read(Component) == DEFAULT_DB_ALIAS


def test_after_a_content_write_the_request_reads_from_the_primary():
    with replica_reads(allowed=True):
        # A session or cache write does not count: neither is read from the
        # replica.
        assert router.db_for_write(Session) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Component) == REPLICA

        assert router.db_for_write(Provider) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Component) == DEFAULT_DB_ALIAS

    with replica_reads(allowed=True):
        # The next request starts afresh.
        assert router.db_for_read(Component) == REPLICA


def test_reads_in_a_transaction_go_to_the_primary(monkeypatch):
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "in_atomic_block", True)

    with replica_reads(allowed=True):
        assert router.db_for_read(Component) == DEFAULT_DB_ALIAS


def test_migrations_only_run_on_the_primary():
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "catalogue") is True
    assert router.allow_migrate(REPLICA, "catalogue") is False


@pytest.mark.parametrize(
    ("method", "headers", "replica"),
    [
        ("get", {}, True),
        ("head", {}, True),
        ("options", {}, True),
        ("post", {}, False),
        ("patch", {}, False),
        ("get", {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=x"}, False),
        ("get", {"HTTP_AUTHORIZATION": "Token abc"}, False),
        # Cookies other than the session's do not make a visitor known.
        ("get", {"HTTP_COOKIE": "django_language=fr"}, True),
    ],
)
def test_only_requests_without_credentials_that_change_nothing_may(
    method, headers, replica
):
    request = getattr(RequestFactory(), method)("/api/v1/components/", **headers)

    assert carries_no_credentials(request) is replica


def test_for_a_while_after_a_content_change_the_replica_is_not_read(settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 5
    cache.set(STAMP_KEY, str(time.time_ns() - 6_000_000_000), timeout=None)
    assert replica_caught_up()

    new_stamp()  # what any save of content does

    assert not replica_caught_up()


def test_without_a_replica_the_middleware_steps_aside():
    assert REPLICA not in settings.DATABASES
    with pytest.raises(MiddlewareNotUsed):
        ReplicaMiddleware(lambda request: None)


# Counts, per database alias, the queries on content tables. (The test
# database has no cache table: the tests' settings use a local cache.)
SCRIPT = """
import json
from django.db import connections
from django.core.cache import cache
from django.test import Client
from django.test.utils import override_settings
from reuse_portal.page_cache import STAMP_KEY, new_stamp

override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
).enable()
# The last content change was long ago: the replica has caught up.
cache.set(STAMP_KEY, "0", timeout=None)

CONTENT = ("catalogue_", "networks_", "programme_", "publishing_")
counts = {}

def counting(alias):
    def wrapper(execute, sql, params, many, context):
        if any(f'"{table}' in sql for table in CONTENT):
            counts[label][alias] += 1
        return execute(sql, params, many, context)
    return wrapper

for alias in ("default", "replica"):
    connections[alias].execute_wrappers.append(counting(alias))
# Each its own list: the result count one request keeps (until the next
# change) is not read again by the next.
for label, cookie, query in (
    ("anonymous", "", ""),
    ("signed in", "sessionid=unknown", "?sort=newest"),
):
    counts[label] = {"default": 0, "replica": 0}
    response = Client(HTTP_COOKIE=cookie).get("/api/v1/components/" + query)
    assert response.status_code == 200, response
new_stamp()
label = "anonymous just after a change"
counts[label] = {"default": 0, "replica": 0}
assert Client().get("/api/v1/components/").status_code == 200
print(json.dumps(counts))
"""


def test_with_a_replica_configured_anonymous_content_reads_go_to_it(db):
    # Both aliases point at the test database, as a replica mirrors its
    # primary; what is counted is which alias each query went through.
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    test_database = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    database_url = urllib.parse.urlunsplit(url._replace(path=f"/{test_database}"))
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DATABASE_REPLICA_URL=database_url,
        ALLOWED_HOSTS="testserver",
        PAGE_CACHE_SECONDS="0",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout.splitlines()[-1])
    assert counts["anonymous"]["default"] == 0
    assert counts["anonymous"]["replica"] > 0
    everything_on_the_primary = {
        "default": counts["anonymous"]["replica"],
        "replica": 0,
    }
    assert counts["signed in"] == everything_on_the_primary
    assert counts["anonymous just after a change"] == everything_on_the_primary

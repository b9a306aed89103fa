"""The shared cache in the database: what Django's backend does, in fewer
statements."""

import threading

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from reuse_portal import cache as portal_cache
from reuse_portal import settings as production_settings
from tests.plans import nodes_run_without, plan_without

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache():
    # The database cache as production configures it (no REDIS_URL).
    with override_settings(CACHES=production_settings.CACHES):
        call_command("createcachetable")
        shared = caches["default"]
        assert isinstance(shared, portal_cache.UpsertDatabaseCache)
        yield shared
        shared.clear()


def test_a_value_is_written_in_one_statement_and_read_back(cache, monkeypatch):
    monkeypatch.setattr(portal_cache, "CULL_CHECK_EVERY", 10**6)
    cache.set("checked", "first")  # this process's first write counts the table

    with CaptureQueriesContext(connection) as writing:
        cache.set("answer", {"rows": [1, 2, 3]}, timeout=60)

    assert len(writing.captured_queries) == 1
    assert cache.get("answer") == {"rows": [1, 2, 3]}


def test_several_values_are_written_in_one_statement(cache, monkeypatch):
    monkeypatch.setattr(portal_cache, "CULL_CHECK_EVERY", 10**6)
    cache.set("checked", "first")  # this process's first write counts the table
    cache.set("b", "old", timeout=60)

    with CaptureQueriesContext(connection) as writing:
        cache.set_many({"a": 1, "b": [2, "new"], "c": None}, timeout=60)
    cache.set_many({})

    assert len(writing.captured_queries) == 1
    assert cache.get_many(["a", "b", "c", "d"]) == {"a": 1, "b": [2, "new"], "c": None}


def test_a_second_write_of_a_key_replaces_its_value_and_its_expiry(cache):
    cache.set("answer", "old", timeout=60)
    cache.set("answer", "new", timeout=None)

    assert cache.get("answer") == "new"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), MAX(expires) FROM portal_cache WHERE cache_key LIKE %s",
            ["%answer"],
        )
        rows, expires = cursor.fetchone()
    assert rows == 1
    assert expires.year == 9999  # never expires


def test_an_expired_value_is_not_read(cache):
    cache.set("answer", "stale", timeout=-1)

    assert cache.get("answer") is None
    assert cache.get("answer", "default") == "default"


def test_the_rest_of_the_backend_still_works(cache):
    # add() and incr() go through Django's own code, and read what set() wrote.
    assert cache.add("count", 1, timeout=60)
    assert not cache.add("count", 5, timeout=60)
    assert cache.incr("count", 2) == 3
    cache.set_many({"a": 1, "b": 2})
    assert cache.get_many(["a", "b", "count"]) == {"a": 1, "b": 2, "count": 3}
    cache.delete("a")
    assert cache.get("a") is None


@pytest.mark.django_db(transaction=True)
def test_increments_from_many_workers_at_once_are_all_counted(cache):
    # The rate limits' shared counts: each worker's thread adds its requests
    # with incr(), on a connection of its own.
    cache.set("count", 0, timeout=60)

    def add_one_at_a_time() -> None:
        try:
            for _ in range(25):
                cache.incr("count")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add_one_at_a_time) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert cache.get("count") == 100


def test_an_increment_keeps_the_expiry_of_the_count(cache):
    # A count belongs to its window: adding to it must not keep it longer.
    cache.set("count", 1, timeout=60)
    cache.incr("count", 5)

    assert cache.get("count") == 6
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires - now() FROM portal_cache WHERE cache_key LIKE %s",
            ["%count"],
        )
        (left,) = cursor.fetchone()
    assert left.total_seconds() <= 60
    with pytest.raises(ValueError, match="not found"):
        cache.incr("no-such-count")


def test_a_full_table_is_culled_when_the_entries_are_counted(cache, monkeypatch):
    monkeypatch.setattr(portal_cache, "CULL_CHECK_EVERY", 10**6)
    monkeypatch.setattr(cache, "_max_entries", 9)
    monkeypatch.setattr(cache, "_cull_frequency", 3)
    # Written in the reverse order of their names, entry-9 first: the one
    # that expires soonest has the last name.
    for n in reversed(range(10)):
        cache.set(f"entry-{n}", n, timeout=600 - n)
    cache.set("expired", "stale", timeout=-1)
    assert entries_in_the_table() == 11  # not counted: not culled

    monkeypatch.setattr(portal_cache, "CULL_CHECK_EVERY", 1)
    cache.set("last", "kept", timeout=600)

    # 11 entries, more than 9: the expired one goes, then the third of the
    # other ten that expire soonest (Django's cull would take the first
    # keys in alphabetical order: entry-0, -1 and -2).
    assert entries_in_the_table() == 11 - 1 - 3 + 1
    assert cache.get("last") == "kept"
    assert [cache.get(f"entry-{n}") for n in range(10)] == [*range(7), None, None, None]


def test_the_cull_finds_the_entries_to_delete_once_whatever_the_plan(
    cache, monkeypatch
):
    # On the bench's cache, with statistics from when it was nearly empty,
    # the planner joined the table to the entries that expire soonest by a
    # nested loop that found them again for each entry: 42.7 s at 20,105
    # entries, past the statement timeout. Here the planner is left no
    # other way to join them.
    cache.set_many({f"entry-{n}": n for n in range(1500)})
    monkeypatch.setattr(cache, "_max_entries", 1000)
    monkeypatch.setattr(cache, "_cull_frequency", 3)
    monkeypatch.setattr(portal_cache, "CULL_CHECK_EVERY", 1)

    with CaptureQueriesContext(connection) as culling, transaction.atomic():
        cache.set("last", "kept")
        assert entries_in_the_table() == 1500 - 1500 // 3 + 1
        transaction.set_rollback(True)
    (statement,) = [
        query["sql"] for query in culling.captured_queries if "LIMIT" in query["sql"]
    ]

    nodes = nodes_run_without(
        statement, "hashjoin", "mergejoin", "hashagg", "material", "sort"
    )
    limits = [node for node in nodes if node["Node Type"] == "Limit"]
    assert [limit["Actual Loops"] for limit in limits] == [1]


def entries_in_the_table() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM portal_cache")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_keys_are_still_found_through_the_index_after_the_cache_was_emptied(cache):
    # A busy cache, emptied, then vacuumed as autovacuum does. A connection
    # plans its lookups for the table it sees then, and keeps that plan
    # while the cache fills again (prepared statements): a table left a
    # page or two would be read whole by every lookup.
    portal_cache.tune_tables("default")
    cache.set_many({f"entry-{n}": "x" * 1000 for n in range(400)})
    cache.clear()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM portal_cache")

    plan = lookup_plan(cache, ["a", "b", "c"], found={})

    assert "portal_cache_pkey" in plan
    assert "Seq Scan" not in plan


@pytest.mark.django_db(transaction=True)
def test_keys_are_found_through_the_index_when_few_entries_followed_the_emptying(
    cache,
):
    # Keys as long as the portal's, emptied, then a few entries when
    # autovacuum analyzes the table. The planner prices a key's lookup by
    # the primary key's pages per entry: an index still the size of every
    # key it held, against five entries, would cost more than reading the
    # whole table.
    portal_cache.tune_tables("default")
    cache.set_many({f"catalogue-results:{n:064x}": n for n in range(3000)})
    cache.clear()
    cache.set_many({f"entry-{n}": n for n in range(5)})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE portal_cache")

    plan = lookup_plan(
        cache, ["entry-1", "entry-2", "missing"], found={"entry-1": 1, "entry-2": 2}
    )

    assert "portal_cache_pkey" in plan
    assert "Seq Scan" not in plan


def lookup_plan(cache, keys: list[str], found: dict) -> str:
    """The plan of the one statement that looks `keys` up, once the lookup
    has found what `found` says."""
    with CaptureQueriesContext(connection) as lookup:
        assert cache.get_many(keys) == found
    (statement,) = lookup.captured_queries
    return plan_without(statement["sql"])


@pytest.mark.parametrize("table", ["portal_cache", "portal_limits"])
def test_the_cache_tables_skip_the_write_ahead_log_and_compression(cache, table):
    portal_cache.tune_tables("default")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence, attstorage FROM pg_class"
            " JOIN pg_attribute ON attrelid = pg_class.oid"
            " WHERE relname = %s AND attname = 'value'",
            [table],
        )
        persistence, storage = cursor.fetchone()
    assert (persistence, storage) == ("u", "e")
    cache.set("answer", "x" * 100_000)
    assert cache.get("answer") == "x" * 100_000

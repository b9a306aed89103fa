"""The shared cache in a table of the database, for when there is no Redis.

Django's DatabaseCache writes an entry in five statements: it counts the
table's entries (to cull it when full), then, in a transaction, looks the key
up and inserts or updates it. That was a sixth of the cost of a component page
seen for the first time. Here `set` is one PostgreSQL upsert, and the entries
are counted on one write in CULL_CHECK_EVERY of each process: the table may
pass MAX_ENTRIES by that many writes per process before the cull runs.

When the table is full, the expired entries go first, as in Django's
backend, and then, here, those that expire soonest: Django's deletes the
first keys in alphabetical order, which put the catalogue's counts (costly,
read by every catalogue page) before any page, and fresh values before the
stale ones of a stamp no page asks for any more (reuse_portal/page_cache.py).

A migration tunes the tables (`tune_tables`):
* UNLOGGED: its writes skip PostgreSQL's write-ahead log, which halves their
  cost. A crash empties it, which costs a cache nothing it cannot rebuild
  (the catalogue's stamp included: a new one is made). Replicas do not
  receive it, and never need to: reuse_portal.routers reads the cache from
  the primary only.
* Values stored uncompressed (STORAGE EXTERNAL): compressing a kept
  component page (21 KB of base64) took longer than the rest of its write,
  0.75 ms against 0.4, and reading it back gained nothing.
* Pages kept when emptied (vacuum_truncate off). A connection plans a
  statement it has run five times once and for all (prepared statements,
  settings.DATABASE_PREPARE_THRESHOLD). Where the table is a page or two,
  as VACUUM leaves it once the cache was emptied (clear(), which the bench
  does before each run), reading it whole is cheapest, and that plan
  stayed: each page's lookup of its keys then read the whole table, ever
  larger as the cache filled again. At 100,000 components a new search's
  lookup took the database 400 µs instead of 25, 149 pages read instead
  of 9, in a ten-second run. With the pages kept, the table never looks
  small again and its keys are found by the index. A table that has never
  been filled (a new database, or this one after a crash: UNLOGGED) still
  starts small; its connections plan again after autovacuum's next ANALYZE
  of it, or when CONN_MAX_AGE closes them. Keeping the pages also spares
  every reader of the cache the lock that truncating the table takes.
* Indexes rebuilt when emptied. The planner prices a key's lookup by the
  primary key's pages per entry, as autovacuum last counted the entries.
  Keys come and go, and the index keeps the pages of every key it held:
  3,205 pages in the bench, for 11,305 entries that fit in 208 once
  rebuilt. Emptied, then analyzed while the first few entries came back (25
  of them), the table made each lookup of three keys look dearer than
  reading its 1,184 pages, and every connection that planned it then read
  them all: 922 pages and 877 µs a lookup, against 8 pages and 18 µs
  through the index. clear() rebuilds the indexes from the emptied table.
"""

from __future__ import annotations

import base64
import itertools
import pickle
from datetime import UTC, datetime

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now

CULL_CHECK_EVERY = 50


class UpsertDatabaseCache(DatabaseCache):
    def __init__(self, table: str, params: dict) -> None:
        super().__init__(table, params)
        # Shared by the process's threads: next() on a count is atomic.
        self._writes = itertools.count()

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self.set_many({key: value}, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        """All of `data` in one statement (Django's backend writes each key
        in turn)."""
        if not data:
            return []
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.max.replace(tzinfo=UTC)
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC)
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        expires = connection.ops.adapt_datetimefield_value(
            expires.replace(microsecond=0)
        )
        rows = [
            (self.make_and_validate_key(key, version=version), self._encode(value))
            for key, value in data.items()
        ]
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            if next(self._writes) % CULL_CHECK_EVERY == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                (entries,) = cursor.fetchone()
                if entries > self._max_entries:
                    now = tz_now().replace(microsecond=0)
                    self._cull(database, cursor, now, entries)
            cursor.execute(
                f"INSERT INTO {table} (cache_key, value, expires) VALUES "
                + ", ".join(["(%s, %s, %s)"] * len(rows))
                + " ON CONFLICT (cache_key) "
                "DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires",
                [param for key, value in rows for param in (key, value, expires)],
            )
        return []

    def incr(self, key, delta=1, version=None) -> int:
        """Django's adds `delta` to what it has read, then writes the sum
        with the default timeout: two workers adding at once wrote the same
        sum (four threads adding 100 at once counted 33), and a
        rate limit's count outlived its window. Here the entry is locked
        while it is read and rewritten, and keeps its expiry."""
        key = self.make_and_validate_key(key, version=version)
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        table = connection.ops.quote_name(self._table)
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value FROM {table} WHERE cache_key = %s AND expires >= %s "
                "FOR UPDATE",
                [key, connection.ops.adapt_datetimefield_value(tz_now())],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta
            cursor.execute(
                f"UPDATE {table} SET value = %s WHERE cache_key = %s",
                [self._encode(value), key],
            )
        return value

    def clear(self) -> None:
        """Every entry deleted, then the table's indexes rebuilt, so that
        its lookups keep to the primary key ("Indexes rebuilt when emptied"
        in the module's docstring)."""
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
            # Its own indexes only: REINDEX TABLE also rebuilds the index of
            # its TOAST table, which is never planned (chunks are found by
            # their number), reading every chunk to do it. With the bench's
            # cached pages in it: 104-112 ms, against 5 for the two indexes.
            cursor.execute(
                "SELECT indexrelid::regclass::text FROM pg_index "
                "WHERE indrelid = %s::regclass",
                [table],
            )
            for (index,) in cursor.fetchall():
                cursor.execute(f"REINDEX INDEX {index}")

    def _encode(self, value: object) -> str:
        """Pickled and in base64, as Django's own backend stores a value, so
        that its get() reads it."""
        pickled = pickle.dumps(value, self.pickle_protocol)
        return base64.b64encode(pickled).decode("latin1")

    def _cull(self, db, cursor, now, num) -> None:
        if self._cull_frequency == 0:
            self.clear()
            return
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        cursor.execute(
            f"DELETE FROM {table} WHERE expires < %s",
            [connection.ops.adapt_datetimefield_value(now)],
        )
        remaining = num - cursor.rowcount
        if remaining > self._max_entries:
            # The table's index on `expires` (createcachetable makes it)
            # finds them without sorting the table. In an array, they are
            # found once: from `IN (SELECT ...)` the planner may join the
            # table to them, and with statistics from when the table was
            # nearly empty (autovacuum's ANALYZE after clear()) it chose a
            # nested loop that found them again for each entry. On the
            # bench's cache of 20,105 entries that took 42.7 s, past the
            # statement timeout: the write failed, and so did every write
            # that counted the table after it. As an array: 24 ms.
            cursor.execute(
                f"DELETE FROM {table} WHERE cache_key = ANY(ARRAY("
                f"SELECT cache_key FROM {table} ORDER BY expires LIMIT %s))",
                [remaining // self._cull_frequency],
            )


def tune_tables(database: str) -> None:
    """Create the tables of the database caches in `database` if need be,
    UNLOGGED, their values uncompressed, their pages kept when emptied."""
    call_command("createcachetable", database=database, verbosity=0)
    connection = connections[database]
    with connection.cursor() as cursor:
        for alias in caches:
            backend = caches[alias]
            if isinstance(backend, DatabaseCache):
                table = connection.ops.quote_name(backend._table)
                cursor.execute(
                    f"ALTER TABLE {table} SET UNLOGGED, "
                    "ALTER COLUMN value SET STORAGE EXTERNAL, "
                    "SET (vacuum_truncate = false)"
                )

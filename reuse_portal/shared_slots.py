"""At most a few requests of one kind at once, across every worker and server
that share the database.

A download of the whole catalogue as CSV holds a worker thread, and most of
a core, for seconds (some 12 s alone at 100,000 components). The download
rates (EXPORT_RATE, EXPORT_TOTAL_RATE) count downloads *started* in a
minute; they let a few clients start eight at once, and eight at once took
the catalogue page from 855 to 196 req/s. A slot bounds how many *run*.

A slot is a PostgreSQL session-level advisory lock, taken without waiting
(pg_try_advisory_lock) on the request thread's connection to the default
database (the primary: locks are not shared with a replica). It is given
back when the request finishes (Django's request_finished, which the server
sends once it has sent the whole body or given up on the client), whatever
response the middleware finally sent. PostgreSQL also gives it back when
the connection closes: a worker killed in the middle of a download leaks
none, which a counter in the cache would. Session locks need a session per
client: behind PgBouncer they need its session pooling, not transaction
pooling.
"""

from __future__ import annotations

import threading
import zlib

from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

# The slots the current thread's request holds: (group key, slot number).
_held = threading.local()


class SharedSlots:
    def __init__(self, name: str) -> None:
        # Advisory locks take two int4 keys: the group's, from its name, and
        # the slot's number.
        self.key = zlib.crc32(name.encode()) - 2**31

    def take(self, size: int) -> bool:
        """Takes one of the `size` slots for the current request, until it
        finishes; False when every one is taken. One query per slot tried:
        a single query with LIMIT may lock more rows' slots than it returns
        (PostgreSQL's manual, "Advisory Locks")."""
        held = _held.__dict__.setdefault("slots", [])
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            for slot in range(size):
                cursor.execute(
                    "SELECT pg_try_advisory_lock(%s::int, %s::int)", [self.key, slot]
                )
                if cursor.fetchone()[0]:
                    held.append((self.key, slot))
                    # Connected at the first slot taken, not at import: a
                    # process that serves no download sends every request's
                    # request_finished to one receiver fewer.
                    request_finished.connect(
                        give_back, dispatch_uid="reuse_portal.shared_slots"
                    )
                    return True
        return False


def give_back(**kwargs) -> None:
    """Gives back the slots the finished request held (request_finished)."""
    slots = _held.__dict__.pop("slots", None)
    if not slots:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.connection is None:
        # Closed since (close_old_connections): PostgreSQL gave them back.
        return
    try:
        with connection.cursor() as cursor:
            for key, slot in slots:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s::int, %s::int)", [key, slot]
                )
    except DatabaseError:
        # A connection that cannot unlock still holds them: closing it ends
        # its session, and its locks with it.
        connection.close()

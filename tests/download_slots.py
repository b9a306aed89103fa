"""The download slots (reuse_portal/shared_slots.py) as another worker or
server holds them: taken in a database session of the test's own."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg

from interchange.tabular.views import RUNNING_DOWNLOADS

SlotTaker = Callable[[int], list[bool]]


@contextmanager
def slot_taker(database_url: str) -> Iterator[SlotTaker]:
    """A function that tries to take each of the first `size` slots in a
    session of its own, and says which it got; the session keeps them until
    it ends."""
    with psycopg.connect(database_url, autocommit=True) as session:

        def take(size: int) -> list[bool]:
            return [
                session.execute(
                    "SELECT pg_try_advisory_lock(%s::int, %s::int)",
                    [RUNNING_DOWNLOADS.key, slot],
                ).fetchone()[0]
                for slot in range(size)
            ]

        yield take

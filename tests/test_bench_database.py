"""The bench sizes PostgreSQL's buffers to hold its database, unless told."""

from pathlib import Path

import pytest
from django.db import OperationalError, connection

from bench import run
from bench.database import buffers_to_hold
from reuse_portal import watchdog

GIB = 2**30
MACHINE = 24 * GIB


def database_of(tables: Path, *sizes: int) -> Path:
    """A data directory's base/ holding files of these sizes (sparse: the
    size is what the bench reads, not the disk it takes)."""
    for number, size in enumerate(sizes):
        folder = tables / str(number % 2)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / str(number)).open("wb") as file:
            file.truncate(size)
    return tables


@pytest.mark.parametrize(
    ("sizes", "buffers"),
    [
        # 2.4 GB, as at 100,000 components: held, with a quarter more.
        ((GIB, GIB, 400 * 2**20), "3072MB"),
        # A quarter more is 1280 MB exactly; one byte more takes a step more.
        ((GIB,), "1280MB"),
        ((GIB, 1), "1536MB"),
        # A small database: one step.
        ((10 * 2**20,), "256MB"),
    ],
)
def test_the_buffers_hold_the_database_and_a_quarter_more(tmp_path, sizes, buffers):
    assert buffers_to_hold(database_of(tmp_path / "base", *sizes), MACHINE) == buffers


def test_the_buffers_never_take_more_than_a_quarter_of_the_memory(tmp_path):
    tables = database_of(tmp_path / "base", 10 * GIB)
    assert buffers_to_hold(tables, MACHINE) == "6144MB"
    # A machine that does not say how much memory it has: the default.
    assert buffers_to_hold(tables, 0) == "128MB"


def test_a_database_not_generated_yet_gets_the_default(tmp_path):
    assert buffers_to_hold(tmp_path / "base", MACHINE) == "128MB"


@pytest.mark.django_db(transaction=True)
def test_after_settling_the_loads_first_reads_write_nothing():
    """Rows just written, then read for the first time during the load, had
    PostgreSQL write pages while the bench measured (bench.run.settle_writes)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_buffercache")
        cursor.execute("CREATE TABLE bench_probe (id int, text text)")
        try:
            cursor.execute(
                "INSERT INTO bench_probe "
                "SELECT n, repeat('x', 200) FROM generate_series(1, 2000) n"
            )
            assert run.settle_writes().startswith("VACUUM and CHECKPOINT in ")
            with connection.cursor() as reader:
                reader.execute("SELECT count(*) FROM bench_probe")
                assert reader.fetchone() == (2000,)
                reader.execute(
                    "SELECT count(*) FILTER (WHERE isdirty), count(*) "
                    "FROM pg_buffercache "
                    "WHERE relfilenode = pg_relation_filenode('bench_probe')"
                )
                dirty, held = reader.fetchone()
            assert held > 0
            assert dirty == 0
        finally:
            with connection.cursor() as dropper:
                dropper.execute("DROP TABLE bench_probe")


@pytest.mark.django_db(transaction=True)
def test_the_bench_s_own_long_statements_outlast_the_portal_s_limits(settings):
    # A request's statement may take 0.3 s here: the portal's watchdog,
    # which its middleware installs, gives up after that.
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 200
    settings.DATABASE_CLIENT_TIMEOUT_MARGIN_MS = 100
    watchdog.install()
    connection.close()
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.6)")
    # Closed by the watchdog; a request's end lets Django's wrapper know.
    connection.close()

    with run.without_time_limits() as cursor:
        cursor.execute("SELECT pg_sleep(0.6), 'answered'")
        assert cursor.fetchone()[1] == "answered"

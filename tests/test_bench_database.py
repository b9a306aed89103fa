"""The bench sizes PostgreSQL's buffers to hold its database, unless told."""

from pathlib import Path

import pytest

from bench.database import buffers_to_hold

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

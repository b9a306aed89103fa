"""Run a command with DATABASE_URL pointing at PostgreSQL.

    python tools/with_pg.py -- python manage.py migrate

When DATABASE_URL is already set, the command runs against that server.
Otherwise an embedded PostgreSQL is started for the command's lifetime.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: with_pg.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    if os.environ.get("DATABASE_URL"):
        return subprocess.call(argv)

    from tools.embedded_pg import database_url, start

    server = start()
    # Without this, SIGTERM would skip the atexit hook that stops PostgreSQL.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = dict(os.environ, DATABASE_URL=database_url(server))
    try:
        return subprocess.call(argv, env=env)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

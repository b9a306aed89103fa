"""/healthz over real HTTP: 200 with the database, 503 without it, and 503
from a database that accepts connections but never answers."""

import json
import os
import socket
import urllib.error
import urllib.request

import pytest

from tests.conftest import free_port, gunicorn


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(live_server):
    status, body = get(f"{live_server.url}/healthz")

    assert status == 200
    assert body == {"status": "ok", "database": "ok"}


def healthz_with_database_at(port: int) -> tuple[int, dict]:
    """/healthz of the portal served by gunicorn with its database at `port`."""
    env = dict(
        os.environ,
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:{port}/reuse_portal",
        DEBUG="0",
        SECRET_KEY="test-only-secret-key",
        SECURE_SSL_REDIRECT="0",
    )
    with gunicorn(env) as url:
        return get(f"{url}/healthz")


def test_healthz_answers_503_when_the_database_does_not():
    status, body = healthz_with_database_at(free_port())

    assert status == 503
    assert body == {"status": "error", "database": "unavailable"}


def test_healthz_answers_503_when_the_database_accepts_but_never_answers():
    """As a frozen server: its kernel completes the TCP handshake, and then
    nothing. The probe gives up after DATABASE_CONNECT_TIMEOUT instead of
    waiting for ever (get() itself gives up after 10 s)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)  # never accepted, never answered
        status, body = healthz_with_database_at(silent.getsockname()[1])

    assert status == 503
    assert body == {"status": "error", "database": "unavailable"}

"""/healthz over real HTTP: 200 with the database, 503 without it."""

import json
import os
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


def test_healthz_answers_503_when_the_database_does_not():
    closed_port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:{closed_port}/reuse_portal",
        DEBUG="0",
        SECRET_KEY="test-only-secret-key",
        SECURE_SSL_REDIRECT="0",
    )

    with gunicorn(env) as url:
        status, body = get(f"{url}/healthz")

    assert status == 503
    assert body == {"status": "error", "database": "unavailable"}

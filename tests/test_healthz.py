"""/healthz over real HTTP: 200 with the database, 503 without it."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(live_server):
    status, body = get(f"{live_server.url}/healthz")

    assert status == 200
    assert body == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not():
    closed_port = free_port()
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:{closed_port}/reuse_portal",
        DEBUG="0",
        SECRET_KEY="test-only-secret-key",
        SECURE_SSL_REDIRECT="0",
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "reuse_portal.wsgi",
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except (ConnectionError, urllib.error.URLError):
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"the server did not start:\n{server.stdout.read()}")
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert status == 503
    assert body == {"status": "error", "database": "unavailable"}

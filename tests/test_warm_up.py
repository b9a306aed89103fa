"""A new gunicorn worker sets itself up before it accepts a connection, not
during its first requests, while the connections it accepted wait."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

# A worker as gunicorn starts it (the WSGI application loaded, then
# gunicorn.conf.py's post_worker_init), then its first request, straight
# through the WSGI application: a test client would import modules of its own.
WORKER = """
import json, runpy, sys
from wsgiref.util import setup_testing_defaults
from django.db import connection
from reuse_portal.wsgi import application

runpy.run_path("gunicorn.conf.py")["post_worker_init"](None)
connected_at_start = connection.connection is not None
environ = {"PATH_INFO": "/fr/catalogue/", "HTTP_HOST": "127.0.0.1"}
setup_testing_defaults(environ)
before = set(sys.modules)
statuses = []
b"".join(application(environ, lambda status, headers: statuses.append(status)))
imported = sorted(set(sys.modules) - before)

opened = []
sys.addaudithook(lambda event, args: event == "open" and opened.append(str(args[0])))
environ = {
    "PATH_INFO": "/fr/catalogue/", "QUERY_STRING": "q=connexion",
    "HTTP_HOST": "127.0.0.1",
}
setup_testing_defaults(environ)
b"".join(application(environ, lambda status, headers: statuses.append(status)))
print(json.dumps({
    "connected_at_start": connected_at_start,
    "statuses": statuses,
    "imported_by_first_request": imported,
    "opened_by_first_search": opened,
}))
"""


@pytest.fixture(scope="module")
def new_worker(portal) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=settings.BASE_DIR,
        env=portal.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # The worker's own log lines may come after its answer.
    (answer,) = [
        line for line in result.stdout.splitlines() if '"imported_by_first' in line
    ]
    return json.loads(answer)


def test_a_new_workers_first_page_imports_nothing(new_worker):
    assert new_worker["statuses"][0].startswith("200")
    imported = new_worker["imported_by_first_request"]
    assert imported == [], "\n".join(imported)


def test_a_new_worker_starts_without_the_database(new_worker):
    # A database down when workers start must not hold them up.
    assert not new_worker["connected_at_start"]


def test_a_new_workers_first_search_reads_no_file(new_worker):
    # The thesaurus (42 ms of YAML) is read before the worker accepts a
    # connection, not by its first search while the others wait.
    assert new_worker["statuses"][1].startswith("200")
    assert new_worker["opened_by_first_search"] == []

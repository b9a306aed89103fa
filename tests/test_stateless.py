"""App servers keep no state of their own: two gunicorn servers on one
database serve the same visitor, whichever of them answers."""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Iterator

import psycopg
import pytest
from django.conf import settings

from tests.conftest import gunicorn

PASSWORD = "a-long-test-password"


@pytest.fixture
def env() -> Iterator[dict[str, str]]:
    """Production-like settings on a database of their own, with one user."""
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = f"{parts.path.lstrip('/')}_stateless_{os.getpid()}"
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    env = dict(
        os.environ,
        DATABASE_URL=urllib.parse.urlunsplit(parts._replace(path=f"/{name}")),
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        MEDIA_ROOT=tempfile.mkdtemp(prefix="portal-media-"),
    )
    env.setdefault("SECRET_KEY", "test-only-secret-key")
    script = (
        "from tests.factories import make_user; "
        f"make_user(username='visitor', password='{PASSWORD}')"
    )
    for command in (["migrate", "--noinput"], ["shell", "--no-imports", "-c", script]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
        )
    yield env
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Browser:
    """Keeps cookies per host, as a browser does: behind a load balancer it
    sends the same cookies to every server (here, every port of 127.0.0.1)."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def get(self, url: str) -> tuple[str, str]:
        """The final address, after redirects, and the page."""
        with self.opener.open(url, timeout=10) as response:
            return response.url, response.read().decode()

    def post(self, url: str, fields: dict[str, str]) -> tuple[str, str]:
        csrf = next(c.value for c in self.cookies if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": csrf})
        with self.opener.open(url, data.encode(), timeout=10) as response:
            return response.url, response.read().decode()


def test_a_session_opened_on_one_server_is_served_by_the_other(env):
    browser = Browser()
    with gunicorn(env) as one, gunicorn(env) as other:
        browser.get(f"{one}/nl/account/login/")  # the CSRF cookie
        address, page = browser.post(
            f"{one}/nl/account/login/",
            {"username": "visitor", "password": PASSWORD},
        )
        assert address == f"{one}/nl/account/"
        assert re.search(r"<dd>visitor</dd>", page)

        # Signed in through one, known to the other.
        address, page = browser.get(f"{other}/nl/account/")
        assert address == f"{other}/nl/account/"
        assert re.search(r"<dd>visitor</dd>", page)
        # …because of the session, not because the other lets anyone in.
        address, _ = Browser().get(f"{other}/nl/account/")
        assert "/nl/account/login/" in address

        # Signed out through the other, unknown to the first again.
        browser.post(f"{other}/nl/account/logout/", {})
        address, _ = browser.get(f"{one}/nl/account/")
        assert "/nl/account/login/" in address


def uploads_storage(**env_overrides: str) -> dict:
    """The uploads' storage, the pages' img-src and, when django-storages is
    installed, a logo's address, under the given environment."""
    script = (
        "import json; from django.conf import settings\n"
        "from django.core.files.storage import InvalidStorageError, default_storage\n"
        "try:\n"
        "    url = default_storage.url('logos/0123456789abcdef.png')\n"
        "except InvalidStorageError:  # django-storages is not installed\n"
        "    url = None\n"
        "print(json.dumps({'storage': settings.STORAGES['default'],"
        " 'img_src': settings.SECURE_CSP['img-src'], 'url': url}))"
    )
    env = dict(os.environ, DEBUG="0", **env_overrides)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_without_a_bucket_uploads_stay_in_media_root():
    uploads = uploads_storage()

    assert uploads["storage"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    assert uploads["img_src"] == ["'self'", "data:"]


def test_with_a_bucket_uploads_go_to_s3_and_pages_may_show_them():
    uploads = uploads_storage(
        AWS_STORAGE_BUCKET_NAME="portal-uploads",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        AWS_ACCESS_KEY_ID="test-key-id",
        AWS_SECRET_ACCESS_KEY="test-secret",
    )

    assert uploads["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = uploads["storage"]["OPTIONS"]
    assert options["bucket_name"] == "portal-uploads"
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["file_overwrite"] is False
    assert uploads["img_src"] == [
        "'self'",
        "data:",
        "https://s3.example.org",
        "https://portal-uploads.s3.example.org",
    ]
    if uploads["url"] is None:
        pytest.skip("django-storages is not installed")
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(uploads["url"]))
    assert origin in uploads["img_src"]

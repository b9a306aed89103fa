import email
import email.policy
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from tests.factories import make_user

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made next to it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps dialling out, which this
# machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # The manifest only exists after collectstatic; the test servers serve
    # static files straight from the source folders instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    # Hashing passwords at production strength is most of the time a test
    # spends creating users; what is tested is who may do what.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Serve static files from the source folders, found on request.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # In-process tests count queries and see their own data at once: no
    # cache table, no page cache (tests/test_page_cache.py turns it on).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limits": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "limits",
        },
    }
    settings.PAGE_CACHE_SECONDS = 0
    # Tests empty the shared cache between requests: the stamp is read from
    # it every time.
    settings.STAMP_RECHECK_SECONDS = 0
    # One address and one cache for the whole suite: no page or download
    # limit, except where a test sets one.
    settings.PAGE_RATE = ""
    settings.EXPORT_RATE = ""
    settings.EXPORT_TOTAL_RATE = ""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def moderator(db):
    return make_user(username="moderator", is_staff=True, is_superuser=True)


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture(scope="module")
def seeded_catalogue(django_db_setup, django_db_blocker) -> str:
    """The real catalogue, loaded once per test module and rolled back after it.

    Tests that use it still take the `db` fixture: each runs in a savepoint
    inside this module-wide transaction.
    """
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_catalogue", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(
    server: subprocess.Popen, url: str, log: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers, even if not with 200
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"the server did not start:\n{log.read_text()}")
            time.sleep(0.2)


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[str]:
    """Serve the portal with gunicorn on a free loopback port; yields its URL."""
    port = free_port()
    # A file, not a pipe: a pipe nobody reads fills up and blocks the server.
    log = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "reuse_portal.wsgi"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "2"]
            # The schema fuzzer sometimes builds request lines past gunicorn's
            # 4 KB default, which gunicorn refuses (414, in HTML) before the
            # portal sees them; the fuzzer is here to test the portal.
            + ["--limit-request-line", "0"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, f"{url}/healthz", log)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.unlink()


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class Portal:
    url: str
    env: dict[str, str]

    def mails(self) -> list[Mail]:
        """Every e-mail the portal has sent, oldest first, decoded."""
        folder = Path(self.env["EMAIL_FILE_PATH"])
        mails = []
        for path in sorted(folder.iterdir()):
            # Django's file backend separates messages with a line of dashes.
            for raw in path.read_text().split("-" * 79):
                if raw.strip():
                    message = email.message_from_string(
                        raw.strip(), policy=email.policy.default
                    )
                    mails.append(
                        Mail(
                            to=str(message["To"]),
                            subject=str(message["Subject"]),
                            body=message.get_body(("plain",)).get_content(),
                        )
                    )
        return mails

    def manage(self, *command: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout


@pytest.fixture(scope="session")
def portal() -> Iterator[Portal]:
    """The portal as it runs in production (gunicorn, DEBUG off, collected static
    files), holding the real catalogue, in a database of its own.

    Loaded once per session: its users only read what is published, or
    submit components that stay unpublished.
    """
    base = os.environ.get("DATABASE_URL")
    if not base:
        pytest.fail("DATABASE_URL is not set: run the suite with `make test`.")
    parts = urllib.parse.urlsplit(base)
    name = f"{parts.path.lstrip('/')}_browser_{os.getpid()}"
    database_url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        # The schema fuzzer sends thousands of requests.
        API_ANONYMOUS_RATE="1000000/hour",
        PAGE_RATE="1000000/hour",
        EXPORT_RATE="1000000/hour",
        EXPORT_TOTAL_RATE="1000000/hour",
        API_WRITE_RATE="1000000/hour",
        # Tests change content through `manage` (another process) and look
        # at it at once: no second of grace for the workers' page copies.
        STAMP_RECHECK_SECONDS="0",
        # The portal's e-mails, one file each, for the browser tests to read.
        EMAIL_FILE_PATH=tempfile.mkdtemp(prefix="portal-mail-"),
        MEDIA_ROOT=tempfile.mkdtemp(prefix="portal-media-"),
    )
    env.setdefault("SECRET_KEY", "test-only-secret-key")
    with gunicorn(env) as url:
        server = Portal(url=url, env=env)
        server.manage("migrate", "--noinput")
        server.manage("load_catalogue")
        yield server
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def portal_url(portal: Portal) -> str:
    return portal.url


@pytest.fixture(scope="session")
def supplier_token(portal: Portal) -> str:
    """An API token of a Smals employee, on the session's portal."""
    script = (
        "from accounts.models import User; from catalogue.models import Provider; "
        "from knox.models import AuthToken; "
        "user = User.objects.create(username='supplier', "
        "organisation=Provider.objects.get(slug='smals')); "
        "print(AuthToken.objects.create(user=user, expiry=None)[1])"
    )
    return portal.manage("shell", "--no-imports", "-c", script).strip()


@pytest.fixture(autouse=True)
def fresh_search_understanding():
    """Each test's searches are understood from its own data."""
    from catalogue.search import _understand

    _understand.cache_clear()
    yield
    _understand.cache_clear()


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with empty caches: nothing another test left there
    (counts, figures, pages, in this process's copies too) is served."""
    from django.core.cache import cache

    from reuse_portal.page_cache import forget_local_copies

    cache.clear()
    forget_local_copies()


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """Each test's rate limits count its own requests: the shared counts are
    emptied, and what this process has counted but not yet added to them is
    forgotten too."""
    from django.core.cache import caches

    from reuse_portal.clients import window_counts

    caches["limits"].clear()
    window_counts.forget()


@pytest.fixture(autouse=True)
def download_slots_given_back(django_db_blocker):
    """A download gives its slot back when its response is closed, which the
    test client does only once the whole body is read: a test that looks at
    the status alone would leave the slot taken in this process's database
    session, for the tests after it."""
    yield
    from reuse_portal.shared_slots import give_back

    with django_db_blocker.unblock():
        give_back()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the portal's default language: a page requested
    in English by one test must not change what the next one saves (the
    untranslated model fields follow the active language)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)

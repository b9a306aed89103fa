import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

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
    # Serve static files from the source folders, found on request.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


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

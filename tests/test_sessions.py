"""A signed-in visitor's session: read from the shared cache on each
request, from the database when the cache has lost it, never signed out by
the cache."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_user

pytestmark = pytest.mark.django_db

# A page only someone signed in may see: anyone else is sent to sign in.
MY_SUBMISSIONS = "/nl/submissions/"


def session_table_reads(captured: CaptureQueriesContext) -> int:
    return sum('FROM "django_session"' in query["sql"] for query in captured)


def test_a_signed_in_request_reads_the_session_from_the_cache(client):
    client.force_login(make_user())

    with CaptureQueriesContext(connection) as captured:
        response = client.get(MY_SUBMISSIONS)

    assert response.status_code == 200
    assert session_table_reads(captured) == 0


def test_a_session_the_cache_lost_is_read_from_the_database(client):
    client.force_login(make_user())
    # A full cache culled it, or Redis restarted.
    cache.clear()

    with CaptureQueriesContext(connection) as captured:
        lost = client.get(MY_SUBMISSIONS)
    with CaptureQueriesContext(connection) as captured_again:
        again = client.get(MY_SUBMISSIONS)

    assert lost.status_code == 200
    assert session_table_reads(captured) == 1
    assert again.status_code == 200
    assert session_table_reads(captured_again) == 0


def test_signing_out_ends_the_session_in_the_cache_too(client):
    client.force_login(make_user())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post("/nl/account/logout/")
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie

    assert client.get(MY_SUBMISSIONS).status_code == 302

"""A signed-in visitor's session: read from the shared cache on each
request, from the database when the cache has lost it, never signed out by
the cache."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.compilations import record_compilations
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


@pytest.fixture
def user_compilations(monkeypatch):
    """Each compilation of a query of the users' table."""
    return record_compilations(monkeypatch, lambda query: query.model is User)


def test_the_user_of_each_request_is_read_without_compiling_its_query(
    client, user_compilations
):
    # The process compiled the lookup once (here, for this first person).
    client.force_login(make_user())
    client.get(MY_SUBMISSIONS)
    person = make_user(first_name="Ander")
    client.force_login(person)
    user_compilations.clear()

    with CaptureQueriesContext(connection) as captured:
        response = client.get(MY_SUBMISSIONS)

    assert response.status_code == 200
    assert response.context["user"] == person
    assert response.context["user"].first_name == "Ander"
    assert user_compilations == []
    assert sum('FROM "accounts_user"' in query["sql"] for query in captured) == 1


def test_a_deactivated_or_deleted_user_is_signed_out_at_the_next_request(client):
    person = make_user()
    client.force_login(person)
    assert client.get(MY_SUBMISSIONS).status_code == 200

    User.objects.filter(pk=person.pk).update(is_active=False)
    assert client.get(MY_SUBMISSIONS).status_code == 302

    client.force_login(other := make_user())
    assert client.get(MY_SUBMISSIONS).status_code == 200
    other.delete()
    assert client.get(MY_SUBMISSIONS).status_code == 302


def test_users_are_looked_up_by_key_as_django_does():
    person = make_user(first_name="Eén")

    found = User.objects.get(pk=person.pk)

    assert found == person
    assert [getattr(found, f.attname) for f in User._meta.concrete_fields] == [
        getattr(person, f.attname) for f in User._meta.concrete_fields
    ]
    assert not found._state.adding
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=person.pk + 1000)
    # Any other lookup is Django's own.
    assert User.objects.get(username=person.username) == person

"""One-time messages: shown on the page after the action, then never again,
although the message storage is only opened by the requests that use it."""

import pytest

from tests.factories import make_user

pytestmark = pytest.mark.django_db

SAVED_SEARCHES = "/nl/account/saved-searches/"


def test_a_message_is_shown_once_on_the_page_after_the_action(client):
    client.force_login(make_user())

    after_saving = client.post(SAVED_SEARCHES + "new/", {"query": "q=eid"}, follow=True)
    again = client.get(SAVED_SEARCHES)

    assert after_saving.redirect_chain[-1][0] == SAVED_SEARCHES
    assert "Zoekopdracht bewaard" in after_saving.content.decode()
    assert "Zoekopdracht bewaard" not in again.content.decode()


def test_a_message_waits_for_the_next_page_that_shows_messages(client):
    client.force_login(make_user())

    client.post(SAVED_SEARCHES + "new/", {"query": "q=eid"})
    # Neither shows messages: the message is kept for the next page that does.
    client.get("/api/v1/components/")
    client.get("/nl/catalogue/")
    shown = client.get(SAVED_SEARCHES)
    again = client.get(SAVED_SEARCHES)

    assert "Zoekopdracht bewaard" in shown.content.decode()
    assert "Zoekopdracht bewaard" not in again.content.decode()

"""Moderators see masked addresses and export the confirmed list."""

import csv
import io

import pytest
from django.utils import timezone

from newsletter.models import Subscription
from tests.factories import make_user

pytestmark = pytest.mark.django_db

EXPORT = "/en/admin/newsletter/subscription/export/"


def make_subscription(email: str, **fields) -> Subscription:
    return Subscription.objects.create(
        email=email, languages=fields.pop("languages", ["nl"]), language="nl", **fields
    )


@pytest.fixture
def subscribers():
    now = timezone.now()
    return {
        "confirmed": make_subscription(
            "élise@example.be", languages=["fr", "en"], confirmed_at=now
        ),
        "pending": make_subscription("pending@example.be"),
        "gone": make_subscription(
            "gone@example.be", confirmed_at=now, unsubscribed_at=now
        ),
    }


def test_the_export_holds_only_confirmed_subscribers(moderator_client, subscribers):
    response = moderator_client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row["email"] for row in rows] == ["élise@example.be"]
    assert rows[0]["editions"] == "fr en"
    assert "/nl/newsletter/unsubscribe/" in rows[0]["unsubscribe_url"]


def test_the_export_link_is_on_the_list_and_addresses_are_masked(
    moderator_client, subscribers
):
    response = moderator_client.get("/en/admin/newsletter/subscription/")

    assert EXPORT in response.text
    assert "é•••@e•••.be" in response.text
    for subscription in subscribers.values():
        assert subscription.email not in response.text


def test_people_who_are_not_moderators_cannot_export(client, subscribers):
    staff = make_user(is_staff=True)
    client.force_login(staff)

    response = client.get(EXPORT)

    assert response.status_code == 403
    assert b"example.be" not in response.content


def test_a_subscription_cannot_be_added_or_edited_in_the_admin(
    moderator_client, subscribers
):
    pk = subscribers["pending"].pk
    assert (
        moderator_client.get("/en/admin/newsletter/subscription/add/").status_code
        == 403
    )
    moderator_client.post(
        f"/en/admin/newsletter/subscription/{pk}/change/",
        {"email": "changed@example.be"},
    )
    assert Subscription.objects.get(pk=pk).email == "pending@example.be"

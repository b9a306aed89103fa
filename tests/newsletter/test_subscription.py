"""Double opt-in, one-click unsubscribe, no duplicates, no address on any
page, and a limit on how often anyone may ask."""

import re
import time
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils.translation import gettext

from newsletter.models import Subscription

pytestmark = pytest.mark.django_db

ADDRESS = "Jeanne.Dupont@example.be"
LINK = re.compile(r"http://[^/\s]+(/\S+/)")


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    """Ask for the newsletter as a visitor would; returns the response."""

    def ask(email=ADDRESS, languages=("nl",), lang="nl", address="192.0.2.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/{lang}/newsletter/",
                {"email": email, "languages": list(languages)},
                REMOTE_ADDR=address,
            )

    return ask


def links(message) -> tuple[str, str]:
    """The confirmation and unsubscribe paths of a mail, in that order."""
    confirm, leave = LINK.findall(message.body)
    return confirm, leave


def test_a_subscription_counts_only_once_confirmed(client, subscribe):
    response = subscribe()

    assert response.status_code == 302
    assert response["Location"] == "/nl/newsletter/sent/"
    assert Subscription.objects.count() == 1
    assert not Subscription.objects.confirmed().exists()
    assert len(mail.outbox) == 1
    confirm, _leave = links(mail.outbox[0])

    # Opening the link asks; a mail scanner that opens it confirms nothing.
    assert client.get(confirm).status_code == 200
    assert not Subscription.objects.confirmed().exists()

    response = client.post(confirm)

    assert response.status_code == 200
    assert Subscription.objects.confirmed().get().languages == ["nl"]


def test_the_mail_is_in_the_visitors_language_with_unsubscribe_headers(subscribe):
    subscribe(languages=("fr", "en"), lang="fr")

    message = mail.outbox[0]
    confirm, leave = links(message)
    assert message.to == [ADDRESS]
    assert confirm.startswith("/fr/newsletter/confirm/")
    assert leave.startswith("/fr/newsletter/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{leave}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )


def test_the_mail_language_is_an_edition_asked_for(subscribe):
    subscribe(languages=("en",), lang="nl")

    assert links(mail.outbox[0])[0].startswith("/en/newsletter/confirm/")
    assert Subscription.objects.get().language == "en"


def test_a_tampered_link_is_refused_and_changes_nothing(client, subscribe):
    subscribe()
    confirm, leave = links(mail.outbox[0])
    token = confirm.split("/")[-2]
    forged = confirm.replace(
        token, token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")
    )

    for path in (forged, leave.replace(leave.split("/")[-2], "1:forged")):
        assert client.get(path).status_code == 400
        response = client.post(path)
        assert response.status_code == 400
        assert response.context["expired"] is False
    assert not Subscription.objects.confirmed().exists()
    assert not Subscription.objects.filter(unsubscribed_at__isnull=False).exists()


def test_an_expired_link_is_refused(client, subscribe):
    four_days_ago = time.time() - 4 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=four_days_ago):
        subscribe()
    confirm, _leave = links(mail.outbox[0])

    response = client.post(confirm)

    assert response.status_code == 400
    assert response.context["expired"] is True
    assert not Subscription.objects.confirmed().exists()


def test_a_link_just_within_three_days_still_works(client, subscribe):
    almost = time.time() - 3 * 24 * 3600 + 60
    with mock.patch("django.core.signing.time.time", return_value=almost):
        subscribe()

    client.post(links(mail.outbox[0])[0])

    assert Subscription.objects.confirmed().exists()


def test_subscribing_twice_makes_one_row_and_says_the_same(client, subscribe):
    first = subscribe()
    client.post(links(mail.outbox[0])[0])

    again = subscribe(email=ADDRESS.upper(), languages=("fr",))
    unknown = subscribe(email="someone.else@example.be", languages=("fr",))

    assert Subscription.objects.filter(email__iexact=ADDRESS).count() == 1
    # The same answer for a confirmed address and a new one.
    assert again["Location"] == unknown["Location"] == first["Location"]
    # A stranger typing the address changes nothing until its owner confirms.
    assert Subscription.objects.get(email__iexact=ADDRESS).languages == ["nl"]
    client.post(links(mail.outbox[1])[0])
    assert Subscription.objects.get(email__iexact=ADDRESS).languages == ["fr"]


def test_unsubscribing_needs_no_login_and_no_cookie(subscribe):
    subscribe()
    confirm, leave = links(mail.outbox[0])
    Client().post(confirm)
    assert Subscription.objects.confirmed().exists()
    anonymous = Client(enforce_csrf_checks=True)

    # Opening the link only asks.
    assert anonymous.get(leave).status_code == 200
    assert Subscription.objects.confirmed().exists()

    response = anonymous.post(leave)

    assert response.status_code == 200
    assert not Subscription.objects.confirmed().exists()


def test_one_click_unsubscribe_from_a_mail_program(subscribe):
    subscribe()
    confirm, leave = links(mail.outbox[0])
    Client().post(confirm)

    response = Client(enforce_csrf_checks=True).post(
        leave,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not Subscription.objects.confirmed().exists()


def test_an_old_confirmation_link_cannot_undo_an_unsubscribe(client, subscribe):
    subscribe()
    confirm, leave = links(mail.outbox[0])
    client.post(confirm)
    # Unsubscribed a few seconds after the link was made.
    later = datetime.now(UTC) + timedelta(seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        client.post(leave)

    response = client.post(confirm)

    assert response.status_code == 400
    assert not Subscription.objects.confirmed().exists()


def test_the_address_never_appears_on_a_page(client, subscribe, moderator_client):
    pages = [subscribe(), client.get("/nl/newsletter/sent/")]
    confirm, leave = links(mail.outbox[0])
    pages += [client.get(confirm), client.post(confirm)]
    pages += [client.get(leave), client.post(leave)]
    pages.append(moderator_client.get("/en/admin/newsletter/subscription/"))
    subscription = Subscription.objects.get()
    pages.append(
        moderator_client.get(
            f"/en/admin/newsletter/subscription/{subscription.pk}/change/"
        )
    )

    for page in pages:
        assert page.status_code in (200, 302)
        text = page.content.decode().lower()
        assert ADDRESS.lower() not in text
        assert "jeanne" not in text


def test_too_many_requests_from_one_client_are_refused(subscribe):
    answers = [
        subscribe(email=f"person{n}@example.be", address="198.51.100.7")
        for n in range(6)
    ]

    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert (
        gettext(
            "Many subscriptions were asked from your connection in the "
            "last hour. Please try again later."
        )
        in answers[-1].text
    )
    assert len(mail.outbox) == 5
    # Another client is not held back.
    assert (
        subscribe(email="other@example.be", address="198.51.100.8").status_code == 302
    )


def test_one_address_gets_at_most_five_mails_an_hour(subscribe):
    answers = [subscribe(address=f"203.0.113.{n}") for n in range(7)]

    # Every visitor reads the same answer; the mailbox is not flooded.
    assert {a.status_code for a in answers} == {302}
    assert len(mail.outbox) == 5
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-address", "languages": ["nl"]}, "email"),
        ({"email": ADDRESS, "languages": []}, "languages"),
        ({"email": ADDRESS, "languages": ["de"]}, "languages"),
    ],
)
def test_bad_input_is_explained_and_kept(client, data, field):
    response = client.post("/en/newsletter/", data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "Please correct the following" in response.text
    assert not Subscription.objects.exists()
    assert mail.outbox == []

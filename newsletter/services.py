"""Subscribing, confirming and unsubscribing, by signed links.

The confirmation link is signed with a timestamp and expires after
CONFIRM_MAX_AGE; it carries the editions asked for, which a subscription
takes only when its owner opens it, so a stranger who types someone's
address changes nothing. The unsubscribe link never expires: it is in every
e-mail, and an old e-mail must still let its reader leave.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from newsletter.models import Subscription
from reuse_portal.clients import client_address, window_counts

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=3)
# Requests to subscribe, per client address and per e-mail address.
RATE = "5/hour"


@dataclass(frozen=True)
class BadLink(Exception):
    """A link that was altered, cut, or (for a confirmation) has expired."""

    expired: bool = False


def too_many_from(request: HttpRequest) -> bool:
    """Count one request to subscribe from this client: True past RATE."""
    return window_counts.wait("newsletter", client_address(request), RATE) is not None


def request_subscription(*, email: str, languages: list[str], language: str) -> None:
    """Ask the owner of `email` to confirm a subscription to `languages`.

    The same whatever the address's state, so nothing tells a visitor
    whether it is already subscribed: a new address gets a pending row, a
    known one keeps its row as it is until the link is opened. Past RATE
    for this address no e-mail is sent, so nobody can flood a mailbox.
    """
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    if window_counts.wait("newsletter-address", digest, RATE) is not None:
        return
    with transaction.atomic():
        subscription = Subscription.objects.filter(email__iexact=email).first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        email=email.strip(), languages=languages, language=language
                    )
            except IntegrityError:  # the same address, at the same moment
                subscription = Subscription.objects.get(email__iexact=email)
        pk = subscription.pk
        transaction.on_commit(
            lambda: send_confirmation.enqueue(pk, sorted(languages), language)
        )


@task
def send_confirmation(
    subscription_id: int, languages: list[str], language: str
) -> None:
    """Run by the database-backed worker (`manage.py db_worker`)."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return
    token = confirmation_token(subscription, languages=languages, language=language)
    with translation.override(language):
        confirm_url = settings.SITE_URL + reverse("newsletter:confirm", args=[token])
        message = subscription_mail(
            subscription,
            "newsletter/email/confirm",
            {
                "confirm_url": confirm_url,
                "languages": languages,
                "valid_days": CONFIRM_MAX_AGE.days,
            },
        )
    # A refusal of the mail server fails the task, which says so in the
    # worker's log; the visitor may simply ask again.
    message.send()


def subscription_mail(
    subscription: Subscription, template: str, context: dict
) -> EmailMessage:
    """An e-mail to a subscriber, in the active language, with the one-click
    unsubscribe link in its text and in its headers (RFC 2369, RFC 8058)."""
    leave = unsubscribe_url(subscription)
    context = {**context, "unsubscribe_url": leave, "site": settings.SITE_URL}
    subject = render_to_string(f"{template}_subject.txt", context)
    return EmailMessage(
        # One line: a line break in a subject would start a header.
        subject=" ".join(subject.split()),
        body=render_to_string(f"{template}_body.txt", context),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def confirmation_token(
    subscription: Subscription, *, languages: list[str], language: str
) -> str:
    """What the confirmation link carries: the request, signed and dated."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"s": subscription.pk, "l": languages, "m": language, "t": int(time.time())},
        compress=True,
    )


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"s": subscription.pk})


def unsubscribe_url(subscription: Subscription) -> str:
    """The subscriber's own unsubscribe link, in the active language."""
    path = reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscription)])
    return settings.SITE_URL + path


def check_confirmation(token: str) -> dict:
    """The request a confirmation link carries; BadLink if it was altered
    or is older than CONFIRM_MAX_AGE."""
    try:
        return signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            token, max_age=CONFIRM_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise BadLink(expired=True) from error
    except (signing.BadSignature, ValueError) as error:
        raise BadLink from error


def confirm(token: str) -> Subscription:
    """Make the subscription count, with the editions the link carries."""
    request = check_confirmation(token)
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().filter(pk=request["s"]).first()
        )
        if subscription is None:
            raise BadLink
        left = subscription.unsubscribed_at
        if left is not None and left.timestamp() > request["t"]:
            # Asked before they unsubscribed: the later choice stands.
            raise BadLink(expired=True)
        subscription.languages = request["l"]
        subscription.language = request["m"]
        if not subscription.is_active:
            subscription.confirmed_at = timezone.now()
        subscription.unsubscribed_at = None
        subscription.full_clean()
        subscription.save()
    return subscription


def check_unsubscribe(token: str) -> int:
    """The subscription an unsubscribe link is for; BadLink if altered."""
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)["s"]
    except (signing.BadSignature, ValueError, KeyError, TypeError) as error:
        raise BadLink from error


def unsubscribe(token: str) -> None:
    """Stop the subscription at once. A subscription a moderator has since
    deleted is gone already: nothing to do."""
    Subscription.objects.filter(
        pk=check_unsubscribe(token), unsubscribed_at__isnull=True
    ).update(unsubscribed_at=timezone.now())

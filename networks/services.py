"""The only code that creates and decides requests to join a network.

Each decision locks the request's row, checks that it is still pending and
that the actor may decide it, and writes the requester's e-mail to the
outbox in the same transaction (publishing.notifications sends it once the
decision has committed): a refusal changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.requests import NotAllowed, Refused, lock_pending, record_decision
from networks.models import JoinRequest, JoinRequestState, Membership, Network
from publishing.models import Notification
from publishing.notifications import enqueue


def request_to_join(*, network: Network, user: User, message: str = "") -> JoinRequest:
    """Ask to join `network`. Asking again while a request waits returns that
    request: one answer per question."""
    if not network.is_public:
        raise Refused(_("This network is not open to requests."))
    if not user.is_authenticated or not user.is_active:
        raise NotAllowed(_("Sign in to ask to join a network."))
    if network.is_member(user):
        raise Refused(_("You are already a member of this network."))
    waiting = network.join_requests.pending().filter(user=user).first()
    if waiting is not None:
        return waiting
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                network=network, user=user, message=message.strip()
            )
            _tell_coordinators(join_request)
    except IntegrityError:
        # The same user's other click won the race: that request stands.
        return network.join_requests.pending().get(user=user)
    return join_request


def can_decide(*, actor: User, join_request: JoinRequest) -> bool:
    """The network's coordinators and the moderators decide; nobody decides
    their own request."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.pk == join_request.user_id:
        return False
    if is_moderator(actor):
        return True
    return join_request.network.is_coordinator(actor)


def is_moderator(user: User) -> bool:
    return user.is_staff and user.has_perm("networks.change_joinrequest")


def accept(*, join_request: JoinRequest, actor: User) -> JoinRequest:
    """Make the requester a member: they then see the other members'
    contacts, and the others see theirs."""
    with transaction.atomic():
        locked = _lock_pending(join_request, actor=actor)
        requester = locked.user
        Membership.objects.get_or_create(
            network=locked.network,
            user=requester,
            defaults={
                "organisation": requester.organisation,
                "person_name": str(requester),
                "role": Membership.Role.MEMBER,
                "joined_on": timezone.localdate(),
            },
        )
        record_decision(locked, JoinRequestState.ACCEPTED, actor=actor)
        _tell_requester(locked)
    return locked


def decline(*, join_request: JoinRequest, actor: User, reason: str = "") -> JoinRequest:
    """Refuse the request; the requester may ask again later."""
    with transaction.atomic():
        locked = _lock_pending(join_request, actor=actor)
        locked.reason = reason.strip()
        record_decision(locked, JoinRequestState.DECLINED, actor=actor)
        _tell_requester(locked)
    return locked


def _lock_pending(join_request: JoinRequest, *, actor: User) -> JoinRequest:
    return lock_pending(
        join_request,
        may_decide=lambda locked: can_decide(actor=actor, join_request=locked),
        related=["user", "network"],
    )


def _tell_requester(join_request: JoinRequest) -> Notification | None:
    """The decision, in the requester's language."""
    return _notify(join_request.user, "join_decision", join_request)


def _tell_coordinators(join_request: JoinRequest) -> None:
    """A new request, to each coordinator with an account. A network
    without one has its requests followed by the moderators (admin)."""
    coordinators = join_request.network.memberships.filter(
        role=Membership.Role.COORDINATOR, user__is_active=True
    ).select_related("user")
    for membership in coordinators:
        _notify(membership.user, "join_request", join_request)


def _notify(
    recipient: User, template: str, join_request: JoinRequest
) -> Notification | None:
    """An e-mail in the recipient's language, written to the outbox in the
    current transaction and sent once it commits: a mail server that is
    down delays it, never loses it."""
    if not recipient.email:
        return None
    network = join_request.network
    with translation.override(recipient.language):
        context = {
            "join_request": join_request,
            "network": network,
            "recipient": recipient,
            "network_url": settings.SITE_URL + network.get_absolute_url(),
            "requests_url": settings.SITE_URL
            + reverse("networks:join-requests", args=[network.slug]),
        }
        subject = render_to_string(f"networks/email/{template}_subject.txt", context)
        body = render_to_string(f"networks/email/{template}_body.txt", context)
    notification = Notification.objects.create(
        recipient=recipient,
        # One line: a name cannot become a mail header.
        subject=" ".join(subject.split())[:200],
        body=body,
    )
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification

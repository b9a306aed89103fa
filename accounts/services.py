"""The only code that creates and decides membership requests.

Each decision locks the request's row, checks that it is still pending and
that the actor may decide it, changes the request and the user in one
transaction, and sends the requester an e-mail once that has committed: a
refusal changes nothing.
"""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import MembershipRequest, MembershipState, OrganisationRole, User

# NotAllowed is raised by lock_pending; callers catch it as services.NotAllowed.
from accounts.requests import NotAllowed as NotAllowed
from accounts.requests import Refused, lock_pending, record_decision
from catalogue.models import Provider, ProviderKind

logger = logging.getLogger(__name__)


def request_membership(
    *,
    user: User,
    provider: Provider | None = None,
    proposed_name: str = "",
    proposed_website: str = "",
    proposed_contact_email: str = "",
    role: str = OrganisationRole.MEMBER,
) -> MembershipRequest:
    """Ask to join `provider`, or to have the proposed organisation added and
    join it. A user belongs to one organisation and waits for one answer at
    a time."""
    if (provider is None) == (not proposed_name.strip()):
        raise Refused(_("Choose one organisation, or propose a new one."))
    _check_role(role)
    with transaction.atomic():
        # Serialises a user's requests: two at once cannot both pass the checks.
        locked_user = User.objects.select_for_update().get(pk=user.pk)
        if locked_user.organisation_id is not None:
            raise Refused(_("You already belong to an organisation."))
        if locked_user.membership_requests.pending().exists():
            raise Refused(_("You already have a request waiting for an answer."))
        return MembershipRequest.objects.create(
            user=locked_user,
            provider=provider,
            proposed_name=proposed_name.strip() if provider is None else "",
            proposed_website=proposed_website if provider is None else "",
            proposed_contact_email=proposed_contact_email if provider is None else "",
            role=role,
        )


def can_decide(*, actor: User, membership: MembershipRequest) -> bool:
    """Moderators decide every request; a manager of an organisation decides
    the requests to join it. Nobody decides their own."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.pk == membership.user_id:
        return False
    if actor.is_staff and actor.has_perm("accounts.change_membershiprequest"):
        return True
    # A proposal names no organisation yet: only a moderator can vet it.
    return (
        membership.provider_id is not None
        and actor.is_organisation_manager
        and actor.organisation_id == membership.provider_id
    )


def approve_membership(
    *, membership: MembershipRequest, actor: User, role: str | None = None
) -> MembershipRequest:
    """Make the requester a member (or manager) of the organisation, created
    first as a private partner if it was proposed."""
    with transaction.atomic():
        locked = _lock_pending(membership, actor=actor)
        role = role or locked.role
        _check_role(role)
        requester = locked.user
        if requester.organisation_id is not None:
            raise Refused(_("The requester already belongs to an organisation."))
        if locked.provider_id is None:
            locked.provider = _create_provider(locked)
        locked.role = role
        record_decision(
            locked, MembershipState.APPROVED, actor=actor, changed=["provider", "role"]
        )
        requester.organisation = locked.provider
        requester.organisation_role = role
        requester.save(update_fields=["organisation", "organisation_role"])
        _tell_requester(locked, requester)
    return locked


def decline_membership(
    *, membership: MembershipRequest, actor: User, reason: str
) -> MembershipRequest:
    """Refuse the request; the requester reads the reason in the e-mail."""
    reason = reason.strip()
    if not reason:
        raise Refused(_("Give the reason: the requester receives it."))
    with transaction.atomic():
        locked = _lock_pending(membership, actor=actor)
        locked.reason = reason
        record_decision(locked, MembershipState.DECLINED, actor=actor)
        _tell_requester(locked, locked.user)
    return locked


def existing_provider_named(name: str) -> Provider | None:
    """The listed organisation called `name` in any language, if there is one."""
    name = name.strip()
    return Provider.objects.filter(
        Q(name_nl__iexact=name) | Q(name_fr__iexact=name) | Q(name_en__iexact=name)
    ).first()


def _lock_pending(membership: MembershipRequest, *, actor: User) -> MembershipRequest:
    # The join locks the requester's row too: their organisation changes with
    # the decision.
    return lock_pending(
        membership,
        may_decide=lambda locked: can_decide(actor=actor, membership=locked),
        related=["user"],
    )


def _create_provider(proposal: MembershipRequest) -> Provider:
    # The proposer's name stands in every language until a moderator
    # translates it in the admin.
    name = proposal.proposed_name
    return Provider.objects.create(
        slug=Provider.objects.free_slug(name, fallback="organisation"),
        kind=ProviderKind.PRIVATE_COMPANY,
        name_nl=name,
        name_fr=name,
        name_en=name,
        website_url=proposal.proposed_website,
        contact_email=proposal.proposed_contact_email,
    )


def _check_role(role: str) -> None:
    if role not in OrganisationRole.values:
        raise Refused(_("Unknown role."))


def _tell_requester(membership: MembershipRequest, requester: User) -> None:
    """Write the decision's e-mail in the requester's language, and send it
    once the decision has committed: a rolled-back decision sends nothing."""
    if not requester.email:
        return
    with translation.override(requester.language):
        context = {
            "membership": membership,
            "requester": requester,
            "organisation_url": settings.SITE_URL + reverse("accounts:organisation"),
        }
        subject = render_to_string(
            "accounts/email/membership_decision_subject.txt", context
        )
        body = render_to_string("accounts/email/membership_decision_body.txt", context)
    # Subjects are one line: a proposed name with a line break must not
    # become a header.
    subject = " ".join(subject.split())
    transaction.on_commit(lambda: _send(subject, body, requester.email))


def _send(subject: str, body: str, recipient: str) -> None:
    # The decision stands even when the mail server is down: the requester
    # also sees it on their organisation page.
    try:
        send_mail(subject, body, None, [recipient])
    except (SMTPException, OSError) as error:
        logger.warning(
            "membership decision e-mail to %s not sent: %s", recipient, error
        )

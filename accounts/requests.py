"""The steps every decision on a request (`accounts.models.DecidedRequest`)
shares, for the services that decide them: lock the request, check that the
actor may decide it and that it still waits, record the decision; and, for
the pages that decide, report the outcome to the decider.

Each service runs these inside its own transaction, with what its decision
changes besides the request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import DecidedRequest, User


class NotAllowed(PermissionDenied):
    """The actor may not decide this request."""


class Refused(ValidationError):
    """The request's or the user's state does not allow the step."""


def lock_pending[R: DecidedRequest](
    decided: R,
    *,
    may_decide: Callable[[R], bool],
    related: Iterable[str] = (),
) -> R:
    """`decided` read again and locked until the transaction ends, with the
    `related` rows it joins, so that two deciders cannot both decide it."""
    locked = (
        type(decided)
        .objects.select_for_update()
        .select_related(*related)
        .get(pk=decided.pk)
    )
    if not may_decide(locked):
        raise NotAllowed(_("You may not decide this request."))
    if not locked.is_pending:
        raise Refused(_("This request was already decided."))
    return locked


def record_decision(
    locked: DecidedRequest, state: str, *, actor: User, changed: Iterable[str] = ()
) -> None:
    """Save the decision, with the `changed` fields the decision also set
    (the reason is always saved)."""
    locked.state = state
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "decided_by", "decided_at", "reason", *changed])


def report_decision(
    http_request: HttpRequest,
    decide: Callable[[], object],
    *,
    decided: DecidedRequest,
    done: str,
) -> None:
    """Run a decision sent from a page and tell the decider how it went: a
    refusal is shown, not raised. `done` names the requester as %(user)s."""
    try:
        decide()
    except Refused as refusal:
        messages.error(http_request, " ".join(refusal.messages))
    else:
        messages.success(http_request, done % {"user": decided.user})

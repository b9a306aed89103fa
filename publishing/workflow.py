"""The table of allowed transitions and who may make them. Nothing else
decides whether an entry may move."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.models import Action, PublicationState, Publishable

State = PublicationState


class Role(models.TextChoices):
    MODERATOR = "moderator", _("Moderator")
    # A member of the organisation that owns the entry.
    SUPPLIER = "supplier", _("Supplier")
    OTHER = "other", _("Someone else")


@dataclass(frozen=True)
class Rule:
    sources: frozenset[PublicationState]
    # None: the state stays as it is (edits, revisions).
    target: PublicationState | None
    roles: frozenset[Role]
    reason_required: bool = False


BOTH = frozenset({Role.MODERATOR, Role.SUPPLIER})
MODERATOR = frozenset({Role.MODERATOR})
# Content can be changed in place until it is published; after that, only
# through a revision that a moderator accepts.
EDITABLE = frozenset({State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED})

TRANSITIONS: dict[Action, Rule] = {
    Action.CREATE: Rule(frozenset(), State.DRAFT, BOTH),
    Action.EDIT: Rule(EDITABLE, None, BOTH),
    Action.SUBMIT: Rule(
        frozenset({State.DRAFT, State.CHANGES_REQUESTED}), State.SUBMITTED, BOTH
    ),
    Action.PUBLISH: Rule(frozenset({State.SUBMITTED}), State.PUBLISHED, MODERATOR),
    Action.REJECT: Rule(
        frozenset({State.SUBMITTED}), State.REJECTED, MODERATOR, reason_required=True
    ),
    Action.REQUEST_CHANGES: Rule(
        frozenset({State.SUBMITTED}),
        State.CHANGES_REQUESTED,
        MODERATOR,
        reason_required=True,
    ),
    Action.ARCHIVE: Rule(frozenset({State.PUBLISHED}), State.ARCHIVED, MODERATOR),
    Action.PROPOSE_REVISION: Rule(frozenset({State.PUBLISHED}), None, BOTH),
    Action.ACCEPT_REVISION: Rule(frozenset({State.PUBLISHED}), None, MODERATOR),
    Action.REJECT_REVISION: Rule(
        frozenset({State.PUBLISHED}), None, MODERATOR, reason_required=True
    ),
    Action.WITHDRAW: Rule(
        frozenset({State.SUBMITTED, State.CHANGES_REQUESTED, State.PUBLISHED}),
        State.ARCHIVED,
        frozenset({Role.SUPPLIER}),
    ),
}
# The moves of the entry's own state, in the order the admin offers them.
STATE_ACTIONS = (
    Action.SUBMIT,
    Action.PUBLISH,
    Action.REQUEST_CHANGES,
    Action.REJECT,
    Action.ARCHIVE,
    Action.WITHDRAW,
)


def role_of(actor, entry: Publishable) -> Role:
    """What `actor` is to `entry`: a moderator of its kind of entry, a member
    of its organisation, or neither."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return Role.OTHER
    opts = entry._meta
    if actor.is_staff and actor.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return Role.MODERATOR
    owner = entry.owner_organisation_id
    if owner is not None and actor.organisation_id == owner:
        return Role.SUPPLIER
    return Role.OTHER


def allowed(action: Action, *, actor, entry: Publishable) -> bool:
    rule = TRANSITIONS[action]
    state_ok = action == Action.CREATE or entry.publication_state in rule.sources
    return state_ok and role_of(actor, entry) in rule.roles


def allowed_state_actions(*, actor, entry: Publishable) -> list[Action]:
    """The state moves `actor` may make on `entry` now: the admin's buttons."""
    return [a for a in STATE_ACTIONS if allowed(a, actor=actor, entry=entry)]

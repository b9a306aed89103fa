"""The only code that moves an entry through publication.

Each service takes the actor and a reason, locks the entry's row, checks the
transition table and the actor's role (`publishing.workflow`), saves with
history, records the step in the audit trail and queues the e-mail that
tells the submitter, all in one transaction: a refusal changes nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing import notifications
from publishing.models import (
    Action,
    PublicationState,
    Publishable,
    Revision,
    RevisionState,
    Transition,
)
from publishing.workflow import STATE_ACTIONS, TRANSITIONS, Role, role_of


class NotAllowed(PermissionDenied):
    """The actor's role does not allow the action on this entry."""


class Refused(ValidationError):
    """The entry's state does not allow the action, or it would change nothing."""


@dataclass(frozen=True)
class Outcome:
    """What a change did: the entry, and the revision holding the change when
    the entry was already public."""

    entry: Publishable
    revision: Revision | None = None


def create(
    *,
    entry: Publishable,
    actor,
    related: dict | None = None,
    submit: bool = False,
) -> Publishable:
    """Save a new entry as a draft with its `related` lists (tags, links...),
    and submit it for review if asked."""
    _check(Action.CREATE, actor=actor, entry=entry)
    with transaction.atomic():
        entry.publication_state = PublicationState.DRAFT
        _save(
            entry,
            actor=actor,
            reason=str(Action.CREATE.label),
            related={
                name: entry.as_related_value(name, value)
                for name, value in (related or {}).items()
            },
        )
        _record(entry, Action.CREATE, from_state="", actor=actor)
        if submit:
            entry = move(entry=entry, action=Action.SUBMIT, actor=actor)
    return entry


def change(
    *, entry: Publishable, changes: dict, actor, submit: bool = False
) -> Outcome:
    """Apply `changes` (field name -> value) to an unpublished entry, or hold
    them as a revision of a published one. Changing nothing is refused."""
    with transaction.atomic():
        locked = _locked(entry)
        proposed = {
            name: _as_json(locked, name, value) for name, value in changes.items()
        }
        if locked.is_public:
            # All of it: a value set back to the published one leaves the revision.
            return Outcome(locked, _propose(locked, proposed, actor=actor))
        real = {
            name: value
            for name, value in proposed.items()
            if value != _current(locked, name)
        }
        _check(Action.EDIT, actor=actor, entry=locked)
        if not real:
            raise Refused(_("Nothing was changed: there is nothing to review."))
        related = _apply(locked, real)
        _save(locked, actor=actor, reason=str(Action.EDIT.label), related=related)
        _record(locked, Action.EDIT, from_state=locked.publication_state, actor=actor)
        if submit and locked.publication_state != PublicationState.SUBMITTED:
            locked = move(entry=locked, action=Action.SUBMIT, actor=actor)
    return Outcome(locked)


def move(*, entry: Publishable, action: Action, actor, reason: str = "") -> Publishable:
    """Move `entry` to the state the table gives for `action`: submit,
    publish, reject, request changes or archive."""
    if action not in STATE_ACTIONS:
        raise ValueError(f"{action} does not move an entry's state")
    target = TRANSITIONS[action].target
    with transaction.atomic():
        locked = _locked(entry)
        _check(action, actor=actor, entry=locked, reason=reason)
        from_state = locked.publication_state
        locked.publication_state = target
        if target == PublicationState.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
        _save(locked, actor=actor, reason=reason or str(action.label))
        step = _record(
            locked, action, from_state=from_state, actor=actor, reason=reason
        )
        notifications.tell_submitter(step, submitter=submitter_of(locked))
    return locked


def accept_revision(*, revision: Revision, actor, reason: str = "") -> Publishable:
    """Apply the revision to its entry, which stays published. Refused, with
    nothing applied, when the entry with the changes would be invalid."""
    return _decide(revision, Action.ACCEPT_REVISION, actor=actor, reason=reason)


def reject_revision(*, revision: Revision, actor, reason: str) -> Publishable:
    return _decide(revision, Action.REJECT_REVISION, actor=actor, reason=reason)


def _decide(revision: Revision, action: Action, *, actor, reason: str) -> Publishable:
    with transaction.atomic():
        revision = _open_revision(revision)
        entry = _locked(revision.entry)
        _check(action, actor=actor, entry=entry, reason=reason)
        accepted = action == Action.ACCEPT_REVISION
        if accepted:
            related = _apply(entry, revision.proposed_changes)
            _save(
                entry,
                actor=actor,
                reason=reason or f"revision {revision.pk} accepted",
                related=related,
            )
        _close(
            revision,
            RevisionState.ACCEPTED if accepted else RevisionState.REJECTED,
            actor=actor,
            reason=reason,
        )
        step = _record(
            entry,
            action,
            from_state=entry.publication_state,
            actor=actor,
            reason=reason,
            revision=revision,
        )
        notifications.tell_submitter(step, submitter=revision.submitted_by)
    return entry


def revision_diff(revision: Revision) -> list[tuple[str, str, str]]:
    """(field label, published value, proposed value) for each proposed
    change. Reads the revision's entry."""
    entry = revision.entry
    # Stored as JSONB, whose objects forget the order of their keys: the
    # entry's own form puts them back in the order the published value has.
    return [
        (
            _label(entry, name),
            _display(_current(entry, name)),
            _display(_as_json(entry, name, value)),
        )
        for name, value in revision.proposed_changes.items()
    ]


def history(entry: Publishable) -> models.QuerySet[Transition]:
    """Every step of the entry's life, oldest first."""
    return Transition.objects.filter(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
    ).select_related("actor")


def submitter_of(entry: Publishable):
    """Who created or last submitted the entry: the person told of decisions."""
    step = (
        history(entry)
        .filter(action__in=[Action.CREATE, Action.SUBMIT], actor__isnull=False)
        .order_by("-created_at", "-pk")
        .first()
    )
    return step.actor if step else None


def _check(action: Action, *, actor, entry: Publishable, reason: str = "") -> None:
    rule = TRANSITIONS[action]
    role = role_of(actor, entry)
    if role not in rule.roles:
        if role == Role.SUPPLIER:
            raise NotAllowed(
                _("Only a moderator may do this: %(action)s.")
                % {"action": action.label}
            )
        raise NotAllowed(_("This entry belongs to another organisation."))
    if action != Action.CREATE and entry.publication_state not in rule.sources:
        raise Refused(
            _("“%(action)s” is not possible while the entry is “%(state)s”.")
            % {"action": action.label, "state": entry.get_publication_state_display()},
            code="invalid_transition",
        )
    if rule.reason_required and not reason.strip():
        raise Refused(
            {"reason": _("Give a reason: the submitter reads it to know what to do.")}
        )


def _locked(entry: Publishable) -> Publishable:
    return type(entry)._default_manager.select_for_update(of=("self",)).get(pk=entry.pk)


def _open_revision(revision: Revision) -> Revision:
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.state != RevisionState.SUBMITTED:
        raise Refused(
            _("This revision was already decided: %(state)s.")
            % {"state": revision.get_state_display()},
            code="invalid_transition",
        )
    return revision


def _propose(entry: Publishable, changes: dict, *, actor) -> Revision:
    _check(Action.PROPOSE_REVISION, actor=actor, entry=entry)
    revision = Revision.objects.of(entry).open().select_for_update().first()
    held = revision.proposed_changes if revision else {}
    proposed = {
        name: value
        for name, value in {**held, **changes}.items()
        if value != _current(entry, name)
    }
    if not proposed or proposed == held:
        raise Refused(_("Nothing was changed: there is nothing to review."))
    _validate_with(entry, proposed)
    if revision is None:
        revision = Revision(entry=entry)
    revision.proposed_changes = proposed
    revision.submitted_by = actor
    revision.save()
    _record(
        entry,
        Action.PROPOSE_REVISION,
        from_state=entry.publication_state,
        actor=actor,
        revision=revision,
    )
    return revision


def _validate_with(entry: Publishable, proposed: dict) -> None:
    """The entry as it would be with the proposed changes must be valid: a
    revision that cannot be accepted is refused when it is proposed."""
    candidate = copy.copy(entry)
    _apply(candidate, proposed)
    candidate.full_clean()


def _apply(entry: Publishable, changes: dict) -> dict:
    """Set the changed fields on `entry` (JSON form); returns the related
    lists, which can only be set once the entry is saved."""
    related = {}
    for name, value in changes.items():
        if name in entry.RELATED_CHANGES:
            related[name] = value
        else:
            setattr(entry, name, _from_json(entry, name, value))
    return related


def _save(
    entry: Publishable, *, actor, reason: str, related: dict | None = None
) -> None:
    # Read by django-simple-history: the history says who and why.
    entry._history_user = actor
    entry._change_reason = reason
    entry.full_clean()
    entry.save()
    for name, value in (related or {}).items():
        entry.set_related(name, value)
    entry.after_publication_change()


def _record(
    entry: Publishable,
    action: Action,
    *,
    from_state: str,
    actor,
    reason: str = "",
    revision: Revision | None = None,
) -> Transition:
    return Transition.objects.create(
        entry=entry,
        action=action,
        from_state=from_state,
        to_state=entry.publication_state,
        actor=actor,
        reason=reason,
        revision=revision,
    )


def _close(revision: Revision, state: RevisionState, *, actor, reason: str) -> None:
    revision.state = state
    revision.reviewed_by = actor
    revision.reviewed_at = timezone.now()
    revision.reason = reason
    revision.save()


def _as_json(entry: Publishable, name: str, value):
    """A submitted value as revisions store it: related objects by natural
    key (slug), related lists in the entry's own JSON form."""
    if name in entry.RELATED_CHANGES:
        return entry.as_related_value(name, value)
    if isinstance(value, models.Model):
        return value.natural_key()[0]
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _current(entry: Publishable, name: str):
    """The entry's value of `name`, in the form _as_json() gives."""
    if name in entry.RELATED_CHANGES:
        return entry.related_value(name)
    return _as_json(entry, name, getattr(entry, name))


def _label(entry: Publishable, name: str) -> str:
    field = entry._meta.get_field(name)
    label = getattr(field, "verbose_name", None)
    return str(label or field.related_model._meta.verbose_name_plural)


def _from_json(entry: Publishable, name: str, value):
    field = entry._meta.get_field(name)
    if field.is_relation and value is not None:
        return field.related_model._default_manager.get_by_natural_key(value)
    return value


def _display(value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return "; ".join(map(_display, value))
    if isinstance(value, dict):
        return " · ".join(str(part) for part in value.values() if part)
    return str(value)

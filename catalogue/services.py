"""Writes that change what the public sees. Each one keeps history."""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.core import serializers
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from catalogue.models import (
    Component,
    ComponentRevision,
    PublicationState,
    RevisionState,
)


def _change_publication_state(
    *, components: QuerySet[Component], state: PublicationState, by, reason: str
) -> int:
    changed = 0
    with transaction.atomic():
        # Saved one by one, not with .update(), so that each change lands in
        # the history with who made it and why.
        for component in components.select_for_update(of=("self",)).exclude(
            publication_state=state
        ):
            if state == PublicationState.PUBLISHED:
                component.mark_published()
            else:
                component.publication_state = state
            component._history_user = by
            component._change_reason = reason
            component.full_clean()
            component.save()
            changed += 1
    return changed


def publish_components(*, components: QuerySet[Component], by) -> int:
    """Publish the given components; returns how many changed state."""
    return _change_publication_state(
        components=components,
        state=PublicationState.PUBLISHED,
        by=by,
        reason="published",
    )


def archive_components(*, components: QuerySet[Component], by) -> int:
    """Take the given components out of the public catalogue, keeping them."""
    return _change_publication_state(
        components=components, state=PublicationState.ARCHIVED, by=by, reason="archived"
    )


@dataclass(frozen=True)
class FixtureLoadReport:
    created: Counter[str]
    kept: Counter[str]


def load_fixture(*, path: Path) -> FixtureLoadReport:
    """Create the fixture's objects that are missing, in one transaction.

    Objects are matched by natural key (their slug). Existing ones are kept as
    they are, so moderators' edits survive every `make run`; `loaddata` is the
    tool to overwrite them instead. New objects are saved normally, so each
    starts its history with "Loaded from the catalogue fixtures".
    """
    created: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    with transaction.atomic(), path.open(encoding="utf-8") as stream:
        for deserialized in serializers.deserialize(
            "json", stream, handle_forward_references=False
        ):
            instance = deserialized.object
            label = instance._meta.label
            if instance.pk is not None:
                kept[label] += 1
                continue
            instance._change_reason = "Loaded from the catalogue fixtures"
            instance.full_clean(validate_unique=False)
            instance.save()
            for field_name, values in (deserialized.m2m_data or {}).items():
                getattr(instance, field_name).set(values)
            created[label] += 1
        if created:
            Component.objects.refresh_related_terms()
    return FixtureLoadReport(created=created, kept=kept)


def submit_component(*, data: dict, by) -> Component:
    """A supplier's new component, on behalf of their organisation, for review."""
    component = Component(**data, provider_id=by.organisation_id)
    return _save_for_review(component, by=by, reason="submitted through the API")


def resubmit_component(*, component: Component, data: dict, by) -> Component:
    """A supplier's correction of an unpublished component; back to review."""
    for field, value in data.items():
        setattr(component, field, value)
    return _save_for_review(component, by=by, reason="changed through the API")


def _save_for_review(component: Component, *, by, reason: str) -> Component:
    with transaction.atomic():
        component.publication_state = PublicationState.SUBMITTED
        component._history_user = by
        component._change_reason = reason
        component.full_clean()
        component.save()
        Component.objects.filter(pk=component.pk).refresh_related_terms()
    return component


def propose_revision(*, component: Component, data: dict, by) -> ComponentRevision:
    """Hold a supplier's changes to a published component for review, merged
    into the component's open revision if there is one."""
    proposed = {field: _as_json(value) for field, value in data.items()}
    with transaction.atomic():
        revision, _created = (
            ComponentRevision.objects.select_for_update().get_or_create(
                component=component,
                state=RevisionState.SUBMITTED,
                defaults={"submitted_by": by},
            )
        )
        revision.proposed_changes = {**revision.proposed_changes, **proposed}
        revision.submitted_by = by
        revision.save()
    return revision


def accept_revision(*, revision: ComponentRevision, by) -> Component:
    """Apply a revision to its component, which stays published."""
    component = revision.component
    with transaction.atomic():
        for field, value in revision.proposed_changes.items():
            setattr(component, field, _from_json(field, value))
        component._history_user = by
        component._change_reason = f"revision {revision.pk} accepted"
        component.full_clean()
        component.save()
        Component.objects.filter(pk=component.pk).refresh_related_terms()
        _close_revision(revision, RevisionState.ACCEPTED, by)
    return component


def reject_revision(*, revision: ComponentRevision, by) -> None:
    _close_revision(revision, RevisionState.REJECTED, by)


def revision_diff(revision: ComponentRevision) -> list[tuple[str, str, str]]:
    """(field label, published value, proposed value) for each proposed change.
    Reads the revision's component."""
    rows = []
    for field, value in revision.proposed_changes.items():
        label = Component._meta.get_field(field).verbose_name
        current = _as_json(getattr(revision.component, field))
        rows.append((str(label), _display(current), _display(value)))
    return rows


def _close_revision(revision: ComponentRevision, state: RevisionState, by) -> None:
    revision.state = state
    revision.reviewed_by = by
    revision.reviewed_at = timezone.now()
    revision.save()


def _as_json(value):
    """Related objects by slug: JSON-storable and readable in the diff."""
    return getattr(value, "slug", value)


def _from_json(field_name: str, value):
    field = Component._meta.get_field(field_name)
    if field.is_relation and value is not None:
        return field.related_model.objects.get(slug=value)
    return value


def _display(value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)

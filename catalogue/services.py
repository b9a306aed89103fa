"""Writes that change what the public sees. Each one keeps history."""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.core import serializers
from django.db import transaction
from django.db.models import QuerySet

from catalogue.models import Component, PublicationState


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

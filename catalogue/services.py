"""Loading the catalogue's fixtures. Moderation lives in `publishing.services`."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core import serializers
from django.db import transaction
from django.db.models import Model

from catalogue.models import Component


@dataclass(frozen=True)
class FixtureLoadReport:
    created: Counter[str]
    kept: Counter[str]


def _fixture_timestamps(instance: Model) -> dict[str, datetime]:
    """The instance's `auto_now`/`auto_now_add` dates, as the fixture gives them."""
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
        and getattr(instance, field.attname) is not None
    }


def load_fixture(*, path: Path) -> FixtureLoadReport:
    """Create the fixture's objects that are missing, in one transaction.

    Objects are matched by natural key (their slug). Existing ones are kept as
    they are, so moderators' edits survive every `make run`; `loaddata` is the
    tool to overwrite them instead. New objects are saved normally, so each
    starts its history with "Loaded from the catalogue fixtures"; their
    `created_at`/`updated_at` then go back to the fixture's, so that "Last
    update" tells when the content changed, not when it was loaded.
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
            stamps = _fixture_timestamps(instance)
            instance.save()
            if stamps:
                # save() replaced them with the time of loading (auto_now).
                type(instance)._base_manager.filter(pk=instance.pk).update(**stamps)
                for name, value in stamps.items():
                    setattr(instance, name, value)
            for field_name, values in (deserialized.m2m_data or {}).items():
                getattr(instance, field_name).set(values)
            created[label] += 1
        if created:
            Component.objects.refresh_related_terms()
    return FixtureLoadReport(created=created, kept=kept)

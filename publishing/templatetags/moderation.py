"""What waits for the moderators, for the admin's home page."""

from dataclasses import dataclass

from django import template
from django.apps import apps
from django.urls import reverse

from publishing.models import Publishable, Revision

register = template.Library()

# The home page lists this many of the oldest waiting items; counts are complete.
SHOWN = 20


@dataclass(frozen=True)
class Waiting:
    label: str
    item: object
    since: object
    url: str


@register.simple_tag(takes_context=True)
def moderation_queue(context) -> dict:
    """Submitted entries and open revisions the user may decide, oldest first."""
    user = context["request"].user
    waiting: list[Waiting] = []
    counts: dict[str, int] = {}
    for model in apps.get_models():
        opts = model._meta
        if not issubclass(model, Publishable) or not user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        ):
            continue
        queue = model._default_manager.awaiting_review().order_by("updated_at", "pk")
        counts[str(opts.verbose_name_plural)] = queue.count()
        waiting += [
            Waiting(
                label=str(opts.verbose_name),
                item=entry,
                since=entry.updated_at,
                url=reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk]
                ),
            )
            for entry in queue[:SHOWN]
        ]
    if user.has_perm("publishing.change_revision"):
        revisions = Revision.objects.open().order_by("created_at", "pk")
        counts[str(Revision._meta.verbose_name_plural)] = revisions.count()
        waiting += [
            Waiting(
                label=str(Revision._meta.verbose_name),
                item=revision.entry,
                since=revision.created_at,
                url=reverse("admin:publishing_revision_change", args=[revision.pk]),
            )
            for revision in revisions.prefetch_related("entry")[:SHOWN]
        ]
    waiting.sort(key=lambda item: item.since)
    return {"counts": counts, "items": waiting[:SHOWN], "total": sum(counts.values())}

"""Copy each component's provider into an organisation role, and group the
old one-component, one-organisation reuses into cases, one per project."""

from django.db import migrations
from django.utils.text import slugify

LANGUAGES = ("nl", "fr", "en")


def providers_become_roles(apps, schema_editor) -> None:
    Component = apps.get_model("catalogue", "Component")
    ComponentOrganisation = apps.get_model("catalogue", "ComponentOrganisation")
    ComponentOrganisation.objects.bulk_create(
        ComponentOrganisation(
            component_id=component.pk,
            organisation_id=component.provider_id,
            role="operator",
            confirmed=True,
            source_reference=component.source_reference,
        )
        for component in Component.objects.exclude(provider=None)
    )


def reuses_become_cases(apps, schema_editor) -> None:
    Reuse = apps.get_model("catalogue", "Reuse")
    ReuseCase = apps.get_model("catalogue", "ReuseCase")
    projects: dict[str, list] = {}
    for reuse in Reuse.objects.order_by("pk"):
        projects.setdefault(reuse.project_en or reuse.project, []).append(reuse)
    taken = set(ReuseCase.objects.values_list("slug", flat=True))
    for project, reuses in projects.items():
        first = reuses[0]
        base = slugify(project)[:110] or "reuse-case"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        published = [r for r in reuses if r.publication_state == "published"]
        texts = {}
        for language in LANGUAGES:
            title = getattr(first, f"project_{language}") or first.project
            texts[f"title_{language}"] = title
            texts[f"summary_{language}"] = title[:300]
            texts[f"description_{language}"] = (
                getattr(first, f"testimonial_{language}") or ""
            )
        case = ReuseCase.objects.create(
            slug=slug,
            title=first.project,
            summary=first.project[:300],
            description=first.testimonial,
            **texts,
            year=first.since.year if first.since else None,
            source_reference="; ".join(
                dict.fromkeys(r.source_reference for r in reuses if r.source_reference)
            )[:300],
            publication_state=(published[0] if published else first).publication_state,
            published_at=min(
                (r.published_at or r.updated_at for r in published), default=None
            ),
        )
        case.components.set({r.component_id for r in reuses})
        case.organisations.set({r.organisation_id for r in reuses})


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0010_organisation_roles_and_reuse_cases"),
    ]

    operations = [
        migrations.RunPython(providers_become_roles, migrations.RunPython.noop),
        migrations.RunPython(reuses_become_cases, migrations.RunPython.noop),
    ]

"""The figures of the impact dashboard, computed from the published data.

Each dataset is one list of rows that its chart, its table and its CSV file
share, so the three can never disagree. A reuse is counted as the catalogue
counts it (`ComponentQuerySet.with_reuse_count`): a published case naming an
organisation other than the component's provider; drafts, submissions,
rejected and withdrawn declarations never count. Figures quoted from the
programme's reports live in `programme` and are never mixed in here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalogue.models import (
    LANGUAGE_CODES,
    BuildingBlock,
    Component,
    Provider,
    ReuseCase,
)
from publishing.models import PublicationState

PUBLISHED = PublicationState.PUBLISHED
# What a row of a table needs of a component, provider or block: its name,
# in every language (the page's, or the fallback).
NAMES = tuple(f"name_{language}" for language in LANGUAGE_CODES)


@dataclass(frozen=True)
class Dataset:
    """A table of figures: `rows` hold plain values (str, int, Decimal or
    None), in the order of `columns`; the first column names the row and
    `value_column` is the one the chart draws."""

    slug: str
    title: Promise
    description: Promise
    columns: tuple[Promise, ...]
    rows: list[tuple]
    value_column: int = 1
    # Rows in time order (else largest first).
    chronological: bool = False


def counted_reuses() -> QuerySet:
    """The (case, component) links that count as reuse: both published, and
    the case names an organisation other than the component's provider."""
    link = ReuseCase.components.through
    naming = ReuseCase.organisations.through
    someone_else = naming.objects.filter(reusecase=OuterRef("reusecase")).exclude(
        provider=Coalesce(OuterRef("component__provider"), Value(0))
    )
    return link.objects.filter(
        Exists(someone_else),
        reusecase__publication_state=PUBLISHED,
        component__publication_state=PUBLISHED,
    )


def catalogue_growth() -> Dataset:
    """Published components by month of first publication, and the
    catalogue's size at the end of each month."""
    months = (
        Component.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(added=Count("pk"))
        .order_by("month")
    )
    rows, total = [], 0
    for month in months:
        total += month["added"]
        rows.append((month["month"].strftime("%Y-%m"), month["added"], total))
    return Dataset(
        slug="catalogue-growth",
        title=_("Size of the catalogue over time"),
        description=_(
            "Published components, by month of their first publication, and "
            "the catalogue's size at the end of each month."
        ),
        columns=(_("Month"), _("Components published"), _("Catalogue size")),
        rows=rows,
        value_column=2,
        chronological=True,
    )


def components_by_building_block() -> Dataset:
    blocks = (
        BuildingBlock.objects.with_published_component_count()
        .filter(published_component_count__gt=0)
        .order_by("-published_component_count", "family", "position", "slug")
    )
    return Dataset(
        slug="components-by-building-block",
        title=_("Components per building block"),
        description=_("Published components in each building block."),
        columns=(_("Building block"), _("Components")),
        rows=[(block.name, block.published_component_count) for block in blocks],
    )


def components_by_provider() -> Dataset:
    providers = (
        Provider.objects.annotate(
            published=Count(
                "components", filter=Q(components__publication_state=PUBLISHED)
            )
        )
        .filter(published__gt=0)
        .order_by("-published", "slug")
    )
    return Dataset(
        slug="components-by-provider",
        title=_("Components per provider"),
        description=_(
            "Published components of which each organisation is the provider."
        ),
        columns=(_("Provider"), _("Components")),
        rows=[(provider.name, provider.published) for provider in providers],
    )


def _reuses_by(group: str, model, label: Callable) -> list[tuple]:
    """(name, reuses) per `group` of the reused component, most reused first:
    two queries, the counts and the names."""
    counts = (
        counted_reuses()
        .values(group)
        .annotate(reuses=Count("reusecase", distinct=True))
        .order_by()
    )
    counted = {row[group]: row["reuses"] for row in counts}
    named = model.objects.only(*NAMES).in_bulk([pk for pk in counted if pk])
    rows = [(label(named.get(pk)), reuses) for pk, reuses in counted.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def _provider_name(provider: Provider | None) -> str:
    return provider.name if provider else str(_("Provider not confirmed"))


def reuses_by_component() -> Dataset:
    return Dataset(
        slug="reuses-by-component",
        title=_("Reuses per component"),
        description=_("Published reuse declarations naming each component."),
        columns=(_("Component"), _("Reuses")),
        rows=_reuses_by("component", Component, lambda component: component.name),
    )


def reuses_by_provider() -> Dataset:
    return Dataset(
        slug="reuses-by-provider",
        title=_("Reuses per provider"),
        description=_(
            "Published reuse declarations naming at least one component of "
            "each provider; a declaration counts once per provider."
        ),
        columns=(_("Provider"), _("Reuses")),
        rows=_reuses_by("component__provider", Provider, _provider_name),
    )


def reuses_by_building_block() -> Dataset:
    return Dataset(
        slug="reuses-by-building-block",
        title=_("Reuses per building block"),
        description=_(
            "Published reuse declarations naming at least one component of "
            "each building block; a declaration counts once per block."
        ),
        columns=(_("Building block"), _("Reuses")),
        rows=_reuses_by("component__building_block", BuildingBlock, str),
    )


def savings_by_component() -> Dataset:
    """Per reused component: its declarations, how many state a saving, the
    total of those savings and their average. A declaration naming several
    components counts its whole saving for each of them."""
    saving = ReuseCase.saving_eur_expression("reusecase__")
    aggregated = (
        counted_reuses()
        .values("component")
        .annotate(
            declarations=Count("reusecase", distinct=True),
            with_saving=Count(
                "reusecase",
                filter=Q(reusecase__estimated_saving_eur__isnull=False)
                | Q(reusecase__estimated_saving_days__isnull=False),
            ),
            total=Sum(saving),
        )
        .order_by()
    )
    components = Component.objects.only(*NAMES).in_bulk(
        [row["component"] for row in aggregated]
    )
    rows = []
    for row in aggregated:
        total = row["total"]
        average = total / row["with_saving"] if row["with_saving"] else None
        rows.append(
            (
                components[row["component"]].name,
                row["declarations"],
                row["with_saving"],
                _money(total),
                _money(average),
            )
        )
    rows.sort(key=lambda row: (-(row[3] or 0), -row[1], row[0]))
    return Dataset(
        slug="savings-by-component",
        title=_("Estimated savings per reused component"),
        description=_(
            "Savings as the reusing organisations estimated them, person-days "
            "converted at the day rate; the average is over the declarations "
            "that state a saving."
        ),
        columns=(
            _("Component"),
            _("Declarations"),
            _("Declarations stating a saving"),
            _("Total estimated saving (EUR)"),
            _("Average per declaration (EUR)"),
        ),
        rows=rows,
        value_column=3,
    )


@dataclass(frozen=True)
class SavingsSummary:
    """Every counted declaration once, however many components it names."""

    declarations: int
    with_saving: int
    reused_components: int
    total: Decimal | None
    average_per_reused_component: Decimal | None


def savings_summary() -> SavingsSummary:
    reuses = counted_reuses()
    totals = (
        ReuseCase.objects.filter(pk__in=reuses.values("reusecase"))
        .with_saving_eur()
        .aggregate(
            declarations=Count("pk"),
            with_saving=Count("pk", filter=Q(saving_eur__isnull=False)),
            total=Sum("saving_eur"),
        )
    )
    reused = reuses.values("component").distinct().count()
    total = totals["total"]
    return SavingsSummary(
        declarations=totals["declarations"],
        with_saving=totals["with_saving"],
        reused_components=reused,
        total=_money(total),
        average_per_reused_component=_money(total / reused)
        if total and reused
        else None,
    )


def _money(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else amount.quantize(Decimal("0.01"))


DATASETS: dict[str, Callable[[], Dataset]] = {
    "catalogue-growth": catalogue_growth,
    "components-by-building-block": components_by_building_block,
    "components-by-provider": components_by_provider,
    "reuses-by-component": reuses_by_component,
    "reuses-by-provider": reuses_by_provider,
    "reuses-by-building-block": reuses_by_building_block,
    "savings-by-component": savings_by_component,
}

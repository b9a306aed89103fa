"""The figures of the impact dashboard, computed from the published data.

Each dataset is one list of rows that its chart, its table and its CSV file
share, so the three can never disagree. A reuse is counted as the catalogue
counts it (`ComponentQuerySet.refresh_reuse_counts`): a published case naming an
organisation other than the component's provider; drafts, submissions,
rejected and withdrawn declarations never count. Figures quoted from the
programme's reports live in `programme` and are never mixed in here.

A large catalogue gives thousands of rows per component or per provider:
the page asks for the first `limit` rows, which the database sorts and cuts,
and the CSV file for all of them. `row_count` always counts every row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber, TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_language, resolution_order

from catalogue.models import (
    LANGUAGE_CODES,
    BuildingBlock,
    Component,
    Provider,
    ReuseCase,
    name_order,
    reuse_links,
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
    # How many rows there are in all; `rows` may hold only the first ones.
    row_count: int
    value_column: int = 1
    # Rows in time order, the latest listed (else largest first).
    chronological: bool = False

    @property
    def rows_left_out(self) -> int:
        return self.row_count - len(self.rows)


def first_rows(
    groups: QuerySet,
    limit: int | None,
    row: Callable[[dict], tuple],
    *,
    grouped: bool = True,
) -> tuple[list[tuple], int]:
    """The rows `row` makes of the first `limit` of `groups`, an ordered
    values() queryset (None: of every one), and how many groups there are
    in all. Groups are all formed before LIMIT cuts them: a window counts
    them in the same query. Rows that are not `grouped` are counted apart,
    so that the first ones can be read in the order of an index and the
    others not at all."""
    if limit is None:
        # Not iterator(): PostgreSQL plans a server-side cursor for its
        # first rows, which made a CSV file 100 ms slower at 100,000
        # components.
        rows = [row(group) for group in groups]
        return rows, len(rows)
    if not grouped:
        return [row(group) for group in groups[:limit]], groups.count()
    first = list(groups.annotate(row_count=Window(Count("*")))[:limit])
    return [row(group) for group in first], first[0]["row_count"] if first else 0


def localized_name(row: dict, prefix: str = "") -> str:
    """The name a values() row holds (its NAMES, after `prefix`) in the
    page's language, else in the first fallback language that has one:
    what django-modeltranslation makes of `name`, without making thousands
    of instances for a CSV file."""
    for language in resolution_order(get_language()):
        name = row.get(f"{prefix}name_{language}")
        if name:
            return name
    return ""


def counted_reuses() -> QuerySet:
    """The (case, component) links that count as reuse, as the catalogue's
    own count reads them (catalogue.models.reuse_links), of published
    components."""
    return reuse_links(provider=OuterRef("component__provider")).filter(
        component__publication_state=PUBLISHED
    )


def catalogue_growth(limit: int | None = None) -> Dataset:
    """Published components by month of first publication, and the
    catalogue's size at the end of each month; the latest `limit` months."""
    months = (
        Component.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(added=Count("pk"))
        .order_by("month")
    )
    # Every month, for the sizes: a row a month, not one a component.
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
        rows=rows if limit is None else rows[-limit:],
        row_count=len(rows),
        value_column=2,
        chronological=True,
    )


def components_by_building_block(limit: int | None = None) -> Dataset:
    blocks = (
        BuildingBlock.objects.with_published_component_count()
        .filter(published_component_count__gt=0)
        .order_by("-published_component_count", "family", "position", "slug")
        .values("published_component_count", *NAMES)
    )
    rows, row_count = first_rows(
        blocks,
        limit,
        lambda row: (localized_name(row), row["published_component_count"]),
    )
    return Dataset(
        slug="components-by-building-block",
        title=_("Components per building block"),
        description=_("Published components in each building block."),
        columns=(_("Building block"), _("Components")),
        rows=rows,
        row_count=row_count,
    )


def components_by_provider(limit: int | None = None) -> Dataset:
    # Grouped by the provider's id alone, the components are counted from
    # an index of the published ones, without reading their rows; the names
    # come after, for the providers listed.
    providers = (
        Component.objects.published()
        .filter(provider__isnull=False)
        .values("provider")
        .annotate(components=Count("*"))
        .order_by("-components", "provider")
    )
    counts, row_count = first_rows(
        providers, limit, lambda row: (row["provider"], row["components"])
    )
    named = {
        row["pk"]: localized_name(row)
        for row in Provider.objects.filter(
            pk__in=[provider for provider, _components in counts]
        ).values("pk", *NAMES)
    }
    return Dataset(
        slug="components-by-provider",
        title=_("Components per provider"),
        description=_(
            "Published components of which each organisation is the provider."
        ),
        columns=(_("Provider"), _("Components")),
        rows=[(named[provider], components) for provider, components in counts],
        row_count=row_count,
    )


def _reuses_by(
    group: str, label: Callable[[dict], str], limit: int | None
) -> tuple[list[tuple], int]:
    """(name, reuses) per `group` of the reused component (a relation),
    most reused first, and how many groups there are. The names come with
    the counts: the rows they are read from are joined already."""
    reuses = (
        counted_reuses()
        .values(group, *(f"{group}__{name}" for name in NAMES))
        .annotate(reuses=Count("reusecase", distinct=True))
        .order_by("-reuses", group)
    )
    return first_rows(reuses, limit, lambda row: (label(row), row["reuses"]))


def reuses_by_component(limit: int | None = None) -> Dataset:
    # Each component's stored count, in the order of the catalogue's "most
    # reused" sort (ties by name), which reads it too: counted again from
    # the reuse links, this table took 67 ms of the dashboard's first view
    # after a change at 100,000 components. Counted beside them by a window,
    # every reused component's row was read (58 ms); counted apart, the
    # first rows come from the sort's index and the count from it alone
    # (6 ms).
    components = (
        Component.objects.published()
        .filter(reuse_count__gt=0)
        .order_by("-reuse_count", name_order(), "pk")
        .values("reuse_count", *NAMES)
    )
    rows, row_count = first_rows(
        components,
        limit,
        lambda row: (localized_name(row), row["reuse_count"]),
        grouped=False,
    )
    return Dataset(
        slug="reuses-by-component",
        title=_("Reuses per component"),
        description=_("Published reuse declarations naming each component."),
        columns=(_("Component"), _("Reuses")),
        rows=rows,
        row_count=row_count,
    )


def _provider_name(row: dict) -> str:
    if row["component__provider"] is None:
        return str(_("Provider not confirmed"))
    return localized_name(row, "component__provider__")


def reuses_by_provider(limit: int | None = None) -> Dataset:
    rows, row_count = _reuses_by("component__provider", _provider_name, limit)
    return Dataset(
        slug="reuses-by-provider",
        title=_("Reuses per provider"),
        description=_(
            "Published reuse declarations naming at least one component of "
            "each provider; a declaration counts once per provider."
        ),
        columns=(_("Provider"), _("Reuses")),
        rows=rows,
        row_count=row_count,
    )


def reuses_by_building_block(limit: int | None = None) -> Dataset:
    rows, row_count = _reuses_by(
        "component__building_block",
        lambda row: localized_name(row, "component__building_block__"),
        limit,
    )
    return Dataset(
        slug="reuses-by-building-block",
        title=_("Reuses per building block"),
        description=_(
            "Published reuse declarations naming at least one component of "
            "each building block; a declaration counts once per block."
        ),
        columns=(_("Building block"), _("Reuses")),
        rows=rows,
        row_count=row_count,
    )


def savings_by_component(limit: int | None = None) -> Dataset:
    """Per reused component: its declarations, how many state a saving, the
    total of those savings and their average, the largest total first. A
    declaration naming several components counts its whole saving for each
    of them."""
    saving = ReuseCase.saving_eur_expression("reusecase__")
    aggregated = (
        counted_reuses()
        .values("component", *(f"component__{name}" for name in NAMES))
        .annotate(
            declarations=Count("reusecase", distinct=True),
            with_saving=Count(
                "reusecase",
                filter=Q(reusecase__estimated_saving_eur__isnull=False)
                | Q(reusecase__estimated_saving_days__isnull=False),
            ),
            total=Sum(saving),
        )
        .order_by(F("total").desc(nulls_last=True), "-declarations", "component")
    )
    rows, row_count = first_rows(aggregated, limit, _savings_row)
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
        row_count=row_count,
        value_column=3,
    )


def _savings_row(row: dict) -> tuple:
    total, with_saving = row["total"], row["with_saving"]
    return (
        localized_name(row, "component__"),
        row["declarations"],
        with_saving,
        _money(total),
        _money(total / with_saving) if with_saving else None,
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
    # One pass over the counted links, where a query per figure read them
    # all again. A declaration naming several components has a link for
    # each: its saving is added on its first link only.
    links = counted_reuses().annotate(
        saving=ReuseCase.saving_eur_expression("reusecase__"),
        nth_link_of_declaration=Window(
            RowNumber(), partition_by=F("reusecase"), order_by=F("component").asc()
        ),
    )
    totals = links.aggregate(
        declarations=Count("reusecase", distinct=True),
        with_saving=Count("reusecase", distinct=True, filter=Q(saving__isnull=False)),
        reused_components=Count("component", distinct=True),
        total=Sum("saving", filter=Q(nth_link_of_declaration=1)),
    )
    total, reused = totals["total"], totals["reused_components"]
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


# Each takes the number of rows to list (`limit`; None, the default: all).
DATASETS: dict[str, Callable[..., Dataset]] = {
    "catalogue-growth": catalogue_growth,
    "components-by-building-block": components_by_building_block,
    "components-by-provider": components_by_provider,
    "reuses-by-component": reuses_by_component,
    "reuses-by-provider": reuses_by_provider,
    "reuses-by-building-block": reuses_by_building_block,
    "savings-by-component": savings_by_component,
}

"""The impact dashboard: every computed figure equals what the rows of the
test give when counted by hand, and only published reuse counts."""

import csv
import io
from collections import Counter, defaultdict
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalogue.models import Component, PublicationState, ReuseCase
from impact.selectors import DATASETS, savings_summary
from impact.views import LISTED_ROWS
from programme.models import ProgrammeFigure
from tests.factories import (
    make_building_block,
    make_component,
    make_provider,
    make_reuse_case,
    make_user,
)

pytestmark = pytest.mark.django_db

DAY_RATE = Decimal(500)
# More rows than the page lists, in every dataset (with crowd()).
ROWS = LISTED_ROWS + 3


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def world(settings):
    """Two providers' components, reused by three organisations, and
    declarations in every state that must not count."""
    settings.REUSE_DAY_RATE_EUR = DAY_RATE
    p1, p2 = make_provider(slug="p1"), make_provider(slug="p2")
    r1, r2, r3 = (make_provider(slug=f"r{n}") for n in (1, 2, 3))
    b1, b2 = make_building_block(slug="b1"), make_building_block(slug="b2")
    march = datetime(2025, 3, 10, tzinfo=UTC)
    a = make_component(slug="a", provider=p1, building_block=b1, published_at=march)
    b = make_component(slug="b", provider=p1, building_block=b2)
    c = make_component(slug="c", provider=p2, building_block=b1)
    hidden = make_component(
        slug="hidden", provider=p2, building_block=b2,
        publication_state=PublicationState.SUBMITTED,
    )  # fmt: skip
    published = PublicationState.PUBLISHED
    make_reuse_case(components=[a], organisations=[r1], estimated_saving_eur=1000)
    make_reuse_case(components=[a, c], organisations=[r2], estimated_saving_days=10)
    # A provider using its own component: not reuse.
    make_reuse_case(components=[b], organisations=[p1], estimated_saving_eur=9)
    # Named with another organisation: reuse.
    make_reuse_case(components=[b], organisations=[p1, r3], organisation_public=False)
    make_reuse_case(components=[hidden], organisations=[r1], estimated_saving_eur=7)
    for state in PublicationState:
        if state != published:
            make_reuse_case(
                components=[a, c],
                organisations=[r3],
                publication_state=state,
                estimated_saving_eur=5000,
            )
    return {"a": a, "b": b, "c": c}


def counted_by_hand() -> list[tuple[ReuseCase, Component]]:
    """The rule, applied in Python to every row."""
    links = []
    cases = ReuseCase.objects.prefetch_related("components", "organisations")
    for case in cases:
        if case.publication_state != PublicationState.PUBLISHED:
            continue
        for component in case.components.all():
            others = [
                o for o in case.organisations.all() if o.pk != component.provider_id
            ]
            if component.is_public and others:
                links.append((case, component))
    return links


def saving_of(case: ReuseCase) -> Decimal | None:
    if case.estimated_saving_eur is not None:
        return case.estimated_saving_eur
    if case.estimated_saving_days is not None:
        return case.estimated_saving_days * DAY_RATE
    return None


def rows(slug: str) -> list[tuple]:
    return DATASETS[slug]().rows


def test_reuses_per_component_match_the_rows_and_the_catalogue_count(world):
    expected = Counter(component.name for _case, component in counted_by_hand())
    assert dict(rows("reuses-by-component")) == dict(expected)
    assert dict(rows("reuses-by-component")) == {
        world["a"].name: 2,
        world["b"].name: 1,
        world["c"].name: 1,
    }
    # The catalogue's own count (its "most reused" sort) agrees.
    listed = dict(
        Component.objects.for_listing()
        .filter(reuse_count__gt=0)
        .values_list("name", "reuse_count")
    )
    assert listed == dict(expected)


def test_reuses_per_provider_and_block_count_each_declaration_once(world):
    by_provider, by_block = defaultdict(set), defaultdict(set)
    for case, component in counted_by_hand():
        by_provider[component.provider.name].add(case.pk)
        by_block[component.building_block.name].add(case.pk)
    assert dict(rows("reuses-by-provider")) == {
        name: len(cases) for name, cases in by_provider.items()
    }
    assert dict(rows("reuses-by-building-block")) == {
        name: len(cases) for name, cases in by_block.items()
    }
    # The case naming a and c counts once for block b1, which holds both.
    assert dict(rows("reuses-by-building-block"))[world["a"].building_block.name] == 2


def test_savings_per_component_total_average_and_declarations(world):
    by_component = defaultdict(list)
    for case, component in counted_by_hand():
        by_component[component.name].append(saving_of(case))
    expected = {}
    for name, savings in by_component.items():
        stated = [s for s in savings if s is not None]
        total = sum(stated) if stated else None
        expected[name] = (
            len(savings),
            len(stated),
            total,
            total / len(stated) if stated else None,
        )
    got = {row[0]: row[1:] for row in rows("savings-by-component")}
    assert got == expected
    # 10 person-days at the configured day rate.
    assert got[world["c"].name] == (1, 1, Decimal(5000), Decimal(5000))
    assert got[world["a"].name] == (2, 2, Decimal(6000), Decimal(3000))


def test_savings_summary_counts_each_declaration_once(world):
    cases = {case.pk: case for case, _component in counted_by_hand()}
    stated = [saving_of(c) for c in cases.values() if saving_of(c) is not None]
    reused = {component.pk for _case, component in counted_by_hand()}
    summary = savings_summary()
    assert summary.declarations == len(cases) == 3
    assert summary.with_saving == len(stated) == 2
    assert summary.reused_components == len(reused) == 3
    assert summary.total == sum(stated) == Decimal(6000)
    assert summary.average_per_reused_component == Decimal(2000)


def test_catalogue_figures_count_published_components_only(world):
    published = Component.objects.published()
    by_provider = Counter(c.provider.name for c in published)
    by_block = Counter(c.building_block.name for c in published)
    assert dict(rows("components-by-provider")) == dict(by_provider)
    assert dict(rows("components-by-building-block")) == dict(by_block)
    months = Counter(c.published_at.strftime("%Y-%m") for c in published)
    growth = rows("catalogue-growth")
    assert [(month, added) for month, added, _size in growth] == sorted(months.items())
    assert growth[0] == ("2025-03", 1, 1)
    assert growth[-1][2] == published.count() == 3


def test_the_dashboard_shows_both_kinds_of_figures_apart(client, world):
    ProgrammeFigure.objects.create(
        slug="average-roi",
        value=27000,
        unit=ProgrammeFigure.Unit.EUR,
        year=2019,
        label="Average ROI per reused component",
        source_reference="Seed deck, slide 12",
    )
    response = client.get(url("impact:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    programme = html.index('id="programme-results"')
    computed = html.index('id="catalogue-figures"')
    # The quoted figure, with its source, sits in its own section first.
    assert programme < html.index("Seed deck, slide 12") < computed
    assert html.count("Average ROI per reused component") == 1
    for slug in DATASETS:
        assert f'id="{slug}"' in html
        assert url("impact:dataset-csv", slug) in html
    assert html.count('role="img"') == len(DATASETS)
    assert html.count("<title id=") == len(DATASETS)


@pytest.mark.parametrize("extra_cases", [0, ROWS])
def test_the_dashboard_makes_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, extra_cases
):
    for _ in range(extra_cases):
        make_reuse_case()
    # Programme figures; the months; the blocks' counts with their names; the
    # providers' counts, then their names; the reuses per component, then
    # how many components are reused; the reuses per provider and per block
    # and the savings per component, each with its names; the savings
    # summary. Only the months come whole (a row a month); the others are
    # cut to the rows listed.
    with django_assert_num_queries(11):
        response = client.get(url("impact:dashboard"))
    assert response.status_code == 200


def test_the_most_reused_components_are_counted_apart_from_the_rows_listed(
    client, world
):
    # Counted by a window beside the rows listed, every reused component's
    # row was read: 58 ms of the dashboard's first view after a change at
    # 100,000 components, 6 ms counted apart.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("impact:dashboard")).status_code == 200
    (most_reused,) = [
        query["sql"]
        for query in queries.captured_queries
        if '"reuse_count" > 0' in query["sql"] and " ORDER BY " in query["sql"]
    ]
    assert " OVER " not in most_reused
    assert " LIMIT " in most_reused


def test_signed_in_visitors_read_the_figures_computed_once_per_change(
    client, world, django_assert_max_num_queries
):
    client.force_login(make_user())
    first = client.get(url("impact:dashboard")).context["savings"].declarations

    # The session and the user, the programme's figures: no figure again.
    with django_assert_max_num_queries(3):
        assert client.get(url("impact:dashboard")).status_code == 200
    make_reuse_case()
    again = client.get(url("impact:dashboard")).context["savings"].declarations
    assert again == first + 1


def test_each_dataset_downloads_as_utf8_csv_with_a_bom(client, world):
    response = client.get(
        url("impact:dataset-csv", "savings-by-component", language="fr")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="savings-by-component.csv"' in response["Content-Disposition"]
    body = response.content
    assert body.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(table) == 1 + len(rows("savings-by-component"))
    got = {row[0]: row[1:] for row in table[1:]}
    assert got[world["c"].name] == ["1", "1", "5000.00", "5000.00"]


def test_an_unknown_dataset_is_not_found(client):
    assert client.get(url("impact:dataset-csv", "passwords")).status_code == 404


def test_a_chart_does_not_claim_to_draw_a_row_without_a_figure(client, world):
    html = client.get(url("impact:dashboard")).content.decode()
    # b's only counted declaration states no saving: a row, but no bar.
    assert savings_row(world["b"])[3] is None
    drawn = "Every row of the table is drawn."
    assert drawn not in section(html, "savings-by-component")
    assert drawn in section(html, "reuses-by-component")


def savings_row(component: Component) -> tuple:
    [row] = [row for row in rows("savings-by-component") if row[0] == component.name]
    return row


def section(html: str, slug: str) -> str:
    """The part of the page that shows one dataset."""
    start = html.index(f'<section class="impact-dataset" id="{slug}"')
    return html[start : html.index("</section>", start)]


def crowd(cases: int) -> None:
    """`cases` reuse cases, each of a component of its own provider and
    block, first published a month after the one before, and saving 1,000
    euros more than the one before: as many rows in every dataset."""
    for n in range(cases):
        make_reuse_case(
            components=[make_component(published_at=month(n))],
            estimated_saving_eur=1000 * (n + 1),
        )


def month(n: int) -> datetime:
    """A day in the n-th month from January 2023 (n = 0)."""
    return datetime(2023 + n // 12, n % 12 + 1, 15, tzinfo=UTC)


@pytest.fixture
def crowded(settings):
    settings.REUSE_DAY_RATE_EUR = DAY_RATE
    crowd(ROWS)


def listed(response, slug: str):
    return response.context["panels"][slug.replace("-", "_")]["dataset"]


def test_the_page_lists_the_first_rows_and_says_how_many_there_are(client, crowded):
    response = client.get(url("impact:dashboard"))
    html = response.content.decode()
    for slug in DATASETS:
        dataset = listed(response, slug)
        assert len(dataset.rows) == LISTED_ROWS
        assert dataset.row_count == ROWS
        shown = section(html, slug)
        assert shown.count('<th scope="row">') == LISTED_ROWS
        assert shown.count("<rect ") == LISTED_ROWS
        # The table points to the sentence that says what it leaves out.
        assert f'aria-describedby="{slug}-listed"' in shown
        assert f'<p id="{slug}-listed">' in shown
        assert url("impact:dataset-csv", slug) in shown
    assert (
        html.count(
            f"The table lists the {LISTED_ROWS} rows with the largest figures out "
            f"of {ROWS}; the CSV file below has them all."
        )
        == len(DATASETS) - 1
    )
    assert (
        html.count(
            f"The table lists the latest {LISTED_ROWS} of {ROWS} months; the CSV "
            "file below has them all."
        )
        == 1
    )


def test_the_listed_rows_are_the_largest_and_the_totals_count_every_row(
    client, crowded
):
    response = client.get(url("impact:dashboard"))
    savings = listed(response, "savings-by-component")
    # The largest totals, largest first.
    assert [row[3] for row in savings.rows] == [
        Decimal(1000 * n) for n in range(ROWS, ROWS - LISTED_ROWS, -1)
    ]
    # The latest months, each size counting the months not listed too.
    assert listed(response, "catalogue-growth").rows == [
        (month(n).strftime("%Y-%m"), 1, n + 1) for n in range(ROWS - LISTED_ROWS, ROWS)
    ]
    summary = response.context["savings"]
    assert summary.declarations == summary.reused_components == ROWS
    total = sum(1000 * n for n in range(1, ROWS + 1))
    assert summary.total == total
    assert (
        f'<th scope="row">Total estimated saving (EUR)</th><td class="num">{total:,}'
        in response.content.decode()
    )


@pytest.mark.parametrize("slug", DATASETS)
def test_the_csv_file_has_every_row_the_page_leaves_out(client, crowded, slug):
    page = listed(client.get(url("impact:dashboard")), slug)
    response = client.get(url("impact:dataset-csv", slug))
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(table) == 1 + ROWS
    as_written = [
        ["" if value is None else str(value) for value in row] for row in page.rows
    ]
    # The page's rows, in the same order: the latest months, or the largest
    # figures.
    if page.chronological:
        assert table[-LISTED_ROWS:] == as_written
    else:
        assert table[1 : 1 + LISTED_ROWS] == as_written


@pytest.mark.parametrize("cases", [1, ROWS])
def test_each_csv_file_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries, cases
):
    crowd(cases)
    for slug in DATASETS:
        # Its figures, names included; the providers' names come after
        # their counts.
        with django_assert_num_queries(2 if slug == "components-by-provider" else 1):
            response = client.get(url("impact:dataset-csv", slug))
        assert len(response.content.decode("utf-8-sig").splitlines()) == 1 + cases

"""The API sorts as the pages do: one `sort` parameter with the pages' values,
the old `ordering` as its alias for one release, and every list in one fixed
order, so that walking its pages shows each entry exactly once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from catalogue.filters import ComponentApiFilter, ComponentFilter
from catalogue.models import CollaborationModel, Component, PublicationState
from networks.api import EventFilter
from reuse_portal import page_cache, pagination
from tests.factories import (
    make_building_block,
    make_component,
    make_domain,
    make_event,
    make_network,
    make_provider,
    make_reuse_case,
)
from tests.plans import at_rest, plan_without

pytestmark = pytest.mark.django_db

SORTS = [value for value, _label in ComponentFilter.SORT_CHOICES]
# Names that tie once lowercased, as the name sort compares them.
NAMES = ["Register", "register", "REGISTER", "Archive", "archive"]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def walk(api: APIClient, path: str, page_size: int = 4, **params) -> list[str]:
    """The slugs of every page of a list, in the order the pages give them."""
    slugs, page = [], 1
    while True:
        response = api.get(path, {**params, "page": page, "page_size": page_size})
        assert response.status_code == 200, response.json()
        body = response.json()
        slugs += [row["slug"] for row in body["results"]]
        if body["next"] is None:
            assert len(slugs) == body["count"]
            return slugs
        page += 1


def rows(api: APIClient, path: str, **params) -> list[dict]:
    body = api.get(path, {**params, "page_size": 100}).json()
    assert body["next"] is None
    return body["results"]


@pytest.fixture
def tied_catalogue() -> set[str]:
    """33 published components whose names, dates and reuse counts tie in
    groups, and drafts that no list may show. Returns the published slugs."""
    published_at = timezone.now()
    components = []
    for n in range(33):
        name = NAMES[n % len(NAMES)]
        components.append(
            make_component(
                name_nl=name,
                name_fr=name,
                name_en=name,
                published_at=published_at,
            )
        )
    for component in components[::4]:
        make_reuse_case(components=[component])
    for _ in range(2):
        make_component(name_nl="Register", publication_state=PublicationState.DRAFT)
    return {component.slug for component in components}


@pytest.mark.parametrize(
    "params",
    [{"sort": sort} for sort in SORTS]
    + [{"ordering": value} for value in ComponentApiFilter.ORDERING_ALIASES]
    + [{}],
    ids=str,
)
def test_every_sort_shows_each_published_component_on_exactly_one_page(
    api, tied_catalogue, params
):
    slugs = walk(api, "/api/v1/components/", **params)

    assert len(slugs) == len(set(slugs))
    assert set(slugs) == tied_catalogue
    # Small pages give the very order of one big page.
    assert slugs == [c["slug"] for c in rows(api, "/api/v1/components/", **params)]


@pytest.mark.parametrize(
    "params",
    [{"sort": sort} for sort in SORTS] + [{"q": "register"}, {"ordering": "-name"}],
    ids=str,
)
def test_deep_pages_read_their_keys_first_and_keep_the_order(
    api, tied_catalogue, monkeypatch, params
):
    shallow = walk(api, "/api/v1/components/", **params)
    # Read again, not from the kept answers, from the third page of 4 on in
    # two steps: the keys of the page, then its rows.
    cache.clear()
    page_cache.forget_local_copies()
    monkeypatch.setattr(pagination, "DEEP_PAGE_OFFSET", 8)

    deep = walk(api, "/api/v1/components/", **params)

    assert deep == shallow


@pytest.mark.parametrize("rows", [1, 25])
def test_a_deep_page_reads_its_keys_then_its_rows(
    api, monkeypatch, django_assert_num_queries, rows
):
    monkeypatch.setattr(pagination, "DEEP_PAGE_OFFSET", 1)
    for _ in range(rows + 1):
        make_component()
    api.get("/api/v1/components/", {"page_size": rows})  # counted and kept

    # The second page: its keys, then its rows.
    with django_assert_num_queries(2):
        body = api.get("/api/v1/components/", {"page_size": rows, "page": 2}).json()

    assert len(body["results"]) == 1


@pytest.mark.parametrize("sort", SORTS)
def test_a_search_pages_through_its_ties_too(api, tied_catalogue, sort):
    everything = rows(api, "/api/v1/components/", q="register", sort=sort)

    slugs = walk(api, "/api/v1/components/", q="register", sort=sort)

    assert slugs == [c["slug"] for c in everything]
    # The 21 whose name is some case of "register".
    assert len(set(slugs)) == len(slugs) >= 21


def test_each_sort_orders_by_what_it_names(api, tied_catalogue):
    def listed(**params) -> list[dict]:
        return rows(api, "/api/v1/components/", **params)

    by_name = [c["name"].lower() for c in listed(sort="name")]
    most_reused = [c["reuse_count"] for c in listed(sort="most_reused")]
    newest = [c["published_at"] for c in listed(sort="newest")]

    assert by_name == sorted(by_name)
    assert most_reused == sorted(most_reused, reverse=True)
    assert most_reused[0] == 1
    assert newest == sorted(newest, reverse=True)
    # Without a search, relevance is the name order, as on the page.
    assert listed(sort="relevance") == listed(sort="name") == listed()


@pytest.mark.parametrize(
    ("ordering", "sort"),
    [("name", "name"), ("-updated_at", "newest"), ("-reuse_count", "most_reused")],
)
def test_the_old_ordering_gives_the_order_of_its_sort(
    api, tied_catalogue, ordering, sort
):
    old = rows(api, "/api/v1/components/", ordering=ordering)

    assert old == rows(api, "/api/v1/components/", sort=sort)


def test_the_old_descending_and_ascending_values_run_the_other_way(api):
    make_component(slug="b", name_en="Beta", published_at=timezone.now())
    make_component(slug="a", name_en="Alpha", published_at=timezone.now())
    make_reuse_case(components=[make_component(slug="c", name_en="Gamma")])

    def slugs(ordering: str) -> list[str]:
        return [c["slug"] for c in rows(api, "/api/v1/components/", ordering=ordering)]

    assert slugs("name") == ["a", "b", "c"]
    assert slugs("-name") == ["c", "b", "a"]
    assert slugs("-updated_at") == ["c", "a", "b"]
    assert slugs("updated_at") == ["b", "a", "c"]
    assert slugs("-reuse_count") == ["c", "a", "b"]
    assert slugs("reuse_count") == ["b", "a", "c"]


@pytest.mark.parametrize(
    ("ascending", "descending"),
    [("-name", "name"), ("updated_at", "-updated_at"), ("reuse_count", "-reuse_count")],
)
def test_the_old_opposite_values_give_exactly_reversed_lists(
    api, tied_catalogue, ascending, descending
):
    path = "/api/v1/components/"

    reversed_list = walk(api, path, ordering=ascending)

    # Ties (names, dates, reuse counts) the other way round too.
    assert reversed_list == walk(api, path, ordering=descending)[::-1]


@pytest.mark.parametrize(
    "params",
    [{"sort": sort} for sort in SORTS]
    + [{"ordering": value} for value in ComponentApiFilter.ORDERING_ALIASES],
    ids=str,
)
def test_every_sort_reads_its_order_from_an_index(api, tied_catalogue, params):
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/components/", params)
    (listing,) = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "catalogue_component"."id"')
        and " ORDER BY " in query["sql"]
    ]
    # Sorting the 80,000 never reused took 600 ms at 100,000 components.
    plan = plan_without(listing, "seqscan", "sort", "incremental_sort")

    assert "Sort" not in plan, plan


@pytest.mark.django_db(transaction=True)
def test_a_filtered_list_reads_its_keys_from_its_sorts_index_alone(api, monkeypatch):
    # Each sort's index holds the columns the list is filtered by: a deep
    # page of one kind, one provider or `modified_since` is read from the
    # index without a row (at 100,000 components, page 1,000 of one kind
    # read and sorted 28,000 whole rows: 110 ms; 13 from the index).
    monkeypatch.setattr(pagination, "DEEP_PAGE_OFFSET", 1)
    shared = {
        "provider": make_provider(),
        "building_block": make_building_block(),
        "domain": make_domain(),
        "collaboration_model": make_collaboration_model(),
    }
    for _ in range(3):
        make_component(**shared)
    component = Component.objects.first()
    filters = {
        "kind": component.kind,
        "status": component.lifecycle_status,
        "modified_since": "2020-01-01T00:00:00Z",
        **{name: value.slug for name, value in shared.items()},
    }
    at_rest("catalogue_component")
    read_rows = {}
    for sort in SORTS:
        for name, value in filters.items():
            params = {"sort": sort, name: value, "page": 2, "page_size": 1}
            with CaptureQueriesContext(connection) as queries:
                assert api.get("/api/v1/components/", params).status_code == 200
            # The page's keys, read before its rows (reuse_portal/pagination.py).
            (keys,) = [
                query["sql"]
                for query in queries.captured_queries
                if query["sql"].startswith('SELECT "catalogue_component"."id" AS "pk"')
            ]
            plan = plan_without(keys, "seqscan", "sort", "bitmapscan")
            scans = [
                line for line in plan.splitlines() if " on catalogue_component " in line
            ]
            if not scans or any("Index Only Scan" not in line for line in scans):
                read_rows[f"sort={sort}&{name}"] = plan

    assert not read_rows, read_rows


def test_sort_wins_over_the_old_ordering(api):
    make_component(slug="a", name_en="Alpha")
    make_component(slug="b", name_en="Beta")

    listed = rows(api, "/api/v1/components/", sort="name", ordering="-name")

    assert [c["slug"] for c in listed] == ["a", "b"]


@pytest.mark.parametrize(
    ("query", "field"), [("sort=price", "sort"), ("ordering=-price", "ordering")]
)
def test_an_unknown_sort_is_a_400_naming_it(api, query, field):
    response = api.get(f"/api/v1/components/?{query}")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_events_sort_newest_or_oldest_first_and_keep_their_ties_apart(api):
    network = make_network()
    same_time = timezone.now()
    for _ in range(7):
        make_event(network=network, starts_at=same_time)
    make_event(network=network, slug="earliest", starts_at=same_time.replace(year=2020))

    newest = walk(api, "/api/v1/events/", page_size=3)
    oldest = walk(api, "/api/v1/events/", page_size=3, sort="oldest")

    assert len(set(newest)) == len(newest) == 8
    assert newest[-1] == oldest[0] == "earliest"
    assert walk(api, "/api/v1/events/", page_size=3, sort="newest") == newest
    assert walk(api, "/api/v1/events/", page_size=3, ordering="-starts_at") == newest
    assert walk(api, "/api/v1/events/", page_size=3, ordering="starts_at") == oldest
    assert set(EventFilter.ORDERING_ALIASES) == {"starts_at", "-starts_at"}


def make_collaboration_model() -> CollaborationModel:
    n = CollaborationModel.objects.count()
    return CollaborationModel.objects.create(
        slug=f"model-{n}", name_nl=f"Model {n}", definition_nl="Gedeeld."
    )


@pytest.mark.parametrize(
    ("path", "make_row"),
    [
        ("/api/v1/providers/", make_provider),
        ("/api/v1/networks/", make_network),
        ("/api/v1/events/", make_event),
        ("/api/v1/reuse-cases/", make_reuse_case),
        ("/api/v1/building-blocks/", make_building_block),
        ("/api/v1/collaboration-models/", make_collaboration_model),
        ("/api/v1/domains/", make_domain),
    ],
)
def test_every_other_list_pages_through_each_entry_exactly_once(api, path, make_row):
    # Equal positions, years and names: only the tie-breaker orders them.
    for _ in range(8):
        make_row()

    slugs = walk(api, path, page_size=3)

    assert len(slugs) >= 8
    assert len(set(slugs)) == len(slugs)
    assert slugs == [row["slug"] for row in rows(api, path)]


def test_the_page_and_the_api_give_the_same_order(api, client, tied_catalogue):
    with translation.override("en"):
        catalogue_page = reverse("catalogue:component-list")
    for sort in SORTS:
        page = client.get(catalogue_page, {"sort": sort})
        on_page = [c.slug for c in page.context["object_list"]]
        in_api = rows(api, "/api/v1/components/", sort=sort, lang="en")

        assert on_page == [c["slug"] for c in in_api][: len(on_page)], sort
    assert Component.objects.published().count() == len(tied_catalogue)

"""How well search answers what people type: a fixed set of queries, each
with the components that must come in the first three, written from the
catalogue's content. The figures are printed and kept in the README."""

from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from catalogue.models import Component

pytestmark = pytest.mark.usefixtures("seeded_catalogue")

QUERIES = yaml.safe_load(
    (Path(__file__).with_name("relevance_queries.yaml")).read_text(encoding="utf-8")
)
MIN_SUCCESS_AT_3 = 0.95
MIN_SUCCESS_AT_1 = 0.85


@pytest.fixture(autouse=True)
def _db(db):
    return db


def first_results(client, query: str, *, count: int = 10) -> list[str]:
    """The components the catalogue page lists first for `query`."""
    with translation.override("nl"):
        address = reverse("catalogue:component-list")
    page = client.get(address, {"q": query}).context["page_obj"]
    return [component.slug for component in page.object_list][:count]


def test_the_query_set_is_broad_and_names_real_components():
    published = set(Component.objects.published().values_list("slug", flat=True))
    expected = {slug for entry in QUERIES for slug in entry["expect"]}

    assert len(QUERIES) >= 60
    assert expected <= published
    assert len({entry["kind"] for entry in QUERIES}) >= 6


def test_search_finds_what_people_look_for(client):
    ranks = []
    misses = []
    for entry in QUERIES:
        results = first_results(client, entry["query"])
        rank = next(
            (i for i, slug in enumerate(results, 1) if slug in entry["expect"]), None
        )
        ranks.append(rank)
        if rank is None or rank > 1:
            misses.append(f"{entry['query']!r}: rank {rank}, top 3 {results[:3]}")
    total = len(ranks)
    success_at_1 = sum(rank == 1 for rank in ranks) / total
    success_at_3 = sum(rank is not None and rank <= 3 for rank in ranks) / total
    mrr = sum(1 / rank for rank in ranks if rank) / total

    print(  # noqa: T201 (the figures belong in the test output)
        f"\nSearch relevance over {total} queries: success@1 {success_at_1:.2f}, "
        f"success@3 {success_at_3:.2f}, MRR {mrr:.2f}\n"
        + "\n".join(f"  not first: {miss}" for miss in misses)
    )
    assert success_at_3 >= MIN_SUCCESS_AT_3, misses
    assert success_at_1 >= MIN_SUCCESS_AT_1, misses

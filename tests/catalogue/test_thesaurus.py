"""The NL/FR/EN thesaurus (catalogue/thesaurus.yaml): a word in one language
finds what is described in another. One test per entry, on the real catalogue."""

import pytest

from catalogue.models import Component
from catalogue.search import thesaurus, thesaurus_suggestions, understand

pytestmark = pytest.mark.usefixtures("seeded_catalogue")


@pytest.fixture(autouse=True)
def _db(db):
    return db


def found(text: str) -> set[str]:
    return set(
        Component.objects.published().search(text).values_list("slug", flat=True)
    )


@pytest.mark.parametrize("concept", thesaurus(), ids=lambda concept: concept.name)
def test_every_term_of_an_entry_finds_what_the_others_find(concept):
    results = {" ".join(term): found(" ".join(term)) for term in concept.terms}

    assert all(results.values()), {t: r for t, r in results.items() if not r}
    shared = set.intersection(*results.values())
    assert shared, results


def test_a_term_is_expanded_to_its_equivalents_in_every_language():
    (authentication,) = [
        c for c in thesaurus() if "login" in {" ".join(t) for t in c.terms}
    ]

    expanded = understand("login").tsquery

    for term in authentication.terms:
        assert " <-> ".join(term) in expanded


def test_a_search_that_finds_nothing_suggests_thesaurus_terms():
    suggestions = thesaurus_suggestions("handtekenin")

    assert "elektronische handtekening" in suggestions
    assert "electronic signature" in suggestions

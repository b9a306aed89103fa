"""Paging through the catalogue in Chromium, as a visitor does: by clicking Next
until there is none and Previous back to the start, with and without JavaScript.
Every published component must be shown exactly once, in every language and
every sort, and the sort and filters must survive every click."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import follow, shell

# The sort a visitor picks; None is the catalogue as the menu first opens it.
SORTS = [None, "name", "newest", "most_reused"]
CATALOGUE_LINK = {"nl": "Catalogus", "fr": "Catalogue", "en": "Catalogue"}


@pytest.fixture(scope="module")
def published_slugs(portal) -> set[str]:
    script = (
        "import json; from catalogue.models import Component; "
        "print(json.dumps(list(Component.objects.published()"
        ".values_list('slug', flat=True))))"
    )
    return set(json.loads(shell(portal, script)))


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def visitor(request, browser: Browser) -> Page:
    context = browser.new_context(java_script_enabled=request.param)
    yield context.new_page()
    context.close()


def shown_slugs(page: Page) -> list[str]:
    hrefs = page.locator(".results .card-title a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def walk_forward_and_back(page: Page, kept: dict[str, list[str]]) -> list[list[str]]:
    """Click Next until there is none, then Previous back to the first page.

    Returns the components of each page; checks on every page that the query
    still holds `kept` and that Previous shows the same pages again.
    """
    pages, titles = [], set()
    while True:
        pages.append(shown_slugs(page))
        titles.add(page.title())
        assert pages[-1], f"{page.url} shows no component"
        current = query(page)
        for name, values in kept.items():
            assert sorted(current.get(name, [])) == sorted(values), page.url
        expect(page.locator(".pagination [aria-current=page]")).to_contain_text(
            str(len(pages))
        )
        next_link = page.locator(".pagination a[rel=next]")
        if not next_link.count():
            break
        follow(next_link)
    for number in range(len(pages) - 1, 0, -1):
        follow(page.locator(".pagination a[rel=prev]"))
        assert shown_slugs(page) == pages[number - 1], page.url
    expect(page.locator(".pagination a[rel=prev]")).to_have_count(0)
    # The title says which page this is: a screen reader announces it.
    assert len(titles) == len(pages), titles
    return pages


def choose_sort(page: Page, sort: str | None) -> None:
    if sort is not None:
        page.locator("#id_sort").select_option(sort)
        follow(page.locator(".sort button"))
        expect(page.locator("#id_sort")).to_have_value(sort)


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_next_and_previous_show_every_component_once_in_every_sort(
    visitor: Page, portal_url, published_slugs, lang
):
    for sort in SORTS:
        visitor.goto(f"{portal_url}/{lang}/")
        follow(
            visitor.locator(".main-nav").get_by_role(
                "link", name=CATALOGUE_LINK[lang], exact=True
            )
        )
        choose_sort(visitor, sort)

        pages = walk_forward_and_back(
            visitor, {"sort": [sort]} if sort else {"sort": []}
        )

        shown = [slug for page in pages for slug in page]
        assert len(pages) > 1
        assert len(shown) == len(set(shown)), f"{sort}: shown twice"
        assert set(shown) == published_slugs, f"{lang}, {sort}"


def test_paging_keeps_the_search_and_the_filters(visitor: Page, portal_url):
    visitor.goto(f"{portal_url}/en/catalogue/")
    # The kind with the most components, so that its results span pages.
    kind = visitor.locator("#facet-kind")
    counts = kind.locator(".count").all_inner_texts()
    biggest = max(range(len(counts)), key=lambda index: int(counts[index]))
    kind.locator("input[type=checkbox]").nth(biggest).check()
    value = kind.locator("input[type=checkbox]").nth(biggest).get_attribute("value")
    follow(visitor.get_by_role("button", name="Apply filters"))
    choose_sort(visitor, "newest")
    total = int(visitor.locator("#results-title").inner_text().split()[0])

    pages = walk_forward_and_back(visitor, {"kind": [value], "sort": ["newest"]})

    shown = [slug for page in pages for slug in page]
    assert len(shown) == len(set(shown)) == total
    assert visitor.locator(f"#facet-kind input[value={value}]").is_checked()


@pytest.mark.parametrize(
    ("lang", "words"), [("nl", "formulieren"), ("fr", "formulaires"), ("en", "forms")]
)
def test_a_search_typed_on_the_catalogue_page_lists_the_best_match_first(
    visitor: Page, portal_url, lang, words
):
    visitor.goto(f"{portal_url}/{lang}/")
    follow(
        visitor.locator(".main-nav").get_by_role(
            "link", name=CATALOGUE_LINK[lang], exact=True
        )
    )

    visitor.locator("#id_q").fill(words)
    follow(visitor.locator("#id_q"), key="Enter")

    # Ranked: no sort the visitor did not choose overrides the relevance.
    assert query(visitor)["q"] == [words]
    assert query(visitor).get("sort", ["relevance"]) == ["relevance"]
    assert shown_slugs(visitor)[0] == "forms"


def test_a_page_beyond_the_last_leads_to_the_last_page(visitor: Page, portal_url):
    response = visitor.goto(f"{portal_url}/fr/catalogue/?sort=newest&page=999")

    assert response.status == 404
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Catalogue")
    follow(visitor.get_by_role("link", name="Aller à la dernière page"))
    assert query(visitor)["sort"] == ["newest"]
    expect(visitor.locator(".pagination a[rel=next]")).to_have_count(0)
    assert shown_slugs(visitor)

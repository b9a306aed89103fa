"""The layout in Chromium, on a phone (360 px, and 320 px where it matters) and
a desktop (1280 px): the catalogue's results before its folded filters, with
and without JavaScript; nothing wider than the phone; card titles that wrap
between words and name their acronym once; compact key figures that link to
their lists; a main navigation that lines up with the content."""

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
# 320 px is the narrowest width WCAG's reflow criterion asks for.
PHONE_WIDTHS = [360, 320]
LANGUAGES = ["nl", "fr", "en"]
PAGES = {
    "home": "/{lang}/",
    "catalogue": "/{lang}/catalogue/",
    "component": "/{lang}/service/e-box-elektronische-mailbox/",
    "about": "/{lang}/about/",
}
# Each run of letters between spaces, hyphens, dashes and slashes: a title may
# wrap there, never inside one.
WORD_LINES = """title => {
  const broken = [];
  const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of node.data.matchAll(/[^\\s\\-\u2010-\u2015\\/]+/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const tops = new Set(
        [...range.getClientRects()].map(rect => Math.round(rect.top))
      );
      if (tops.size > 1) broken.push(word[0]);
    }
  }
  return broken;
}"""


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    contexts = []

    def open_page(viewport: dict[str, int], *, javascript: bool = True) -> Page:
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def catalogue_pages(page: Page, portal_url: str, lang: str) -> Iterator[Page]:
    """Every page of the catalogue, then the home page's cards."""
    number = 1
    while page.goto(f"{portal_url}/{lang}/catalogue/?page={number}").ok:
        yield page
        number += 1
    assert number > 2, "the catalogue should span several pages"
    page.goto(f"{portal_url}/{lang}/")
    yield page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_phone_the_results_come_before_the_folded_filters(
    new_page, portal_url, javascript
):
    page = new_page(PHONE, javascript=javascript)
    page.goto(f"{portal_url}/en/catalogue/")
    summary = page.locator(".facets-panel > summary")
    first_card = page.locator(".results .card").first
    kind = page.locator("#facet-kind")

    expect(summary).to_be_visible()
    expect(kind).to_be_hidden()
    card = first_card.locator(".card-title").bounding_box()
    assert card["y"] + card["height"] <= PHONE["height"], "below the fold"
    assert summary.bounding_box()["y"] < card["y"]

    summary.click()
    expect(kind).to_be_visible()
    assert overflow(page) <= 0
    kind.get_by_label(re.compile("^API")).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"/en/catalogue/\?.*kind=api"))
    # Folded again, the summary still tells which filters apply.
    expect(kind).to_be_hidden()
    expect(summary).to_contain_text("API")
    assert set(page.locator(".results .card .badge").all_inner_texts()) == {"API"}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_desktop_the_filters_stay_unfolded(new_page, portal_url, javascript):
    page = new_page(DESKTOP, javascript=javascript)
    page.goto(f"{portal_url}/en/catalogue/")

    expect(page.locator(".facets-panel > summary")).to_be_hidden()
    expect(page.get_by_role("heading", name="Filter", exact=True)).to_be_visible()
    expect(page.locator("#facet-kind")).to_be_visible()
    filters = page.locator(".facets").bounding_box()
    results = page.locator(".results").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"], "side by side"


def test_the_cards_of_a_row_line_up(new_page, portal_url):
    page = new_page(DESKTOP)
    page.goto(f"{portal_url}/en/catalogue/")

    cards = page.locator(".results .card").all()[:3]
    tops = {round(card.bounding_box()["y"]) for card in cards}

    assert len(cards) == 3
    assert len(tops) == 1


@pytest.mark.parametrize("width", PHONE_WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGES)
def test_no_page_is_wider_than_a_phone(new_page, portal_url, page_type, lang, width):
    page = new_page({**PHONE, "width": width})
    response = page.goto(portal_url + PAGES[page_type].format(lang=lang))

    assert response.ok
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", PHONE_WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_card_titles_never_break_inside_a_word(new_page, portal_url, lang, width):
    page = new_page({**PHONE, "width": width})
    broken = []
    titles = 0
    for shown in catalogue_pages(page, portal_url, lang):
        for title in shown.locator(".card-title").all():
            titles += 1
            broken += [f"{shown.url}: {word}" for word in title.evaluate(WORD_LINES)]

    assert titles > 20
    assert broken == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_card_names_its_acronym_twice(new_page, portal_url, lang):
    page = new_page(DESKTOP)
    twice = []
    for shown in catalogue_pages(page, portal_url, lang):
        for title in shown.locator(".card-title").all():
            text = title.inner_text()
            name = title.locator("a").inner_text()
            acronyms = re.findall(r"\(([^()]+)\)", text)
            shown_acronym = title.locator(".acronym")
            if len(acronyms) != len(set(acronyms)) or (
                shown_acronym.count() and shown_acronym.inner_text().strip("()") in name
            ):
                twice.append(text)

    assert twice == []


def test_the_key_figures_sit_two_to_a_row_on_a_phone(new_page, portal_url):
    page = new_page(PHONE)
    page.goto(f"{portal_url}/en/")
    figures = page.locator(".figures li")

    expect(figures).to_have_count(4)
    rows = {round(figure.bounding_box()["y"]) for figure in figures.all()}
    assert len(rows) == 2
    assert max(figure.bounding_box()["height"] for figure in figures.all()) < 120


def test_every_key_figure_leads_to_its_list(new_page, portal_url):
    page = new_page(PHONE)
    page.goto(f"{portal_url}/en/")

    links = page.locator(".figures li a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )

    assert links == [
        "/en/catalogue/",
        "/en/providers/",
        "/en/networks/",
        "/en/reuse-cases/",
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
@pytest.mark.parametrize("path", ["/en/", "/en/catalogue/", "/en/about/"])
def test_the_main_navigation_lines_up_with_the_content(
    new_page, portal_url, viewport, path
):
    page = new_page(viewport)
    page.goto(portal_url + path)

    navigation = page.get_by_role("navigation", name="Main").get_by_role("link")
    heading = page.get_by_role("heading", level=1)

    assert navigation.first.bounding_box()["x"] == heading.bounding_box()["x"]
    assert page.locator(".brand").bounding_box()["x"] == heading.bounding_box()["x"]

"""A civil servant's first visit, in Chromium, on a desktop and on a phone."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

SCREENSHOTS = settings.BASE_DIR / "test-artifacts" / "screenshots"


def check_no_horizontal_overflow(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the window"


def snapshot(page: Page, width: int, step: str) -> Path:
    path = SCREENSHOTS / f"{width}-{step}.png"
    page.screenshot(path=path, full_page=True)
    check_no_horizontal_overflow(page)
    return path


@pytest.mark.parametrize("width", [1280, 360])
def test_search_a_component_switch_language_filter_and_open_a_provider(
    page: Page, portal_url, width
):
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(f"{portal_url}/nl/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    snapshot(page, width, "1-home")

    page.get_by_role("searchbox").fill("ehelthbox")
    page.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(r"/nl/catalogue/\?q=ehelthbox"))
    results = page.locator(".results")
    expect(results.get_by_role("link", name="eHealthBox", exact=True)).to_be_visible()
    snapshot(page, width, "2-results")

    results.get_by_role("link", name="eHealthBox", exact=True).click()
    expect(page).to_have_url(re.compile(r"/nl/service/ehealthbox/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("eHealthBox")
    snapshot(page, width, "3-component-nl")

    page.get_by_role("navigation", name="Taal").get_by_role(
        "link", name="Français"
    ).click()
    expect(page).to_have_url(re.compile(r"/fr/service/ehealthbox/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("eHealthBox")
    expect(page.get_by_role("heading", name="Informations clés")).to_be_visible()
    snapshot(page, width, "4-component-fr")

    page.get_by_role("navigation", name="Fil d'Ariane").get_by_role(
        "link", name="Catalogue"
    ).click()
    expect(page).to_have_url(re.compile(r"/fr/catalogue/$"))
    # On a phone the filters are folded under their summary, after the results.
    filters = page.locator(".facets-panel > summary")
    if width == 360:
        filters.click()
    else:
        expect(filters).to_be_hidden()
    page.get_by_role("group", name=re.compile("^Type")).get_by_label(
        re.compile("^API")
    ).check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"/fr/catalogue/\?.*kind=api"))
    badges = page.locator(".results .card .badge")
    expect(badges.first).to_have_text("API")
    assert set(badges.all_inner_texts()) == {"API"}
    snapshot(page, width, "5-results-api-fr")

    first_card = page.locator(".results .card").first
    provider = first_card.locator("dd a").first
    provider_name = provider.inner_text()
    provider.click()
    expect(page).to_have_url(re.compile(r"/fr/providers/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(provider_name)
    snapshot(page, width, "6-provider-fr")


def test_a_first_visit_to_the_catalogue_transfers_under_100_kb(browser, portal_url):
    # A fresh context: nothing cached, as on a civil servant's first visit.
    page = browser.new_context().new_page()
    transferred = {}
    page.on(
        "requestfinished",
        lambda request: transferred.__setitem__(
            request.url,
            request.sizes()["responseBodySize"]
            + request.sizes()["responseHeadersSize"],
        ),
    )

    page.goto(f"{portal_url}/nl/catalogue/")
    page.wait_for_load_state("networkidle")

    assert any(url.endswith(".css") for url in transferred), transferred
    assert sum(transferred.values()) < 100_000, transferred

"""A signed-in user saves a catalogue search and finds it among her saved
searches; both pages pass axe-core in the three languages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.helpers import create_user, log_in, serious_violations


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_search_save_it_and_see_it_listed(page: Page, portal, axe: Axe, lang):
    username = f"saver-{lang}"
    create_user(portal, username, email=f"{username}@example.org", language=lang)
    log_in(page, f"{portal.url}/{lang}/account/login/", username)

    page.goto(f"{portal.url}/{lang}/catalogue/")
    page.locator("#id_q").fill("ehealth")
    page.locator("#id_q").press("Enter")
    expect(page).to_have_url(re.compile(r"q=ehealth"))
    assert serious_violations(page, axe) == []
    page.locator(".follow button[type=submit]").click()

    expect(page).to_have_url(f"{portal.url}/{lang}/account/saved-searches/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    expect(page.locator("[role=status]")).to_contain_text("ehealth")
    saved = page.locator(".card-title a")
    expect(saved).to_have_text("“ehealth”")
    # The search as it was on the page (with the sort the form sent).
    assert saved.get_attribute("href").startswith(f"/{lang}/catalogue/?q=ehealth")
    assert serious_violations(page, axe) == []

    # Deleting it leaves the page empty, and still accessible.
    page.locator(".card form button").click()
    expect(page.locator(".card")).to_have_count(0)
    assert serious_violations(page, axe) == []

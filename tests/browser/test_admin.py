"""The moderators' back office, driven in Chromium as a moderator would."""

import re

import pytest
from playwright.sync_api import Page, expect

from catalogue.models import Component
from tests.browser.helpers import PASSWORD
from tests.factories import make_component, make_provider, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def log_in_as_moderator(page: Page, base_url: str) -> None:
    """Through the Dutch labels of the admin's own login form."""
    make_user(username="moderator", password=PASSWORD, is_staff=True, is_superuser=True)
    page.goto(f"{base_url}/nl/admin/login/")
    page.get_by_label("Gebruikersnaam").fill("moderator")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(re.compile(r"/nl/admin/$"))


def test_a_moderator_edits_a_component_then_restores_the_earlier_version(
    live_server, page: Page
):
    blocked = []
    page.on(
        "console",
        lambda m: blocked.append((m.text, m.location)) if m.type == "error" else None,
    )
    provider = make_provider(
        name_nl="Rijksdienst voor Sociale Zekerheid", acronym_nl="RSZ"
    )
    component = make_component(
        slug="csam",
        acronym="CSAM",
        name_nl="CSAM",
        summary_en="Log on",
        provider=provider,
    )
    log_in_as_moderator(page, live_server.url)

    page.goto(f"{live_server.url}/nl/admin/catalogue/component/?q=CSAM")
    page.get_by_role("link", name="CSAM", exact=True).click()
    page.locator("#id_summary_en").fill("Vandalised summary")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("CSAM")
    assert Component.objects.get(pk=component.pk).summary_en == "Vandalised summary"

    page.goto(f"{live_server.url}/nl/admin/catalogue/component/{component.pk}/history/")
    expect(page.get_by_role("cell", name="moderator")).to_be_visible()
    # The oldest version is the last row of the history table.
    page.locator("#change-history tbody tr").last.get_by_role("link").first.click()
    expect(page.locator("#id_summary_en")).to_have_value("Log on")
    page.locator("input[name=_save]").click()

    assert Component.objects.get(pk=component.pk).summary_en == "Log on"
    assert blocked == [], "\n".join(
        f"{text} {where['url']}:{where['lineNumber']}" for text, where in blocked
    )

"""Reuse declarations and the impact dashboard in Chromium, on the real
portal: a member declares a reuse through the form (after a refused first
try), and axe finds no serious or critical violation on the new pages in
the three languages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    assert_accessible,
    create_user,
    log_in,
    serious_violations,
)

COMPONENT = "e-box-elektronische-mailbox"
LANGUAGES = ["nl", "fr", "en"]


@pytest.fixture
def member_page(page: Page, portal) -> Page:
    """Signed in as a member of the Flemish social protection agency, which
    does not provide the e-Box."""
    create_user(portal, "impact-member", organisation="vsb", language="en")
    log_in(page, f"{portal.url}/en/account/login/", "impact-member")
    expect(page).not_to_have_url(re.compile(r"/login/"))
    return page


def test_a_member_declares_a_reuse_from_the_component_page(member_page: Page, portal):
    page = member_page
    page.goto(f"{portal.url}/en/service/{COMPONENT}/")
    page.get_by_role("link", name="We reuse this component: declare it").click()
    expect(page.locator("h1")).to_contain_text("We reuse")

    page.get_by_role("textbox", name="Project:").fill(
        "Letters of the Flemish care budget"
    )
    page.get_by_label("What the project does").fill(
        "Sends the decisions on the care budget to the citizens' e-Box."
    )
    page.get_by_label("In production").check()
    page.get_by_label("In use since (year)").fill("2022")
    page.get_by_label("Estimated saving in euros").fill("40000")
    page.get_by_label("Or estimated saving in person-days").fill("20")
    page.get_by_label("Our organisation may be named").check()
    page.get_by_role("button", name="Send the declaration").click()

    # Both units: refused, with the message, and nothing typed is lost.
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("not both")
    expect(page.get_by_role("textbox", name="Project:")).to_have_value(
        "Letters of the Flemish care budget"
    )
    page.get_by_label("Estimated saving in euros").fill("")
    page.get_by_role("button", name="Send the declaration").click()

    expect(page).to_have_url(re.compile(r"/en/impact/declarations/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Letters of the Flemish care budget")
    expect(main).to_contain_text("Submitted for review")
    # Not published yet: the public dashboard does not count it.
    page.goto(f"{portal.url}/en/impact/")
    expect(page.locator("main")).not_to_contain_text("Letters of the Flemish")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_dashboard_has_no_serious_accessibility_violation(
    page: Page, portal_url, axe: Axe, lang
):
    response = page.goto(f"{portal_url}/{lang}/impact/")
    assert response.status == 200
    assert page.locator("svg[role=img] title").count() >= 6
    assert_accessible(page, axe, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_declaration_pages_have_no_serious_accessibility_violation(
    member_page: Page, portal, axe: Axe, lang
):
    page = member_page
    response = page.goto(f"{portal.url}/{lang}/impact/declare/{COMPONENT}/")
    assert response.status == 200
    assert_accessible(page, axe, lang)
    # The same form showing its errors.
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert serious_violations(page, axe) == []

    page.goto(f"{portal.url}/{lang}/impact/declarations/")
    assert page.locator("h1").count() == 1
    assert serious_violations(page, axe) == []

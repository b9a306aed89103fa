"""Signing up, activating the account and joining an organisation, in Chromium
on the real portal; axe-core on each new page, with and without errors."""

import re

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.helpers import PASSWORD, assert_accessible, create_user, shell

SCREENSHOTS = settings.BASE_DIR / "test-artifacts" / "screenshots"


def check_page(page: Page, axe: Axe, step: str) -> None:
    """One h1, no serious or critical axe violation; a screenshot to look at."""
    assert_accessible(page, axe, "en")
    page.screenshot(path=SCREENSHOTS / f"account-{step}.png", full_page=True)


def activation_path(portal, username: str) -> str:
    """The link of the activation e-mail, which the server only printed."""
    return shell(
        portal,
        "from django.utils import translation; "
        "from accounts.models import User; "
        "from accounts.activation import activation_path; "
        "translation.activate('en'); "
        f"print(activation_path(User.objects.get(username={username!r})))",
    )


def choose_provider(page: Page, name: str) -> None:
    select = page.get_by_label("Organisation", exact=True)
    value = select.locator("option", has_text=name).first.get_attribute("value")
    select.select_option(value)


def test_sign_up_activate_and_ask_to_join_an_organisation(page: Page, portal, axe):
    page.goto(f"{portal.url}/en/account/login/")
    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile(r"/en/account/signup/$"))
    check_page(page, axe, "1-signup")

    page.get_by_label("Username").fill("browser-newcomer")
    page.get_by_label("E-mail address").fill("browser-newcomer@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill("not the same")
    page.get_by_role("button", name="Create the account").click()
    expect(page).to_have_title(re.compile(r"^Error: Create an account"))
    expect(page.get_by_role("alert")).to_contain_text("didn’t match")
    expect(page.get_by_label("Password confirmation")).to_have_attribute(
        "aria-invalid", "true"
    )
    check_page(page, axe, "2-signup-errors")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    expect(page).to_have_url(re.compile(r"/en/account/signup/done/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    check_page(page, axe, "3-signup-done")

    page.goto(portal.url + activation_path(portal, "browser-newcomer"))
    expect(page).to_have_url(re.compile(r"/en/account/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("status")).to_contain_text("Your account is active")
    check_page(page, axe, "4-account")

    page.get_by_role("link", name="Join your organisation").click()
    expect(page).to_have_url(re.compile(r"/en/account/organisation/$"))
    check_page(page, axe, "5-organisation")

    page.get_by_label("Name of the organisation").fill("smals")
    page.get_by_label("Website").fill("https://www.smals.be")
    page.get_by_role("button", name="Propose the organisation").click()
    expect(page).to_have_title(re.compile(r"^Error: Your organisation"))
    expect(page.get_by_role("alert")).to_contain_text("already listed")
    check_page(page, axe, "6-organisation-errors")

    choose_provider(page, "Smals")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_role("status")).to_contain_text("Your request was sent")
    expect(page.locator("main")).to_contain_text("You asked to join Smals")
    check_page(page, axe, "7-organisation-pending")


def test_a_manager_approves_a_request_in_the_browser(page: Page, portal, axe):
    create_user(
        portal,
        "browser-manager",
        organisation="smals",
        organisation_role="manager",
        language="en",
    )
    shell(
        portal,
        "from accounts.models import User; from catalogue.models import Provider; "
        "from accounts.services import request_membership; "
        "requester = User.objects.create(username='browser-colleague', "
        "email='colleague@example.org', language='en'); "
        "request_membership(user=requester, "
        "provider=Provider.objects.get(slug='smals'))",
    )
    page.goto(f"{portal.url}/en/account/login/")
    page.get_by_label("User name").fill("browser-manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/en/account/$"))

    page.get_by_role("link", name=re.compile("requests? to join waits?")).click()
    expect(page).to_have_url(re.compile(r"/en/account/organisation/requests/$"))
    request = page.get_by_role("region", name=re.compile("browser-colleague"))
    expect(request).to_be_visible()
    check_page(page, axe, "8-requests")

    request.get_by_role("button", name="Approve browser-colleague").click()
    expect(page.get_by_role("status")).to_contain_text(
        "browser-colleague is now in your organisation"
    )
    expect(request).to_have_count(0)
    organisation = shell(
        portal,
        "from accounts.models import User; "
        "print(User.objects.get(username='browser-colleague').organisation.slug)",
    )
    assert organisation == "smals"


def test_a_forgotten_password_pages(page: Page, portal_url, axe):
    page.goto(f"{portal_url}/en/account/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_url(re.compile(r"/en/account/password/reset/$"))
    check_page(page, axe, "9-password-reset")

    page.get_by_label("E-mail address").fill("nobody@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page).to_have_url(re.compile(r"/en/account/password/reset/done/$"))
    check_page(page, axe, "10-password-reset-done")

    page.goto(f"{portal_url}/en/account/password/reset/MQ/made-up-token/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This password reset link does not work"
    )
    check_page(page, axe, "11-password-reset-invalid")

"""Joining a network in Chromium, on the real portal: a signed-in user asks
on the network's page, the coordinator accepts on the requests page, the
user hears of it by e-mail and then sees the members' contacts. axe-core on
the new page types, in the three languages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import assert_accessible, create_user, log_in, shell

NETWORK = "ehealth-network"
LANGUAGES = ("nl", "fr", "en")


def check_page(page: Page, axe: Axe, address: str, lang: str) -> None:
    response = page.goto(address)
    assert response.status == 200
    assert_accessible(page, axe, lang)


@pytest.fixture(scope="module")
def people(portal) -> None:
    """The network's coordinator and a user who will ask to join."""
    create_user(
        portal,
        "net-coordinator",
        first_name="Cora",
        last_name="Dinator",
        email="cora@example.org",
        language="en",
    )
    shell(
        portal,
        "from accounts.models import User; from networks.models import Membership, "
        "Network; "
        f"Membership.objects.create(network=Network.objects.get(slug={NETWORK!r}), "
        "user=User.objects.get(username='net-coordinator'), "
        "person_name='Cora Dinator', role='coordinator')",
    )
    create_user(
        portal,
        "net-joiner",
        first_name="Jo",
        last_name="Iner",
        email="jo@example.org",
        language="en",
    )


@pytest.fixture
def coordinator_page(browser: Browser, portal, people) -> Page:
    context = browser.new_context()
    page = context.new_page()
    log_in(page, f"{portal.url}/en/account/login/", "net-coordinator")
    yield page
    context.close()


def test_a_user_joins_and_then_sees_the_contacts(
    page: Page, coordinator_page: Page, portal, people, axe: Axe
):
    network_page = f"{portal.url}/en/networks/{NETWORK}/"

    # The user asks, through the form on the network's page.
    log_in(page, f"{portal.url}/en/account/login/", "net-joiner")
    page.goto(network_page)
    expect(page.locator("#contacts-title")).to_have_count(0)
    page.get_by_label("Message to the coordinator (optional)").fill(
        "I work on eHealth integrations."
    )
    page.get_by_role("button", name="Ask to join eHealth network").click()
    expect(page.locator(".messages")).to_contain_text("Your request to join was sent")
    expect(page.locator("main")).to_contain_text("You asked to join on")

    # The coordinator finds the request from the network's page...
    coordinator_page.goto(network_page)
    coordinator_page.get_by_role("link", name="1 request to join is waiting").click()
    expect(coordinator_page.locator("h1")).to_contain_text("Requests to join")
    expect(coordinator_page.locator("main")).to_contain_text(
        "I work on eHealth integrations."
    )
    for lang in LANGUAGES:
        check_page(
            coordinator_page,
            axe,
            f"{portal.url}/{lang}/networks/{NETWORK}/requests/",
            lang,
        )
    # ... and accepts it.
    coordinator_page.goto(f"{portal.url}/en/networks/{NETWORK}/requests/")
    coordinator_page.get_by_role("button", name="Accept Jo Iner").click()
    expect(coordinator_page.locator(".messages")).to_contain_text(
        "Jo Iner is now a member of the network."
    )

    # The e-mail goes out once the worker runs.
    portal.manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    mails = [mail for mail in portal.mails() if mail.to == "jo@example.org"]
    assert [mail.subject for mail in mails] == ["[ReUse] Welcome to eHealth network"]

    # The new member sees the members' contacts.
    page.goto(network_page)
    contacts = page.locator("section.contacts")
    expect(contacts.get_by_role("link", name="cora@example.org")).to_be_visible()
    expect(contacts).to_contain_text("Cora Dinator")
    for lang in LANGUAGES:
        check_page(page, axe, f"{portal.url}/{lang}/networks/{NETWORK}/", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_event_page_has_no_serious_violation(page: Page, portal_url, axe, lang):
    check_page(
        page, axe, f"{portal_url}/{lang}/networks/events/ebsi4be-webinar-2021/", lang
    )

"""A new supplier's whole path in Chromium, on the real portal: sign up,
confirm the e-mail, join an organisation, propose a component in French,
answer a moderator's request for changes, see it published, then change it
through a revision that the public does not see until it is accepted."""

import json
import re
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import PASSWORD, create_user, log_in, serious_violations


def last_link_to(portal, address: str, path_pattern: str) -> str:
    """The link matching `path_pattern` in the newest e-mail to `address`."""
    mails = [mail for mail in portal.mails() if mail.to == address]
    assert mails, f"no e-mail to {address}"
    return re.search(rf"https?://\S*{path_pattern}\S*", mails[-1].body).group(0)


def moderator_decides(page: Page, portal, name: str, decision: str, reason=""):
    """From the admin's home, open the waiting entry and make the decision."""
    page.goto(f"{portal.url}/en/admin/")
    page.locator("#moderation-queue").get_by_role("link", name=name).click()
    page.get_by_role("link", name=decision, exact=True).click()
    if reason:
        page.get_by_label("Reason").fill(reason)
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("Done")


@pytest.fixture
def moderator_page(browser: Browser, portal) -> Page:
    create_user(
        portal, "journey-moderator", is_staff=True, is_superuser=True, language="en"
    )
    context = browser.new_context()
    page = context.new_page()
    log_in(page, f"{portal.url}/en/admin/login/", "journey-moderator")
    yield page
    context.close()


def test_a_supplier_from_sign_up_to_a_published_revision(
    page: Page, moderator_page: Page, portal
):
    # Sign up in French and confirm the address from the e-mail.
    page.goto(f"{portal.url}/fr/account/login/")
    page.get_by_role("link", name="Créer un compte").click()
    page.locator("#id_username").fill("journey-supplier")
    page.locator("#id_email").fill("journey@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(last_link_to(portal, "journey@example.org", "/fr/account/activate/"))
    expect(page).to_have_url(re.compile(r"/fr/account/$"))

    # Ask to join Smals; a moderator approves in the admin.
    page.locator("main").get_by_role(
        "link", name=re.compile("organisation")
    ).first.click()
    select = page.locator("select").first
    select.select_option(
        select.locator("option", has_text="Smals").first.get_attribute("value")
    )
    page.locator("main form button[type=submit]").first.click()
    moderator_page.goto(f"{portal.url}/en/admin/accounts/membershiprequest/")
    moderator_page.get_by_role("row", name=re.compile("journey-supplier")).locator(
        "input[type=checkbox]"
    ).check()
    moderator_page.locator("select[name=action]").select_option("approve_selected")
    moderator_page.locator("button[name=index]").click()
    expect(moderator_page.locator(".messagelist")).to_contain_text("approved")

    # Propose a component in French, with a documentation link; submit it.
    page.goto(f"{portal.url}/fr/")
    page.get_by_role("link", name="Mes soumissions").click()
    page.get_by_role("link", name="Proposer un composant").click()
    page.locator("#id_name_fr").fill("Horodatage qualifié")
    page.locator("#id_summary_fr").fill("Un cachet de temps.")
    page.locator("#id_description_fr").fill("Horodate des **documents**.")
    page.locator("#id_kind").select_option("service")
    page.locator("#id_building_block").select_option(index=1)
    page.locator("#id_domain").select_option(index=1)
    page.locator("#id_links-0-kind").select_option("documentation")
    page.locator("#id_links-0-url").fill("https://example.org/horodatage")
    page.get_by_role("button", name="Soumettre pour validation").click()
    submissions = page.locator("main")
    expect(submissions).to_contain_text("Horodatage qualifié")
    expect(submissions).to_contain_text("Soumis pour validation")

    # The moderator asks for changes; the supplier reads why, fixes, resubmits.
    moderator_decides(
        moderator_page,
        portal,
        "Horodatage qualifié",
        "Request changes",
        reason="Précisez le résumé.",
    )
    portal.manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    decision = portal.mails()[-1]
    assert decision.to == "journey@example.org"
    assert "Demander des modifications" in decision.subject
    assert "Précisez le résumé." in decision.body
    page.reload()
    expect(submissions).to_contain_text("Précisez le résumé.")
    page.get_by_role("link", name=re.compile("Continuer")).first.click()
    page.locator("#id_summary_fr").fill("Un cachet de temps qualifié eIDAS.")
    page.get_by_role("button", name="Soumettre pour validation").click()

    # Accepted: in the search and in the API.
    moderator_decides(
        moderator_page, portal, "Horodatage qualifié", "Accept and publish"
    )
    page.goto(f"{portal.url}/fr/catalogue/")
    page.locator("#id_q").fill("horodatage")
    page.locator("#id_q").press("Enter")
    page.locator(".results").get_by_role("link", name="Horodatage qualifié").click()
    public_url = page.url
    expect(page.locator("main")).to_contain_text("Un cachet de temps qualifié eIDAS.")
    with urllib.request.urlopen(
        f"{portal.url}/api/v1/components/?q=horodatage", timeout=10
    ) as answer:
        found = json.load(answer)
    assert "Horodatage qualifié" in [item["name"] for item in found["results"]]

    # A change to the published component waits for the moderator.
    page.get_by_role("link", name="Proposer une modification").click()
    page.locator("#id_summary_fr").fill("Le service d'horodatage de confiance.")
    page.get_by_role("button", name="Proposer ces modifications").click()
    page.goto(public_url)
    expect(page.locator("main")).to_contain_text("Un cachet de temps qualifié eIDAS.")
    moderator_page.goto(f"{portal.url}/en/admin/")
    moderator_page.locator("#moderation-queue").get_by_role(
        "link", name="Horodatage qualifié"
    ).click()
    moderator_page.get_by_role("link", name="Accept the revision").click()
    moderator_page.locator("input[type=submit]").click()
    page.reload()
    expect(page.locator("main")).to_contain_text(
        "Le service d'horodatage de confiance."
    )


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_the_suppliers_pages_have_no_serious_accessibility_violation(
    browser: Browser, portal, axe: Axe, lang
):
    username = f"axe-supplier-{lang}"
    create_user(portal, username, organisation="smals", language=lang)
    context = browser.new_context()
    page = context.new_page()
    log_in(page, f"{portal.url}/{lang}/account/login/", username)
    checked = {}
    for name, path in [
        ("submissions", "submissions/"),
        ("propose", "submissions/new/"),
    ]:
        page.goto(f"{portal.url}/{lang}/{path}")
        checked[name] = serious_violations(page, axe)
    # The form with its errors, and its preview.
    page.locator("form.component-form button[value=submit]").click()
    checked["propose-errors"] = serious_violations(page, axe)
    page.locator("[id^=id_name_]").first.fill("Test")
    page.locator("[id^=id_summary_]").first.fill("Test")
    page.locator("form.component-form button[value=preview]").click()
    checked["propose-preview"] = serious_violations(page, axe)
    context.close()

    assert checked == {name: [] for name in checked}

"""A supplier starts a component from a publiccode.yml file in Chromium:
pasted or uploaded, it ends as a draft; the form stays accessible."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import create_user, log_in, serious_violations, shell
from tests.interchange.test_publiccode_import import VALID


def supplier_page(browser: Browser, portal, username: str, lang: str) -> Page:
    create_user(portal, username, organisation="smals", language=lang)
    page = browser.new_context().new_page()
    log_in(page, f"{portal.url}/{lang}/account/login/", username)
    return page


def state_of(portal, slug: str) -> str:
    return shell(
        portal,
        "from catalogue.models import Component; "
        f"c = Component.objects.get(slug={slug!r}); "
        "print(c.publication_state, c.licence, c.organisation_roles.count())",
    )


def test_a_pasted_file_ends_as_a_draft(browser: Browser, portal):
    page = supplier_page(browser, portal, "publiccode-paster", "en")
    page.goto(f"{portal.url}/en/submissions/new/")

    page.get_by_label("Or paste its text").fill(
        VALID.replace("name: Sign Box\n", "name: Pasted Sign Box\n")
    )
    page.get_by_role("button", name="Import the file").click()

    expect(page).to_have_url(f"{portal.url}/en/submissions/pasted-sign-box/edit/")
    expect(page.locator(".messages")).to_contain_text("Imported as a draft")
    assert state_of(portal, "pasted-sign-box") == "draft EUPL-1.2 4"
    page.context.close()


def test_an_uploaded_file_ends_as_a_draft(browser: Browser, portal, tmp_path):
    path = tmp_path / "publiccode.yml"
    path.write_text(
        VALID.replace("name: Sign Box\n", "name: Uploaded Sign Box\n").replace(
            "sign-box.git", "uploaded-sign-box.git"
        )
    )
    page = supplier_page(browser, portal, "publiccode-uploader", "fr")
    page.goto(f"{portal.url}/fr/submissions/new/")

    page.locator("#id_publiccode_file").set_input_files(path)
    page.locator("button[value=import]").click()

    expect(page).to_have_url(f"{portal.url}/fr/submissions/uploaded-sign-box/edit/")
    assert state_of(portal, "uploaded-sign-box") == "draft EUPL-1.2 4"
    page.context.close()


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_the_form_and_its_import_errors_are_accessible(
    browser: Browser, portal, axe: Axe, lang
):
    page = supplier_page(browser, portal, f"publiccode-axe-{lang}", lang)
    page.goto(f"{portal.url}/{lang}/submissions/new/")
    checked = {"form": serious_violations(page, axe)}

    page.locator("#id_publiccode_text").fill("name: [unclosed")
    page.locator("button[value=import]").click()

    expect(page.locator("#form-errors")).to_contain_text("publiccode.yml")
    checked["import-errors"] = serious_violations(page, axe)
    page.context.close()
    assert checked == {name: [] for name in checked}

"""The API documentation page in Chromium: Swagger UI inside the portal's layout,
with no serious or critical WCAG 2.1 A/AA violation, usable by keyboard, and
readable without JavaScript."""

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page

from tests.browser.helpers import serious_violations

DOCS = "/api/v1/docs/"


@pytest.fixture
def docs(page: Page, portal_url: str) -> Iterator[Page]:
    """The page once Swagger UI has rendered the operations; fails the test on
    any Content Security Policy violation."""
    refused: list[str] = []

    def note_refusal(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", note_refusal)
    response = page.goto(portal_url + DOCS)
    assert response.status == 200
    page.locator(".opblock").first.wait_for()
    yield page
    assert refused == []


def test_the_docs_are_a_portal_page_in_english(docs: Page):
    assert docs.locator("html").get_attribute("lang") == "en"
    assert docs.locator("h1").count() == 1
    assert docs.locator("a.skip-link[href='#main']").count() == 1
    assert docs.locator("header a[href='/en/']").count() >= 1
    # Swagger UI lists the operations now; the server's list steps aside.
    assert docs.locator(".opblock").count() >= 17
    assert docs.locator("#api-endpoints").is_hidden()


def test_no_serious_violation_on_load(docs: Page, axe: Axe):
    assert serious_violations(docs, axe) == []


def test_no_serious_violation_with_an_operation_open(docs: Page, axe: Axe):
    operation = docs.locator(".opblock-post").first
    operation.locator(".opblock-summary-control").click()
    operation.locator(".responses-wrapper").wait_for()
    operation.locator("select, input").first.wait_for()

    assert serious_violations(docs, axe) == []


def test_no_serious_violation_while_trying_operations_out(docs: Page, axe: Axe):
    listing = docs.locator(".opblock-get").filter(has_text="/api/v1/components/").first
    listing.locator(".opblock-summary-control").click()
    listing.locator(".try-out__btn").click()
    listing.locator(".btn.execute").click()
    listing.locator(".live-responses-table .download-contents").wait_for()
    creation = docs.locator(".opblock-post").first
    creation.locator(".opblock-summary-control").click()
    creation.locator(".try-out__btn").click()
    creation.locator("textarea").wait_for()
    docs.locator(".scheme-container .btn.authorize").click()
    docs.locator(".dialog-ux .close-modal").wait_for()

    assert serious_violations(docs, axe) == []


def test_keyboard_focus_never_lands_on_an_invisible_control(docs: Page):
    for press in range(60):
        docs.keyboard.press("Tab")
        focused = docs.evaluate(
            """() => {
                const element = document.activeElement;
                const box = element.getBoundingClientRect();
                return {
                    element: element.outerHTML.slice(0, 200),
                    width: box.width,
                    height: box.height,
                };
            }"""
        )
        assert focused["width"] > 0, (press, focused)
        assert focused["height"] > 0, (press, focused)


def test_without_javascript_the_endpoints_and_schema_are_there(
    browser: Browser, portal_url: str
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(portal_url + DOCS)

        assert page.locator("a[href='/api/v1/schema/']").is_visible()
        endpoints = page.locator("#api-endpoints")
        assert endpoints.is_visible()
        assert endpoints.get_by_text("/api/v1/components/", exact=True).count() == 2
        assert endpoints.locator("tbody tr").count() >= 17
    finally:
        context.close()

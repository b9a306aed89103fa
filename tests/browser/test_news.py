"""News and the newsletter in Chromium on the real portal: subscribing
through the form, confirming by the e-mailed link, leaving by the link of
the mail; axe-core on every new page type in every language."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, shell

LANGUAGES = ["nl", "fr", "en"]
STORY = "mydia-eleven-apis-for-social-inspectors"
LINK = re.compile(r"https?://[^/\s]+(/\S+/)")


def test_subscribe_confirm_and_leave_through_the_mails(page: Page, portal):
    address = "browser-reader@example.org"
    page.goto(f"{portal.url}/en/newsletter/")
    page.get_by_label("E-mail address").fill(address)
    page.get_by_label("French").check()
    page.get_by_role("button", name="Subscribe").click()

    expect(page.locator("h1")).to_have_text("Check your e-mail")
    assert address not in page.content()
    portal.manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    mail = next(m for m in reversed(portal.mails()) if m.to == address)
    confirm, leave = LINK.findall(mail.body)
    assert confirm.startswith("/en/newsletter/confirm/")

    page.goto(portal.url + confirm)
    expect(page.locator("h1")).to_have_text("Confirm your subscription")
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.locator("h1")).to_have_text("Your subscription is confirmed")
    expect(page.locator("main")).to_contain_text("English, French")
    assert address not in page.content()

    page.goto(portal.url + leave)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("h1")).to_have_text("You are unsubscribed")

    # The same link, altered, is refused with a page that says why.
    page.goto(portal.url + confirm.replace("/confirm/", "/confirm/x"))
    expect(page.locator("h1")).to_have_text("This link does not work")


@pytest.fixture(scope="module")
def links(portal) -> dict[str, tuple[str, str]]:
    """A pending subscription per language, and its two links' tokens."""
    script = (
        "from newsletter.models import Subscription; "
        "from newsletter.services import confirmation_token, unsubscribe_token\n"
        "for lang in ('nl', 'fr', 'en'):\n"
        "    s = Subscription.objects.create("
        "email=f'axe-{lang}@example.org', languages=[lang], language=lang)\n"
        "    print(lang, confirmation_token(s, languages=[lang], language=lang), "
        "unsubscribe_token(s))"
    )
    output = shell(portal, script)
    return {
        lang: (confirm, leave)
        for lang, confirm, leave in (line.split() for line in output.splitlines())
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_news_pages_are_accessible(page: Page, portal_url, axe: Axe, lang):
    for path in (
        f"/{lang}/news/",
        f"/{lang}/news/?kind=story",
        f"/{lang}/news/{STORY}/",
        f"/{lang}/newsletter/",
        f"/{lang}/newsletter/sent/",
        f"/{lang}/newsletter/confirm/altered/",
    ):
        response = page.goto(portal_url + path)
        assert response.status in (200, 400), path
        assert_accessible(page, axe, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_confirmation_and_unsubscribe_pages_are_accessible(
    page: Page, portal_url, axe: Axe, links, lang
):
    confirm, leave = links[lang]
    page.goto(f"{portal_url}/{lang}/newsletter/confirm/{confirm}/")
    assert_accessible(page, axe, lang)
    page.locator("main button[type=submit]").click()
    expect(page.locator("main form")).to_have_count(0)
    assert_accessible(page, axe, lang)

    page.goto(f"{portal_url}/{lang}/newsletter/unsubscribe/{leave}/")
    assert_accessible(page, axe, lang)
    page.locator("main button[type=submit]").click()
    expect(page.locator("main form")).to_have_count(0)
    assert_accessible(page, axe, lang)

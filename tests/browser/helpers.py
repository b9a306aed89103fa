"""What the browser tests share: one axe-core configuration, one way to sign
in, one way to follow a link to the next page and one way to reach the
portal's database, so that every test checks the same things the same way
and no test module imports another."""

from typing import TYPE_CHECKING

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

if TYPE_CHECKING:
    from tests.conftest import Portal

# The WCAG 2.1 A and AA rules the portal promises to meet; nothing else.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# Long enough for the portal's password validators.
PASSWORD = "a-long-browser-password"


def serious_violations(page: Page, axe: Axe) -> list[str]:
    """The serious and critical axe-core violations on the page as it is now,
    each with the first nodes it concerns, so that a failure says where."""
    results = axe.run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Page, axe: Axe, lang: str) -> None:
    """The page as it is now speaks `lang`, has one h1 and no serious or
    critical violation; a failure names the page's address."""
    assert page.locator("html").get_attribute("lang") == lang, page.url
    assert page.locator("h1").count() == 1, page.url
    assert serious_violations(page, axe) == [], page.url


def log_in(page: Page, login_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form at `login_url` (the site's or the admin's),
    and wait for the answer so that the next step runs signed in."""
    page.goto(login_url)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    follow(page.locator("#id_password"), key="Enter")


def follow(target: Locator, *, key: str | None = None) -> None:
    """Click `target`, or press `key` in it, and return once the page it
    leads to has loaded. A plain click() returns as soon as the next page
    starts to arrive: a read of it at once (links, counts, an axe run) can
    find it half parsed, as CI once found a catalogue page "without
    components"."""
    with target.page.expect_navigation():
        if key is None:
            target.click()
        else:
            target.press(key)


def shell(portal: "Portal", script: str) -> str:
    """Run `script` in the portal's Django shell and return what it printed:
    the portal runs in its own process, on a database of its own."""
    return portal.manage("shell", "--no-imports", "-c", script).strip()


def create_user(
    portal: "Portal",
    username: str,
    password: str = PASSWORD,
    *,
    organisation: str | None = None,
    **fields: str | bool,
) -> None:
    """Give the portal a user who can sign in with `password`, member of the
    provider whose slug is `organisation`, if any.

    Created or brought back to these values, so that a fixture that runs for
    every test may call it again on the session's portal.
    """
    provider = f"Provider.objects.get(slug={organisation!r})" if organisation else None
    shell(
        portal,
        "from accounts.models import User; from catalogue.models import Provider; "
        f"user, _ = User.objects.update_or_create(username={username!r}, "
        f"defaults={{**{fields!r}, 'organisation': {provider}}}); "
        f"user.set_password({password!r}); user.save()",
    )

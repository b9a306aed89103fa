"""Downloading the catalogue's results as CSV in Chromium, as a visitor does:
filter, click the link, open the file. It holds exactly the filtered
components, every page of them, with and without JavaScript. While too many
downloads run, the link leads to a page that says so."""

import csv
import io
import json

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.helpers import follow, shell
from tests.download_slots import slot_taker


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def visitor(request, browser: Browser) -> Page:
    context = browser.new_context(
        java_script_enabled=request.param, accept_downloads=True
    )
    yield context.new_page()
    context.close()


def published_of_kind(portal, kind: str) -> dict[str, str]:
    """Slug -> French name of the published components of `kind`."""
    script = (
        "import json; from catalogue.models import Component; "
        "print(json.dumps(dict(Component.objects.published()"
        f".filter(kind={kind!r}).values_list('slug', 'name_fr'))))"
    )
    return json.loads(shell(portal, script))


def test_the_download_holds_exactly_the_filtered_components(visitor: Page, portal):
    visitor.goto(f"{portal.url}/en/catalogue/")
    # The kind with the most components, so that its results span pages.
    kind = visitor.locator("#facet-kind")
    counts = kind.locator(".count").all_inner_texts()
    biggest = max(range(len(counts)), key=lambda index: int(counts[index]))
    checkbox = kind.locator("input[type=checkbox]").nth(biggest)
    value = checkbox.get_attribute("value")
    checkbox.check()
    visitor.get_by_role("button", name="Apply filters").click()
    total = int(visitor.locator("#results-title").inner_text().split()[0])

    with visitor.expect_download() as download_info:
        visitor.locator(".results a[href*='catalogue.csv']").click()
    download = download_info.value
    content = download.path().read_bytes()

    assert download.suggested_filename.endswith(".csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    slugs = [row["slug"] for row in rows]
    assert total > 20  # more than one page of results
    assert len(slugs) == len(set(slugs)) == total
    assert {row["kind"] for row in rows} == {value}
    # Every name, accents and all, as the database holds it.
    assert {row["slug"]: row["name_fr"] for row in rows} == published_of_kind(
        portal, value
    )


def test_while_too_many_downloads_run_the_link_says_so(visitor: Page, portal):
    # The portal's EXPORT_CONCURRENCY is the default, 2: both taken, as by
    # two downloads running in other workers.
    with slot_taker(portal.env["DATABASE_URL"]) as take:
        assert take(2) == [True, True]
        visitor.goto(f"{portal.url}/fr/catalogue/")
        follow(visitor.locator(".results a[href*='catalogue.csv']"))

        assert visitor.locator("h1").inner_text() == "Temporairement indisponible"
        assert visitor.locator("p.lead").inner_text() == (
            "De nombreuses personnes téléchargent le catalogue en ce moment. "
            "Veuillez réessayer dans un instant."
        )
        follow(visitor.get_by_role("link", name="Retour à la page d'accueil"))
        assert visitor.url == f"{portal.url}/fr/"

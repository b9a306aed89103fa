"""axe-core in Chromium on every page type, in every language: no serious or
critical WCAG 2.1 A/AA violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.helpers import assert_accessible

PAGE_TYPES = {
    "home": "/{lang}/",
    "catalogue": "/{lang}/catalogue/",
    "catalogue-search": "/{lang}/catalogue/?q=ehealth&kind=service",
    "catalogue-no-results": "/{lang}/catalogue/?q=zzqxw",
    "catalogue-bad-filter": "/{lang}/catalogue/?kind=bogus",
    "catalogue-page-2": "/{lang}/catalogue/?sort=newest&page=2",
    "catalogue-page-missing": "/{lang}/catalogue/?page=999",
    "component": "/{lang}/service/e-box-elektronische-mailbox/",
    "component-guideline": "/{lang}/service/rest-style-guide/",
    "reuse-cases": "/{lang}/reuse-cases/",
    "reuse-case-with-quote": (
        "/{lang}/reuse-cases/deferred-payment-of-social-security-contributions-covid-19/"
    ),
    "about": "/{lang}/about/",
    "how-to-reuse": "/{lang}/about/how-to-reuse/",
    "providers": "/{lang}/providers/",
    "provider": "/{lang}/providers/smals/",
    "networks": "/{lang}/networks/",
    "network": "/{lang}/networks/reuse-community/",
    "collaboration-models": "/{lang}/collaboration-models/",
    "building-blocks": "/{lang}/building-blocks/",
    "not-found": "/{lang}/service/no-such-component/",
    "login": "/{lang}/account/login/",
}
NOT_FOUND = {"not-found", "catalogue-page-missing"}


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_serious_accessibility_violation(
    page: Page, portal_url, axe: Axe, page_type, lang
):
    response = page.goto(portal_url + PAGE_TYPES[page_type].format(lang=lang))
    assert response.status == (404 if page_type in NOT_FOUND else 200)
    assert_accessible(page, axe, lang)

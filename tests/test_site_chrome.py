"""The brand, the main navigation and the footer, rendered once per process
for each language and kind of reader: every reader still gets their own."""

import pytest
from django.test import Client, override_settings

from reuse_portal.templatetags.site_chrome import forget_rendered_chrome
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SIGNED_IN_LINK = 'href="/nl/submissions/"'


@pytest.fixture(autouse=True)
def chrome_not_yet_rendered():
    forget_rendered_chrome()
    yield
    forget_rendered_chrome()


def footer_of(page: bytes) -> str:
    text = page.decode()
    return text[text.index('<footer class="site-footer">') :]


@pytest.mark.parametrize("signed_in_first", [True, False])
def test_visitors_and_signed_in_readers_never_get_each_others_footer(
    signed_in_first,
):
    reader = Client()
    reader.force_login(make_user())
    readers = {"signed in": reader, "visitor": Client()}
    order = ["signed in", "visitor"] if signed_in_first else ["visitor", "signed in"]

    footers = {
        name: footer_of(readers[name].get("/nl/catalogue/").content) for name in order
    }

    assert SIGNED_IN_LINK in footers["signed in"]
    assert SIGNED_IN_LINK not in footers["visitor"]


def test_each_language_gets_its_own_navigation_and_footer(client):
    client.get("/nl/catalogue/")

    page = client.get("/fr/catalogue/").content.decode()

    navigation = page[page.index('<nav class="main-nav"') : page.index("</header>")]
    footer = footer_of(page.encode())
    assert '<a href="/fr/catalogue/">Catalogue</a>' in navigation
    assert '<a href="/fr/networks/">Réseaux</a>' in navigation
    assert "Parcourir le catalogue" in footer
    assert "/nl/" not in navigation + footer


def test_a_changed_setting_shows_in_the_footer(client):
    client.get("/nl/catalogue/")

    with override_settings(CONTACT_EMAIL="reuse-desk@example.org"):
        footer = footer_of(client.get("/nl/catalogue/").content)

    assert 'href="mailto:reuse-desk@example.org"' in footer


def test_the_language_links_of_any_address_are_escaped(client):
    # A path nobody links to is still the page's own address in the switcher
    # and the hreflang links, whatever characters it holds.
    response = client.get('/nl/"><script>alert(1)</script>/')

    page = response.content.decode()
    assert response.status_code == 404
    assert "<script>alert(1)" not in page
    assert (
        'href="/fr/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;/" hreflang="fr"'
        in page
    )
    # The absolute address is an URI: what needs it is percent-encoded.
    assert (
        '<link rel="alternate" hreflang="en" '
        'href="http://testserver/en/%22%3E%3Cscript%3Ealert(1)%3C/script%3E/">' in page
    )

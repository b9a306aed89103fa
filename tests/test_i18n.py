"""Three languages: URLs, interface, content, switcher."""

import subprocess

import pytest
from django.conf import settings

pytestmark = pytest.mark.usefixtures("seeded_catalogue")


@pytest.fixture(autouse=True)
def _db(db):
    return db


@pytest.mark.parametrize(
    ("accept", "language"),
    [("fr-BE,fr;q=0.9", "fr"), ("nl-BE", "nl"), ("en-GB", "en"), ("de", "nl")],
)
def test_the_root_redirects_by_accept_language(client, accept, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 302
    assert response["Location"] == f"/{language}/"


@pytest.mark.parametrize(
    ("language", "name", "interface"),
    [
        (
            "nl",
            "CSAM – Aanmelden bij online overheidsdiensten",
            "Blader door de catalogus",
        ),
        (
            "fr",
            "CSAM – Connexion aux services publics en ligne",
            "Parcourir le catalogue",
        ),
        ("en", "CSAM – Log on to online public services", "Browse the catalogue"),
    ],
)
def test_a_component_page_speaks_the_language_of_its_url(
    client, language, name, interface
):
    page = client.get(f"/{language}/service/csam/").content.decode()

    assert f'<html lang="{language}">' in page
    assert name in page
    assert interface in page


def test_the_switcher_and_hreflang_keep_the_same_page(client):
    page = client.get("/nl/catalogue/?kind=api").content.decode()

    for language in ("nl", "fr", "en"):
        assert f'href="/{language}/catalogue/?kind=api" hreflang="{language}"' in page
        assert (
            f'<link rel="alternate" hreflang="{language}" href="http://testserver/{language}/catalogue/"'
            in page
        )


def test_old_ict_reuse_links_still_open_their_component(client):
    response = client.get("/nl/service/dsp-document-service-provider/")

    assert response.status_code == 200
    assert "DSP" in response.content.decode()


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_interface_string_is_translated(language):
    catalogue = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert untranslated.count("msgid ") <= 1, untranslated  # only the header
    assert "msgid " not in fuzzy, fuzzy

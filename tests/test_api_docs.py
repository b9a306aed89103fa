"""The API documentation page, as the server renders it."""

import pytest
from bs4 import BeautifulSoup

from reuse_portal.docs import documentation

DOCS = "/api/v1/docs/"


def directive(policy: str, name: str) -> list[str] | None:
    """The sources of one directive of a Content-Security-Policy header."""
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return None


@pytest.mark.django_db
def test_the_page_lists_the_endpoints_and_links_the_schema(client):
    response = client.get(DOCS, HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in page
    assert page.count("<h1") == 1
    assert '<a href="/api/v1/schema/">' in page
    assert "<td><code>GET</code></td><td><code>/api/v1/components/</code></td>" in page
    assert "<td><code>POST</code></td><td><code>/api/v1/components/</code></td>" in page
    # The data attribute the script reads the schema's address from.
    assert 'data-schema-url="/api/v1/schema/"' in page
    # One English page: no switcher to languages it does not have.
    assert 'hreflang="nl"' not in page


def test_the_list_comes_from_the_schema():
    listed = {
        (endpoint.method, endpoint.path) for endpoint in documentation().endpoints
    }

    assert len(listed) >= 17
    assert ("PATCH", "/api/v1/components/{slug}/") in listed
    assert ("GET", "/api/v1/stats/") in listed
    # The page itself is not an operation of the API.
    assert not any(path.endswith("/docs/") for _method, path in listed)


@pytest.mark.django_db
def test_the_page_allows_no_inline_script(client):
    policy = client.get(DOCS)["Content-Security-Policy"]
    scripts = directive(policy, "script-src") or directive(policy, "default-src")

    assert scripts is not None
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts


@pytest.mark.django_db
def test_the_page_says_who_may_call_each_endpoint(client):
    page = BeautifulSoup(client.get(DOCS).content, "html.parser")
    access = {}
    for row in page.select("#api-endpoints tbody tr"):
        method, path, _summary, who = (cell.get_text() for cell in row("td"))
        access[method, path] = who

    assert access["GET", "/api/v1/components/"] == "Anyone"
    assert access["GET", "/api/v1/components/{slug}/"] == "Anyone"
    assert access["GET", "/api/v1/stats/"] == "Anyone"
    assert access["POST", "/api/v1/components/"] == "Token"
    assert access["GET", "/api/v1/submissions/"] == "Token"
    # Only the writes and a supplier's own submissions need one.
    assert sorted(key for key, who in access.items() if who == "Token") == [
        ("GET", "/api/v1/submissions/"),
        ("PATCH", "/api/v1/components/{slug}/"),
        ("POST", "/api/v1/components/"),
    ]


@pytest.mark.django_db
def test_the_page_explains_languages_translations_sorting_and_caching(client):
    page = BeautifulSoup(client.get(DOCS).content, "html.parser")
    shared = page.find(id="api-conventions-title").find_parent("section").get_text()

    for words in (
        "Accept-Language",
        "else in English",
        "?include=translations",
        "?sort=",
        "?ordering=",
        "exactly once",
        "ETag",
        "If-None-Match",
        "304 Not Modified",
        "application/problem+json",
        "Authorization: Token",
    ):
        assert words in shared, words

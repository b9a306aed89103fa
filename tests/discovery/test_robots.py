"""robots.txt: crawl the public pages, not the back office, the accounts or
the endless combinations of searches; the sitemap by its absolute address."""

import pytest

pytestmark = pytest.mark.django_db


def test_robots_txt(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines
    for language in ("nl", "fr", "en"):
        for private in ("admin/", "account/", "submissions/", "catalogue/?"):
            assert f"Disallow: /{language}/{private}" in lines
    assert "Disallow: /api/v1/submissions/" in lines
    assert "Disallow: /*?q=" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    # The public pages stay open.
    assert "Disallow: /" not in lines
    assert not any(line.startswith("Disallow: /nl/service") for line in lines)

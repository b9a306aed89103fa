"""The news sitemaps list public pages only, in every language."""

import pytest
from django.contrib.sites.requests import RequestSite
from django.test import RequestFactory

from news.sitemaps import ArticleSitemap, NewsPagesSitemap
from publishing.models import PublicationState
from tests.news.factories import make_article

pytestmark = pytest.mark.django_db


def locations(sitemap) -> list[str]:
    site = RequestSite(RequestFactory().get("/"))
    return [url["location"] for url in sitemap.get_urls(site=site, protocol="https")]


def test_only_published_articles_in_three_languages():
    shown = make_article(slug="shown")
    make_article(slug="draft", publication_state=PublicationState.DRAFT)

    urls = ArticleSitemap().get_urls(
        site=RequestSite(RequestFactory().get("/")), protocol="https"
    )

    assert sorted(url["location"] for url in urls) == [
        f"https://testserver/{lang}/news/{shown.slug}/" for lang in ("en", "fr", "nl")
    ]
    assert {a["lang_code"] for a in urls[0]["alternates"]} >= {"nl", "fr", "en"}


def test_the_list_and_the_newsletter_page_are_listed():
    assert set(locations(NewsPagesSitemap())) == {
        f"https://testserver/{lang}/{page}/"
        for lang in ("nl", "fr", "en")
        for page in ("news", "newsletter")
    }

"""The news pages in the sitemap, in every language with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from news.models import Article


class ArticleSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self) -> QuerySet[Article]:
        return Article.objects.published().order_by("pk")

    def lastmod(self, item: Article):
        return item.updated_at


class NewsPagesSitemap(Sitemap):
    """The news list and the newsletter's subscription page."""

    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[str]:
        return ["news:article-list", "newsletter:subscribe"]

    def location(self, item: str) -> str:
        return reverse(item)

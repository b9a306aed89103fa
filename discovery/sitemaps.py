"""sitemap.xml: every public page in the three languages, each with its
hreflang alternates. `SITEMAPS` maps a section name to its Sitemap class;
other apps add their sections to it (see the section list at the end).

At 100,000 components the catalogue alone is 300,000 addresses, beyond the
50,000 one sitemap file may hold: /sitemap.xml is an index of sections,
each paginated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import translation

from catalogue.models import Component, Provider, ReuseCase
from networks.models import Event, Network
from news.sitemaps import ArticleSitemap, NewsPagesSitemap


class LanguagePairs(Sequence):
    """The (row, language) pairs a multilingual sitemap lists, read from the
    database one page at a time: Django's Sitemap would build the whole list
    (every row of the table) for each page and for the index."""

    ordered = True  # the queryset is; tells the Paginator so

    def __init__(self, queryset: QuerySet, languages: list[str]) -> None:
        self.queryset = queryset
        self.languages = languages

    @cached_property
    def _count(self) -> int:
        return self.queryset.count() * len(self.languages)

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("LanguagePairs only gives contiguous slices")
        start, stop = index.start or 0, index.stop
        size = len(self.languages)
        first = start // size
        rows = self.queryset[first : None if stop is None else -(-stop // size)]
        pairs = [(row, language) for row in rows for language in self.languages]
        offset = first * size
        return pairs[start - offset : None if stop is None else stop - offset]


class MultilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class RecordSitemap(MultilingualSitemap):
    """Published records with their own page, dated by their last change."""

    # Addresses per page: 1,000 records in three languages. A page is built
    # whole in a worker's memory (and kept by the page cache): one of 6,000
    # addresses, 3.3 MB, took 15 MiB at its peak, and four threads building
    # pages at once left a worker at 199 MiB after the load. The index lists
    # the pages.
    limit = 3_000

    def records(self) -> QuerySet:
        raise NotImplementedError

    def items(self) -> QuerySet:
        # Only what the address and the date need.
        return self.records().only("slug", "updated_at").order_by("pk")

    @property
    def paginator(self) -> Paginator:
        return Paginator(LanguagePairs(self.items(), self._languages()), self.limit)

    def lastmod(self, record) -> datetime:
        return record.updated_at

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """The page's <url> entries, as Django's Sitemap gives them, with
        each record's address reversed once per language. Django's switches
        the language for every address of every entry (its own and its four
        alternates): 30,000 switches on a page of 6,000, half of its 520 ms.
        These sections give no priority and no change frequency."""
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        pairs = self.paginator.page(page).object_list
        records = {record.pk: record for record, _ in pairs}.values()
        addresses = {}
        for language in self._languages():
            with translation.override(language):
                addresses[language] = {
                    record.pk: base + self.location(record) for record in records
                }
        default = settings.LANGUAGE_CODE
        # A record's alternates are the same for each of its languages: one
        # list, shared by its entries (sitemap_entries writes it once too).
        alternates_of = {}
        for record in records:
            alternates = [
                {"location": addresses[code][record.pk], "lang_code": code}
                for code in addresses
            ]
            if self.x_default and default in addresses:
                alternates.append(
                    {
                        "location": addresses[default][record.pk].replace(
                            f"/{default}/", "/", 1
                        ),
                        "lang_code": "x-default",
                    }
                )
            alternates_of[record.pk] = alternates
        urls = []
        for record, language in pairs:
            urls.append(
                {
                    "item": (record, language),
                    "location": addresses[language][record.pk],
                    "lastmod": self.lastmod(record),
                    "changefreq": None,
                    "priority": "",
                    "alternates": alternates_of[record.pk],
                }
            )
        # Django's Last-Modified header: when every entry has a date.
        dates = [url["lastmod"] for url in urls]
        if dates and None not in dates:
            self.latest_lastmod = max(dates)
        return urls

    def get_latest_lastmod(self) -> datetime | None:
        return self.records().aggregate(latest=Max("updated_at"))["latest"]


class ComponentSitemap(RecordSitemap):
    def records(self) -> QuerySet:
        return Component.objects.published()


class ProviderSitemap(RecordSitemap):
    def records(self) -> QuerySet:
        # The organisations the providers page lists.
        return Provider.objects.in_directory()


class NetworkSitemap(RecordSitemap):
    def records(self) -> QuerySet:
        return Network.objects.published()


class EventSitemap(RecordSitemap):
    def records(self) -> QuerySet:
        return Event.objects.published()


class ReuseCaseSitemap(RecordSitemap):
    def records(self) -> QuerySet:
        return ReuseCase.objects.published()


@dataclass(frozen=True)
class Page:
    url_name: str
    lastmod: datetime | None


class PageSitemap(MultilingualSitemap):
    """The home page, the lists and the About pages. A list is as recent as
    the latest change of what it lists; the About pages have no date."""

    def location(self, page: Page) -> str:
        return reverse(page.url_name)

    def lastmod(self, page: Page) -> datetime | None:
        return page.lastmod

    @cached_property
    def pages(self) -> list[Page]:
        components = _latest(Component.objects.published())
        providers = max(
            filter(None, [components, _latest(Provider.objects.in_directory())]),
            default=None,
        )
        return [
            Page("catalogue:home", components),
            Page("catalogue:component-list", components),
            Page("catalogue:buildingblock-list", components),
            Page("catalogue:collaborationmodel-list", components),
            Page("catalogue:provider-list", providers),
            Page("networks:network-list", _latest(Network.objects.published())),
            Page("catalogue:reuse-case-list", _latest(ReuseCase.objects.published())),
            Page("impact:dashboard", _latest(ReuseCase.objects.published())),
            Page("programme:about", None),
            Page("programme:how-to-reuse", None),
        ]

    def items(self) -> list[Page]:
        return self.pages

    def get_latest_lastmod(self) -> datetime | None:
        return max(filter(None, (page.lastmod for page in self.pages)), default=None)


def _latest(records: QuerySet) -> datetime | None:
    return records.aggregate(latest=Max("updated_at"))["latest"]


# Section name -> Sitemap; each section is /sitemap-<name>.xml.
SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": PageSitemap,
    "components": ComponentSitemap,
    "providers": ProviderSitemap,
    "networks": NetworkSitemap,
    "events": EventSitemap,
    "reuse-cases": ReuseCaseSitemap,
    "news": ArticleSitemap,
    "news-pages": NewsPagesSitemap,
}

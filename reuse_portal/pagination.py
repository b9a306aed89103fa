"""A page of an ordered queryset, cheap however deep it is.

Read in one query, the 10,000th result costs reading the 9,999 before it
whole (with their joins) only to skip them. From DEEP_PAGE_OFFSET on, a
page is read in two steps: the keys of its rows in the results' order
(which an index that matches the sort answers alone), then those rows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import SimpleLazyObject, cached_property

# From this many results skipped, finding a page's keys first costs less than
# reading the skipped rows whole.
DEEP_PAGE_OFFSET = 200


def page_rows(
    results: QuerySet, bottom: int, top: int, *, rows: QuerySet | None = None
) -> list:
    """results[bottom:top] as a list. A deep page's rows are read from
    `rows` (by default `results`), by their keys: a queryset that makes
    them as the page shows them, without what only ordered the results."""
    if bottom < DEEP_PAGE_OFFSET:
        return list(results[bottom:top])
    keys = list(results.values_list("pk", flat=True)[bottom:top])
    found = (results if rows is None else rows).in_bulk(keys)
    # One removed between the two reads is left out.
    return [found[key] for key in keys if key in found]


class DeepPaginator(Paginator):
    """A Paginator whose pages are read with page_rows(), when they are
    shown: a page whose rendering is kept never reads its rows. `rows`: as
    page_rows() takes it."""

    rows: QuerySet | None = None

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = SimpleLazyObject(lambda: self.rows_between(bottom, top))
        return self._get_page(rows, number, self)

    def rows_between(self, bottom: int, top: int) -> list:
        """The results from `bottom` up to `top`, read when a page shows them."""
        return page_rows(self.object_list, bottom, top, rows=self.rows)


class CountedPaginator(DeepPaginator):
    """A paginator told the number of results (counted once, kept with the
    facets' counts) instead of counting them on every page. It reads a
    page's rows only when they are shown: a page whose rendered results are
    kept neither reads nor even builds its query. A page's rows come from
    `read` where it gives them (catalogue.filters.SearchPages), else as
    DeepPaginator reads them, a deep page's from `rows`."""

    def __init__(
        self,
        *args,
        count: int,
        rows: QuerySet,
        read: Callable[[int, int], list | None] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.known_count = count
        self.rows = rows
        self.read = read

    def rows_between(self, bottom: int, top: int) -> list:
        # `read`, where it can read them (it gives None where it cannot).
        found = self.read(bottom, top) if self.read else None
        return super().rows_between(bottom, top) if found is None else found

    @cached_property
    def count(self) -> int:
        return self.known_count

    def _check_object_list_is_ordered(self) -> None:
        # The results always end with the primary key among their sort keys
        # (catalogue.filters.ComponentFilter.sort_keys); asking the query
        # would build it.
        pass

"""Search, facets and sorting of the catalogue: one definition for the pages
and the API."""

from __future__ import annotations

import copy
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC
from functools import cached_property, partial
from itertools import chain

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections
from django.db.models import Count, F, Model, QuerySet
from django.db.models.expressions import OrderBy
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from catalogue.models import (
    BuildingBlock,
    CollaborationModel,
    Component,
    ComponentKind,
    Domain,
    LifecycleStatus,
    Provider,
    from_json_row,
    name_order,
)
from catalogue.search import MAX_QUERY_LENGTH, SearchCandidates
from reuse_portal.page_cache import (
    read_only_until_content_changes,
    until_content_changes,
)
from reuse_portal.pagination import DEEP_PAGE_OFFSET
from reuse_portal.precompiled import PrecompiledQuery

# The values a facet of the catalogue page lists at most, the most frequent:
# thousands of providers would bury the results (and weigh on every page).
FACET_VALUES_SHOWN = 15
# The filters that choose no facet value: the search, and the sort under
# its two names (the API's `ordering`).
SEARCH_AND_ORDER = frozenset({"q", "sort", "ordering"})


def published_networks(request) -> QuerySet:
    # Reached through the relation: the catalogue does not import `networks`.
    network_model = Component._meta.get_field("networks").related_model
    return network_model.objects.published()


class KeptSlugsField(django_filters.fields.ModelMultipleChoiceField):
    """A facet's field that checks the slugs chosen against the facet's
    values kept until the catalogue changes (ComponentFilter's
    RelatedValues), which every catalogue page reads anyway for its labels.
    Django's field queried the facet's table for each facet chosen: 0.9 ms
    of the 3.5 a catalogue page with a domain chosen took when its counts
    and results were kept (signed in, or not yet in the page cache), at
    100,000 components in process.

    A value is checked as the rest of the page reads the catalogue: a slug
    added in another process is known there once the change's stamp is
    (STAMP_RECHECK_SECONDS). Without kept values (a filterset other than
    the catalogue's), it queries as Django's field does."""

    # Set on each form's own copy of the field (ComponentFilter.form).
    kept_values: Callable[[], RelatedValues] | None = None

    def clean(self, value) -> list | QuerySet:
        # Nothing chosen: an empty list. Django's field gives its queryset's
        # none(): a clone of the facet's queryset for each facet on every
        # request (a fifth of making a filterset and checking its values),
        # which a truth test would compile and run.
        if not value and not self.required:
            return []
        return super().clean(value)

    def _check_values(self, value) -> list[Model]:
        if self.kept_values is None or self.null_label is not None:
            return super()._check_values(value)
        kept = self.kept_values()
        # In the order given, so that the error names the first unknown one.
        for slug in value:
            self.validate_no_null_characters(slug)
            if str(slug) not in kept.positions:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": slug},
                )
        return kept.instances({str(slug) for slug in value})


@extend_schema_field(OpenApiTypes.STR)
class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Related objects chosen by slug; several values allowed."""

    field_class = KeptSlugsField

    def get_queryset(self, request) -> QuerySet:
        # A new one each time: the filter's own is shared by every copy of
        # the filter (FiltersCopiedLightly), and run in place it would keep
        # its rows for the process's lifetime.
        return super().get_queryset(request).all()


class FiltersCopiedLightly(dict):
    """A filterset's filters, which each filterset copies (django-filter
    deep-copies them, to give each copy its own `parent` and `model`). Each
    copy gets its own attributes, but shares what nothing changes: the
    facets' querysets (only ever chained, never run in place) and the
    choices with their lazily translated labels. Making the filterset and
    checking its values took 0.70 ms with deep copies and 0.55 without, the
    API's 0.78 and 0.59 (best of six times 300, in process, at 100,000
    components), on every catalogue page and API list."""

    def __deepcopy__(self, memo: dict) -> dict:
        return {name: _copied_lightly(filter_) for name, filter_ in self.items()}


def _copied_lightly(filter_: django_filters.Filter) -> django_filters.Filter:
    clone = copy.copy(filter_)
    clone.extra = dict(filter_.extra)
    if filter_.method is not None:
        # Its own FilterMethod, which calls the method of the copy's parent,
        # not of the filter copied.
        clone.method = filter_.method
    return clone


class FieldsCopiedLightly(dict):
    """A filter form's fields, which each form copies: each copy gets its own
    attributes (ComponentFilter.form sets the facets' kept values on it), but
    shares the field's widget, messages, validators, choices and queryset.
    Django copied every choice with its lazily translated label and cloned
    each facet's queryset: 0.3 ms of every catalogue page. Its copies of the
    widgets, messages and validators took another 40-60 µs of the 160-180
    that making a filterset and checking its values took (in process, three
    times 3,000 each way in turn). Nothing changes them while a form is in
    use: the facets' querysets are only chained (to check the values
    chosen), never run in place, no field's choices or queryset is set after
    it is made, and the catalogue writes its inputs and facets itself
    (facet_options) rather than through the widgets."""

    def __deepcopy__(self, memo: dict) -> dict:
        return {name: copy.copy(field) for name, field in self.items()}


# What str() of a facet's related object reads: its name, and an acronym
# where it has one, in every language; with its id, which the facets' counts
# group by, and its slug, which the address names it by.
LABEL_FIELDS = ("id", "slug", "name", "acronym")


@dataclass(frozen=True)
class RelatedValues:
    """The values of a facet on a related table, in the filter's order: each
    row's LABEL_FIELDS (`fields`, in every language). A value's label, str()
    of its instance, is made only when a page shows it: at 100,000
    components, labelling all 4,042 providers took 136 ms of the first
    catalogue page after every change, for the 15 it shows."""

    model: type[Model]
    fields: tuple[str, ...]
    rows: tuple[tuple, ...]

    def labelled(self, values: set[str]) -> list[tuple[str, str]]:
        """(slug, label) of the rows whose slug is in `values`, in the
        filter's order."""
        slug = self.fields.index("slug")
        return [(row[slug], self._label(row)) for row in self._rows_of(values)]

    def _label(self, row: tuple) -> str:
        # Made once per row and language: making the instance and its str()
        # took 40 µs, and a new search labels some 50 values.
        key = (get_language(), row[self.fields.index("slug")])
        labels = self._labels
        if key not in labels:
            labels[key] = str(self.instance(row))
        return labels[key]

    @cached_property
    def _labels(self) -> dict[tuple[str, str], str]:
        """The labels made so far, by language and slug. The rows are read
        anew after each change of the catalogue: a label never changes."""
        return {}

    def instance(self, row: tuple) -> Model:
        return from_json_row(self.model, dict(zip(self.fields, row, strict=True)))

    @cached_property
    def slugs(self) -> dict[int, str]:
        """Each row's slug by its id."""
        pk, slug = self.fields.index("id"), self.fields.index("slug")
        return {row[pk]: row[slug] for row in self.rows}

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each row's position by its slug."""
        slug = self.fields.index("slug")
        return {row[slug]: position for position, row in enumerate(self.rows)}

    def instances(self, slugs: set[str]) -> list[Model]:
        """The instances of the rows with these slugs, in the filter's order."""
        return [self.instance(row) for row in self._rows_of(slugs)]

    def _rows_of(self, slugs: set[str]) -> list[tuple]:
        """The rows with these slugs (the unknown left out), in the
        filter's order: found by their positions, not by going through all
        4,042 providers at 100,000 components for the 15 a page shows."""
        positions = self.positions
        return [
            self.rows[position]
            for position in sorted(
                positions[slug] for slug in slugs if slug in positions
            )
        ]


def related_values(querysets: dict[str, QuerySet]) -> dict[str, RelatedValues]:
    """The rows of several small tables, in one query, each as
    RelatedValues.

    Each table comes back as one array per column, which psycopg decodes
    itself: at 100,000 components (4,042 providers), building a JSON object
    per row took the database 14-21 ms and decoding them 13 ms more; the
    arrays take it 7.5-8 ms. PostgreSQL aggregates a sorted subquery's rows
    in its order, so the rows keep the filter's."""
    tables, params, fields_of = [], [], {}
    for index, (name, queryset) in enumerate(querysets.items()):
        fields_of[name] = tuple(
            field.attname
            for field in queryset.model._meta.concrete_fields
            if field.attname.partition("_")[0] in LABEL_FIELDS
        )
        # F() names the column itself: values("name") would read the
        # current language's (django-modeltranslation), F("name") does not.
        columns = {f"column_{n}": F(field) for n, field in enumerate(fields_of[name])}
        sql, table_params = (
            queryset.annotate(**columns).values(*columns).query.sql_with_params()
        )
        arrays = ", ".join(f'ARRAY_AGG("rows"."{column}")' for column in columns)
        tables.append(f'(SELECT {arrays} FROM ({sql}) AS "rows") AS "table_{index}"')
        params.extend(table_params)
    database = next(iter(querysets.values())).db
    with connections[database].cursor() as cursor:
        cursor.execute(f"SELECT * FROM {', '.join(tables)}", params)
        arrays = iter(cursor.fetchone())
    values = {}
    for name, queryset in querysets.items():
        fields = fields_of[name]
        # ARRAY_AGG of no rows is NULL.
        columns = [next(arrays) or [] for _ in fields]
        values[name] = RelatedValues(
            model=queryset.model, fields=fields, rows=tuple(zip(*columns, strict=True))
        )
    return values


def counts_by_each(
    queryset: QuerySet, paths: dict[str, str], *, distinct: bool
) -> dict[str, dict]:
    """For each of `paths` (name: value path), how many rows of `queryset`
    have each value, in one query: GROUPING SETS group the same rows by each
    path in turn, so the search and the filters run once, not once per
    path. The paths must be single-valued (no many-to-many join); with
    `distinct`, a component that a filter's join repeats counts once."""
    if distinct or queryset.query.distinct:
        # Each component once, and every one of them: a DISTINCT over the
        # grouped columns alone would merge components that share values.
        queryset = queryset.model.objects.filter(
            pk__in=queryset.order_by().values("pk")
        )
    names = list(paths)
    columns = {f"by_{index}": F(paths[name]) for index, name in enumerate(names)}
    try:
        sql, params = (
            queryset.order_by()
            .annotate(**columns)
            .values(*columns)
            .query.sql_with_params()
        )
    except EmptyResultSet:  # a search no row can match (its words all dropped)
        return {name: {} for name in names}
    flags = ", ".join(f'GROUPING("rows"."{column}")' for column in columns)
    values = ", ".join(f'"rows"."{column}"' for column in columns)
    sets = ", ".join(f'("rows"."{column}")' for column in columns)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f'SELECT {flags}, {values}, COUNT(*) FROM ({sql}) AS "rows" '
            f"GROUP BY GROUPING SETS ({sets})",
            params,
        )
        rows = cursor.fetchall()
    counts: dict[str, dict] = {name: {} for name in names}
    for row in rows:
        # GROUPING() is 0 for the one column this row is grouped by.
        index = row[: len(names)].index(0)
        counts[names[index]][row[len(names) + index]] = row[-1]
    return counts


def counts_among(
    rows: Iterable[dict],
    accepted: dict[str, set],
    *,
    facets: list[str],
    many_valued: set[str],
) -> tuple[dict[str, dict], int]:
    """What counts_by_each() and a count query per facet give, for rows
    already read (each holding every facet's value, a list of them for the
    `many_valued`): for each facet, how many rows have each value among
    those that pass the chosen values (`accepted`) of all the *other*
    facets; and how many rows pass them all. A row with several values of a
    facet counts once for each, never twice for one."""
    if not accepted:
        return _counts_of_every_row(list(rows), facets, many_valued)
    counts: dict[str, Counter] = {name: Counter() for name in facets}
    passing = 0
    for row in rows:
        held = {
            name: set(row[name]) if name in many_valued else {row[name]}
            for name in facets
        }
        failed = [
            name for name, values in accepted.items() if held[name].isdisjoint(values)
        ]
        if len(failed) > 1:
            continue
        passing += not failed
        for name in failed or facets:
            counts[name].update(held[name] - {None})
    return {name: dict(counted) for name, counted in counts.items()}, passing


def _counts_of_every_row(
    rows: list[dict], facets: list[str], many_valued: set[str]
) -> tuple[dict[str, dict], int]:
    """counts_among() when no facet value is chosen (a new search's first
    page): every row counts, one facet at a time. For the 25 slowest of 800
    new searches at 100,000 components (166 candidates each on average),
    0.14 ms instead of 1.1-1.3 row by row."""
    counts = {}
    for name in facets:
        values = (
            chain.from_iterable(set(row[name]) for row in rows)
            if name in many_valued
            else (row[name] for row in rows)
        )
        counted = Counter(values)
        counted.pop(None, None)
        counts[name] = dict(counted)
    return counts, len(rows)


def slug_facet(label, relation: str, queryset, **options) -> django_filters.Filter:
    """A facet over a related model, chosen by slug in the URL and the query.
    Its results are made distinct only where asked: a foreign key's join
    repeats no component."""
    options.setdefault("distinct", False)
    facet = SlugMultipleChoiceFilter(
        label=label,
        field_name=f"{relation}__slug",
        to_field_name="slug",
        queryset=queryset,
        **options,
    )
    # The API schema's description of the parameter (the schema is in English).
    description = format_lazy(
        "{}: a slug; repeat the parameter to match any of several.", label
    )
    return extend_schema_field({"type": "string", "description": description})(facet)


def carries_a_search(data: QueryDict) -> bool:
    """Whether an address's query string (`data`) searches, validly or not:
    what it keeps is then kept by each process
    (ComponentFilter.kept_by_each_process)."""
    return bool((data.get("q") or "").strip())


class ComponentFilter(django_filters.FilterSet):
    SORT_CHOICES = [
        ("relevance", _("Relevance")),
        ("name", _("Name")),
        ("newest", _("Newest")),
        ("most_reused", _("Most reused")),
    ]

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=MAX_QUERY_LENGTH
    )
    provider = slug_facet(_("Provider"), "provider", Provider.objects.all())
    # django-filter makes a multiple choice's results DISTINCT by default,
    # which a column of the component never needs.
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=ComponentKind.choices, distinct=False
    )
    building_block = slug_facet(
        _("Building block"), "building_block", BuildingBlock.objects.all()
    )
    domain = slug_facet(_("Domain"), "domain", Domain.objects.all())
    status = django_filters.MultipleChoiceFilter(
        label=_("Lifecycle status"),
        field_name="lifecycle_status",
        choices=LifecycleStatus.choices,
        distinct=False,
    )
    collaboration_model = slug_facet(
        _("Collaboration model"),
        "collaboration_model",
        CollaborationModel.objects.all(),
    )
    network = slug_facet(_("Network"), "networks", published_networks, distinct=True)
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        method="filter_sort",
        empty_label=None,
    )

    # Facet name -> the value each component has for it, counted as it is
    # stored: a related row by its id, from the components' own facet
    # indexes (_by_slug() names it after). Grouped by the related tables'
    # slugs, the first counts after a change joined every component to them:
    # at 100,000 components, 17.6 ms for the providers, 10.1 by their ids.
    FACETS = {
        "provider": "provider",
        "kind": "kind",
        "building_block": "building_block",
        "domain": "domain",
        "status": "lifecycle_status",
        "collaboration_model": "collaboration_model",
        "network": "networks",
    }
    # The facets a component may have several values of.
    MANY_TO_MANY = {
        name
        for name, path in FACETS.items()
        if Component._meta.get_field(path.partition("__")[0]).many_to_many
    }

    class Meta:
        model = Component
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        # Once per class (the API's has filters of its own).
        filters = type(self).__dict__["base_filters"]
        if not isinstance(filters, FiltersCopiedLightly):
            type(self).base_filters = FiltersCopiedLightly(filters)
        super().__init__(*args, **kwargs)

    def get_form_class(self) -> type:
        # The same for every request (the facets' querysets are only read to
        # check the values chosen): built once per class and process instead
        # of from ten new fields each time, which was a fifth of the cost of a
        # catalogue page whose results are kept.
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = FieldsCopiedLightly(form_class.base_fields)
            type(self)._form_class = form_class
        return form_class

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            # Each facet's field checks its values against the facet's
            # values kept for the labels (KeptSlugsField).
            for name, field in super().form.fields.items():
                if isinstance(field, KeptSlugsField):
                    field.kept_values = partial(self._kept_values_of, name)
        return self._form

    def _kept_values_of(self, name: str) -> RelatedValues:
        return self._related_values_kept()[name]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        return queryset.search(value, candidates=self.search_candidates(value))

    def search_candidates(self, text: str) -> SearchCandidates:
        """The search's candidates among all of `queryset`, found once for
        the results and every count: the search is the first filter, so
        each of them searches the same rows."""
        found = self.__dict__.setdefault("_search_candidates", {})
        if text not in found:
            found[text] = self.queryset.search_candidates(text, values=self.FACETS)
        return found[text]

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Applied in filter_queryset(), after the search that ranks.
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*self.sort_keys())

    def chosen(self) -> dict:
        """The values that passed validation; an invalid one is left out, so the
        rest of the request still applies. A facet nobody chose is an empty
        list (KeptSlugsField)."""
        if not self.is_bound:
            return {}
        if "_chosen" not in self.__dict__:
            self.form.is_valid()
            self._chosen = dict(self.form.cleaned_data)
        return self._chosen

    @property
    def is_searching(self) -> bool:
        return bool((self.chosen().get("q") or "").strip())

    @property
    def only_searching(self) -> bool:
        """Whether a search is all that chooses the results (a sort aside)."""
        return self.is_searching and not self._filtering() - SEARCH_AND_ORDER

    def _filtering(self) -> set[str]:
        """The names of the filters given a valid value."""
        chosen = self.chosen()
        return {name for name in chosen if chosen[name]}

    def sort_order(self) -> tuple[str, bool]:
        """The chosen sort, and whether its whole order runs the other way."""
        return self.chosen().get("sort") or "", False

    def sort_keys(self) -> list[OrderBy]:
        """The results' order: the sort's keys, then `pk`, so that two results
        never tie and each shows on exactly one page."""
        sort, reverse = self.sort_order()
        return self.order_keys(sort, reverse, searching=self.is_searching)

    @staticmethod
    def order_keys(sort: str, reverse: bool, *, searching: bool) -> list[OrderBy]:
        """sort_keys() for a sort (as sort_order() gives it) of a search or
        not."""
        name = name_order().asc()
        if sort == "newest":
            # Undated entries last (none is published: PUBLISHED_HAS_DATE).
            keys = [F("published_at").desc(nulls_last=True)]
        elif sort == "most_reused":
            keys = [F("reuse_count").desc(), name]
        elif sort in ("", "relevance") and searching:
            keys = [F("relevance").desc(), name]
        else:  # by name, and by relevance when there is nothing to rank
            keys = [name]
        keys.append(F("pk").asc())
        if reverse:
            # Exactly the other way round, ties and undated entries
            # included: PostgreSQL reads the sort's own index backwards. With
            # ties by name A to Z, the least reused first sorted the 80% of
            # components never reused (600 ms at 100,000 components).
            for key in keys:  # each built for this call: turned in place
                key.reverse_ordering()
        return keys

    def facets(self, *, values_shown: int | None = FACET_VALUES_SHOWN) -> list[Facet]:
        """Every facet with its values and how many results each would give.

        A facet's counts apply the search and all the *other* facets, so that
        ticking a second value of the same facet widens the results, as the
        counts promise. A facet lists at most `values_shown` values (None: all).
        """
        if values_shown == FACET_VALUES_SHOWN:
            return self.counts()["facets"]
        return self._facets(self.value_counts()["counts"], values_shown)

    def counts(self) -> dict:
        """The facets as the page shows them, the number of results and of
        matches, kept in the shared cache until the catalogue changes: they
        are the same for every visitor, page and sort, and at 100,000
        components counting them takes longer than the rest of the page.
        Every view of a page reads them: they leave out the counts of the
        values not shown (value_counts), thousands at 100,000 components."""
        return self._kept("catalogue-counts", self._summarise)

    def value_counts(self) -> dict:
        """How many results each value of each facet gives ("counts"), and
        the number of results ("results"), kept like counts(), but once for
        every language: they are numbers and slugs."""
        return self._kept("catalogue-value-counts", self._count, per_language=False)

    @property
    def kept_by_each_process(self) -> bool:
        """Whether what is kept for these choices (their counts, the page's
        results) stays in each process's copies, out of the shared cache:
        for an address with a search, valid or not. Searches are many and
        most are made once; reading the shared cache for one, then writing
        it there, took two round trips at every first view for copies
        another process seldom reads, and a crawler's searches would fill
        it past its limit, which culls the counts every catalogue page
        reads. Another process computes its own (a few milliseconds)."""
        return carries_a_search(self.data)

    def kept_names(self) -> list[str]:
        """The names counts() keeps its values under, for reading them
        together (page_cache.read_together). value_counts() are read only
        to make counts(), and only where the shared cache has no counts():
        the whole catalogue's are thousands of values."""
        return [self._kept_name("catalogue-counts")]

    def _kept(
        self, name: str, compute: Callable[[], dict], *, per_language: bool = True
    ) -> dict:
        """compute(), for these choices (the sort aside) and this language
        (unless not `per_language`), kept until the catalogue changes; read
        once per filterset."""
        kept = self.__dict__.setdefault("_kept_values", {})
        if name not in kept:
            kept[name] = until_content_changes(
                self._kept_name(name, per_language=per_language),
                compute,
                shared=not self.kept_by_each_process,
            )
        return kept[name]

    def _kept_name(self, name: str, *, per_language: bool = True) -> str:
        language = get_language() if per_language else "every-language"
        return f"{name}:{language}:{self._choices_digest()}"

    def _choices_digest(self) -> str:
        chosen = sorted(
            (name, value)
            for name, values in self.data.lists()
            if name in self.filters and name != "sort"
            for value in values
        )
        return hashlib.sha256(repr(chosen).encode()).hexdigest()

    def _summarise(self) -> dict:
        counted = self.value_counts()
        return {
            "facets": self._facets(counted["counts"], FACET_VALUES_SHOWN),
            "results": counted["results"],
            "matches": self.match_count() if self.is_searching else counted["results"],
        }

    def _count(self) -> dict:
        """One query per facet (or one for the single-valued facets); the
        number of results is the sum of a facet's counts when it can be.
        A search's results are among its candidates, whose facet values its
        query has read: they are counted from those, with no query, unless
        a filter other than the facets is chosen."""
        chosen = self.chosen()
        filtering = self._filtering()
        if self.is_searching and filtering <= {*self.FACETS, *SEARCH_AND_ORDER}:
            candidates = self.search_candidates(chosen["q"])
            counts, results = counts_among(
                candidates.values.values(),
                {
                    name: {getattr(value, "pk", value) for value in chosen[name]}
                    for name in filtering & set(self.FACETS)
                },
                facets=list(self.FACETS),
                many_valued=self.MANY_TO_MANY,
            )
            return {"counts": self._by_slug(counts), "results": results}
        counts = {}
        # The single-valued facets nobody chose all count the same rows: the
        # search and every filter. One query counts them all, in one pass
        # over one facet index (each holds the others' values): at 100,000
        # components, 36 ms for the whole catalogue, where a query per
        # facet took 60.
        together = {
            name: path
            for name, path in self.FACETS.items()
            if name not in self.MANY_TO_MANY and name not in filtering
        }
        if len(together) > 1:
            counts = counts_by_each(
                self._filtered(leaving_out={"sort"}),
                together,
                distinct=bool(filtering & self.MANY_TO_MANY),
            )
        for facet_name, value_path in self.FACETS.items():
            if facet_name in counts:
                continue
            # A component is counted once, whatever joins repeat its row: a
            # many-to-many facet chosen besides the one counted (the counted
            # one's own join gives a row per value, one per group). Without
            # one, COUNT(*) spares sorting the ids, and reads only the
            # facet's index.
            if (filtering - {facet_name}) & self.MANY_TO_MANY:
                count = Count("pk", distinct=True)
            else:
                count = Count("*")
            counts[facet_name] = dict(
                self._filtered(leaving_out={facet_name, "sort"})
                .order_by()
                .values_list(value_path)
                .annotate(count=count)
                .values_list(value_path, "count")
            )
        # Every component has one kind and one status: without a choice in
        # one of them, its counts add up to the results.
        unchosen = [name for name in ("kind", "status") if not chosen.get(name)]
        results = sum(counts[unchosen[0]].values()) if unchosen else self.qs.count()
        return {"counts": self._by_slug(counts), "results": results}

    def _by_slug(self, counts: dict[str, dict]) -> dict[str, dict]:
        """`counts` with the related facets' values named by their slugs, as
        addresses choose them. A value nobody may choose (an unpublished
        network) or none at all (no provider) is left out."""
        related = self._related_values_kept()
        for name, values in related.items():
            slugs = values.slugs
            counts[name] = {
                slugs[pk]: count for pk, count in counts[name].items() if pk in slugs
            }
        return counts

    def _facets(self, counts: dict, values_shown: int | None) -> list[Facet]:
        chosen = self.chosen()
        return [
            self._facet(name, counts[name], chosen.get(name), values_shown)
            for name in self.FACETS
        ]

    def match_count(self) -> int:
        """How many components match the search and the filters, counted up
        to MATCH_COUNT_CAP + 1 (the results list the best ranked of them)."""
        text = self.chosen().get("q") or ""
        if not self.only_searching:
            return (
                self._filtered(leaving_out={"q", "sort"})
                .search_candidates(text)
                .matches
            )
        return self.search_candidates(text).matches

    def _filtered(self, *, leaving_out: set[str]) -> QuerySet:
        """The queryset with every chosen filter applied but those named,
        for counting: the search's matches, not their ranking (building it
        twice more took 5% of a new search)."""
        chosen = self.chosen()
        queryset = self.queryset
        for name, filter_ in self.filters.items():
            if name in leaving_out:
                continue
            value = chosen.get(name)
            if name == "q" and (value or "").strip():
                queryset = queryset.among(self.search_candidates(value))
            else:
                queryset = filter_.filter(queryset, value)
        return queryset

    def labels(self, name: str, values: set[str]) -> list[tuple[str, str]]:
        """The facet `name`'s `values` with their labels, in the filter's
        order. The values of related tables are read once per change of the
        catalogue (and language), all in one query, whatever the filters:
        not once for every combination of filters whose counts are computed."""
        if not isinstance(self.filters[name], SlugMultipleChoiceFilter):
            return [item for item in self.choices(name) if item[0] in values]
        return self._related_values_kept()[name].labelled(values)

    def _related_values_kept(self) -> dict[str, RelatedValues]:
        # Once for every language: the rows hold the names in all of them.
        return read_only_until_content_changes("facet-values", self._related_values)

    def _related_values(self) -> dict[str, RelatedValues]:
        return related_values(
            {
                name: filter_.get_queryset(self.request)
                for name, filter_ in self.filters.items()
                if isinstance(filter_, SlugMultipleChoiceFilter)
            }
        )

    def choices(self, name: str) -> list[tuple[str, str]]:
        """The values the filter `name` accepts, with their labels, in the
        filter's order."""
        filter_ = self.filters[name]
        if isinstance(filter_, SlugMultipleChoiceFilter):
            return [(obj.slug, str(obj)) for obj in filter_.get_queryset(self.request)]
        return [(str(value), str(label)) for value, label in filter_.extra["choices"]]

    def _facet(
        self, name: str, counts: dict, chosen, values_shown: int | None
    ) -> Facet:
        filter_ = self.filters[name]
        selected = {getattr(item, "slug", item) for item in chosen or []}
        frequent = sorted(
            (value for value, count in counts.items() if count and value is not None),
            key=lambda value: -counts[value],
        )[:values_shown]
        shown = {str(value) for value in frequent} | selected
        options = [
            FacetOption(
                value=value,
                label=label,
                count=counts.get(value, 0),
                selected=value in selected,
            )
            for value, label in self.labels(name, shown)
        ]
        errors = self.form.errors.get(name, []) if self.is_bound else []
        listed = {option.value for option in options}
        return Facet(
            name=name,
            label=str(filter_.label),
            options=options,
            # A chosen value is listed, however few its results.
            hidden_values=sum(
                1
                for value, count in counts.items()
                if count and value is not None and str(value) not in listed
            ),
            errors=[str(error) for error in errors],
            valid_values=self.choices(name) if errors else [],
        )


class UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 moment, as UTC: PostgreSQL refuses offsets past ±15:59,
    which ISO 8601 allows; a moment outside the years 1-9999 is invalid."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError) as error:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from error


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class ComponentApiFilter(ComponentFilter):
    """The API's: the pages' filters, plus `ordering`, the API's old name for
    `sort`, kept for one release."""

    # Each old value: the sort it stands for, and whether it runs the other way.
    ORDERING_ALIASES = {
        "name": ("name", False),
        "-name": ("name", True),
        "-updated_at": ("newest", False),
        "updated_at": ("newest", True),
        "-reuse_count": ("most_reused", False),
        "reuse_count": ("most_reused", True),
    }

    ordering = django_filters.ChoiceFilter(
        choices=[(value, value) for value in ORDERING_ALIASES], method="filter_sort"
    )
    # For harvesters: only what changed (`updated_at`) since a date or a
    # moment; a date alone means its midnight, Brussels time unless the
    # value says otherwise.
    modified_since = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Modified since"),
        error_messages={
            "invalid": _(
                "Give an ISO 8601 date or date and time, such as 2026-11-01 "
                "or 2026-11-01T08:00:00Z."
            )
        },
    )

    def sort_order(self) -> tuple[str, bool]:
        chosen = self.chosen()
        if chosen.get("ordering") and not chosen.get("sort"):
            return self.ORDERING_ALIASES[chosen["ordering"]]
        return super().sort_order()


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]
    # A value in the request that the facet does not know, and what it knows.
    errors: list[str]
    valid_values: list[tuple[str, str]]
    # How many values with results the facet does not list.
    hidden_values: int = 0

    @property
    def selected_count(self) -> int:
        return sum(option.selected for option in self.options)

    @property
    def selected_labels(self) -> str:
        return ", ".join(option.label for option in self.options if option.selected)


class SearchPages:
    """The pages of a search's results that nothing else filters, as `rows`
    (a queryset of components) gives them, each read by a query compiled
    once per process for its sort and page (reuse_portal/precompiled.py):
    at 100,000 components, building and compiling it took some 4 ms of a
    new search's 20. Pages of `page_size` results before the deep pages
    only, so that a process compiles a few dozen shapes: other sizes (the
    API's ?page_size=) and the deep pages, which read their keys first,
    are read the general way."""

    def __init__(self, rows: QuerySet, *, page_size: int) -> None:
        self.rows = rows
        self.page_size = page_size
        self._query = PrecompiledQuery(Component, self._ranked, (list, str, str))

    def _ranked(
        self, shape: tuple, ids: list[int], tsquery: str, typed: str
    ) -> QuerySet:
        sort, reverse, bottom, top = shape
        keys = ComponentFilter.order_keys(sort, reverse, searching=True)
        return self.rows.ranked(ids, tsquery, typed).order_by(*keys)[bottom:top]

    def read(
        self, filterset: ComponentFilter, bottom: int, top: int, *, per_page: int
    ) -> list | None:
        """`filterset`'s results from `bottom` up to `top`, on pages of
        `per_page`; None where this does not read them."""
        if (
            not filterset.only_searching
            or bottom >= DEEP_PAGE_OFFSET
            or per_page != self.page_size
        ):
            return None
        text = filterset.chosen()["q"]
        ranking = self.rows.ranking(text, filterset.search_candidates(text))
        if ranking is None:
            return []
        # A whole page's worth asked for, even of the last: one shape for
        # each page, not one for each number of results on it.
        shape = (*filterset.sort_order(), bottom, bottom + self.page_size)
        return list(self._query.queryset(shape, *ranking))[: top - bottom]

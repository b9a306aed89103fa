"""Queries compiled to SQL once per process, for each shape they take.

Compiling the component page's query (seven JSON arrays of related rows)
took 3.1 ms of the 4.8 ms its lookup cost at 10,000 components, on every
first view of a page; running it took 0.6. Its SQL differs from one slug to
the next by one parameter. A new search's page of results is alike: at
100,000 components its query took 4 ms to build and compile, its SQL
differing from one search to the next by three values (the candidates, the
tsquery, the words typed). Django has no API to reuse a compiled query, so
PrecompiledQuery keeps the compiler Django made for a query built with
stand-in values (its SQL, its parameters, and what it learnt of the
columns) and gives each later query of that shape a copy of it with the
real values among the parameters. Everything else is Django's own: the
queryset runs the copy, turns rows into instances with their related
objects and annotations, and runs its prefetches.

Which parameters are the values is found by compiling the query twice, with
two sets of stand-ins: the parameters that differ. A constant of the
queryset that happens to equal a stand-in stays a constant, and a value
that compiling transforms (a pattern made of it) is refused.

Two more costs of each query are paid once too. The query's other
parameters (the page's JSON keys and the published state: 52 of them) are
the same every time, so they are written into the SQL as psycopg quotes
them: psycopg parses again, on every execution, a statement as long as this
one with over 50 parameters, and with one it has little to parse. And the
converters Django finds for each column (89 expressions) are kept with the
compiler. Together: a page's lookup in 0.73 ms instead of 0.91 (the medians
of 11,970 lookups each way, taken in turn, at 100,000 components).

It relies on how a queryset runs its compiler (ModelIterable calls
query.get_compiler(), then execute_sql(), which calls as_sql(), then
results_iter(), which calls get_converters()); the tests of the pages that
use it fail if a new Django changes that.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import IntegerField, Model, QuerySet
from django.utils.translation import get_language

# What Django's SQL holds besides text: a parameter's place, or a percent
# sign escaped as psycopg reads it.
PARAMETER_OR_PERCENT = re.compile(r"(%%|%s)")


def stand_in(kind: type, index: int, round_: int) -> object:
    """The value a query is compiled with in place of its `index`th value,
    in the first or second compilation (`round_`): a text no row holds; an
    integer no key takes, in the range of every integer column (a value out
    of it compiles to nothing); a list of one such integer."""
    if kind is str:
        return f"\x00value {index}, round {round_}\x00"
    if kind is int:
        return -32_767 + 2 * index + round_
    if kind is list:
        return [stand_in(int, index, round_)]
    raise TypeError(f"no stand-in for a value of kind {kind.__name__}")


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: object
    # With a parameter left for each place a value goes.
    sql: str
    # Which value goes in each of those parameters, by its index.
    places: tuple[int, ...]
    converters: dict


class PrecompiledQuery:
    """The querysets `build(shape, *values)` makes, each compiled once per
    process for its shape (and database and language): `shape` (hashable)
    is all that changes the SQL, `values` only its parameters, of the kinds
    given (str, int, or list of int). The values are sent as given, as
    the built query sends them."""

    def __init__(
        self,
        model: type[Model],
        build: Callable[..., QuerySet],
        kinds: tuple[type, ...],
    ) -> None:
        self.model = model
        self.build = build
        self.kinds = kinds
        self._compiled: dict[tuple, _Compiled] = {}

    def queryset(self, shape: Hashable, *values) -> QuerySet:
        """The queryset build(shape, *values) would make, to be run as it
        is: anything chained onto it (a filter, a slice) is not compiled."""
        compiled = self._compiled_for(shape)
        compiler = copy.copy(compiled.compiler)
        # This thread's connection: the compiler kept that of the thread that
        # compiled it, which no other thread may use.
        compiler.connection = connections[compiled.queryset.db]
        params = tuple(values[index] for index in compiled.places)
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        # Found with the first thread's connection: the columns' own (the
        # lists' ArrayField), which read no connection.
        compiler.get_converters = lambda expressions: compiled.converters
        queryset = compiled.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return queryset

    def sql(self, shape: Hashable) -> tuple[str, str, tuple[int, ...]]:
        """The database the query runs on now, its SQL there, and which
        value goes in each parameter left in it. For a query built around it."""
        compiled = self._compiled_for(shape)
        return compiled.queryset.db, compiled.sql, compiled.places

    def _compiled_for(self, shape: Hashable) -> _Compiled:
        # Per database (the replica's) and language, in case a queryset
        # names the current language's fields.
        database = router.db_for_read(self.model)
        key = (shape, database, get_language())
        if key not in self._compiled:
            self._compiled[key] = self._compile(shape, database)
        return self._compiled[key]

    def _compile(self, shape: Hashable, database: str) -> _Compiled:
        rounds = []
        for round_ in (0, 1):
            stand_ins = [
                stand_in(kind, index, round_) for index, kind in enumerate(self.kinds)
            ]
            queryset = self.build(shape, *stand_ins).using(database)
            compiler = queryset.query.get_compiler(using=database)
            sql, params = compiler.as_sql()
            rounds.append((queryset, compiler, sql, list(params), stand_ins))
        (queryset, compiler, sql, params, stand_ins), second = rounds
        _, _, second_sql, second_params, second_stand_ins = second
        if sql != second_sql or len(params) != len(second_params):
            raise ValueError("a precompiled query's SQL changes with its values")
        places = {}
        for position, (first, other) in enumerate(
            zip(params, second_params, strict=True)
        ):
            if first == other:
                continue  # a constant, whatever it equals
            index = next(
                (
                    index
                    for index in range(len(stand_ins))
                    if (first, other) == (stand_ins[index], second_stand_ins[index])
                ),
                None,
            )
            if index is None:
                raise ValueError(
                    f"a precompiled query's parameter {position} is made of a "
                    "value, not the value itself: it cannot be replaced"
                )
            places[position] = index
        unused = set(range(len(self.kinds))) - set(places.values())
        if unused:
            raise ValueError(f"a precompiled query leaves out its values {unused}")
        columns = [column for column, *_ in compiler.select[: compiler.col_count]]
        return _Compiled(
            queryset,
            compiler,
            _with_constants_written(sql, params, set(places), database),
            tuple(places[position] for position in sorted(places)),
            compiler.get_converters(columns),
        )


class PrecompiledLookup:
    """A row of `queryset` looked up by one field, its query compiled once
    per process."""

    def __init__(self, queryset: QuerySet, field: str) -> None:
        meta = queryset.model._meta
        looked_up = meta.pk if field == "pk" else meta.get_field(field)
        kind = int if isinstance(looked_up, IntegerField) else str
        self.query = PrecompiledQuery(
            queryset.model,
            lambda shape, value: queryset.filter(**{field: value})[:1],
            (kind,),
        )

    def get(self, value: str | int) -> Model:
        """The row whose field is `value`; the model's DoesNotExist if none."""
        rows = list(self.query.queryset(None, value))
        if not rows:
            raise self.query.model.DoesNotExist
        return rows[0]

    def sql(self) -> tuple[str, str]:
        """The database a lookup runs on now, and its SQL there, with one
        parameter left: the looked-up value. For a query built around it."""
        database, sql, _places = self.query.sql(None)
        return database, sql


def _with_constants_written(
    sql: str, params: list, places: set[int], database: str
) -> str:
    """`sql` with every parameter but those at `places` written as an SQL
    literal, quoted by psycopg as it would send it."""
    connection = connections[database]
    connection.ensure_connection()
    quote = connection.ops.compose_sql
    parts = []
    position = 0
    for part in PARAMETER_OR_PERCENT.split(sql):
        if part != "%s":
            parts.append(part)
            continue
        param = params[position]
        # A percent sign in a literal is escaped: psycopg still reads the
        # statement for its parameters.
        written = (
            "%s" if position in places else quote("%s", [param]).replace("%", "%%")
        )
        parts.append(written)
        position += 1
    return "".join(parts)

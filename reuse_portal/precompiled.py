"""A row looked up by one field, its query compiled to SQL once per process.

Compiling the component page's query (seven JSON arrays of related rows)
took 3.1 ms of the 4.8 ms its lookup cost at 10,000 components, on every
first view of a page; running it took 0.6. Its SQL differs from one slug to
the next by one parameter. Django has no API to reuse a compiled query, so
PrecompiledLookup keeps the compiler Django made for a first lookup (its SQL,
its parameters, and what it learnt of the columns) and gives each later
lookup a copy of it with the new value among the parameters. Everything else
is Django's own: the queryset runs the copy, turns the row into an instance
with its related objects and annotations, and runs its prefetches.

Two more costs of each lookup are paid once too. The query's other
parameters (its JSON keys and the published state: 52 of them) are the same
for every lookup, so they are written into the SQL as psycopg quotes them:
psycopg parses again, on every execution, a statement as long as this one
with over 50 parameters, and with one it has little to parse. And the
converters Django finds for each column (89 expressions) are kept with the
compiler. Together: a lookup in 0.73 ms instead of 0.91 (the medians of
11,970 lookups each way, taken in turn, at 100,000 components).

It relies on how a queryset runs its compiler (ModelIterable calls
query.get_compiler(), then execute_sql(), which calls as_sql(), then
results_iter(), which calls get_converters()); the tests of the pages that
use it fail if a new Django changes that.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from django.db import connections
from django.db.models import IntegerField, Model, QuerySet
from django.utils.translation import get_language

# The value the first lookup is compiled with: found among the parameters
# to be replaced by each lookup's own. A text can hold a value no row has;
# an integer field (a primary key) is compiled with one no key takes, in
# the range of every integer column (a value out of it compiles to nothing).
# A queryset that compares a field with the same value is refused.
PLACEHOLDER = "\x00looked-up value\x00"
INTEGER_PLACEHOLDER = -32_767
# What Django's SQL holds besides text: a parameter's place, or a percent
# sign escaped as psycopg reads it.
PARAMETER_OR_PERCENT = re.compile(r"(%%|%s)")


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: object
    # With one parameter left, the looked-up value.
    sql: str
    converters: dict


class PrecompiledLookup:
    def __init__(self, queryset: QuerySet, field: str) -> None:
        self.queryset = queryset
        self.field = field
        meta = queryset.model._meta
        looked_up = meta.pk if field == "pk" else meta.get_field(field)
        self.placeholder = (
            INTEGER_PLACEHOLDER if isinstance(looked_up, IntegerField) else PLACEHOLDER
        )
        self._compiled: dict[tuple[str, str | None], _Compiled] = {}

    def get(self, value: str | int) -> Model:
        """The row whose field is `value`; the model's DoesNotExist if none."""
        compiled = self._compiled_for(self.queryset.db)
        compiler = copy.copy(compiled.compiler)
        # This thread's connection: the compiler kept that of the thread that
        # compiled it, which no other thread may use.
        compiler.connection = connections[compiled.queryset.db]
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, (value,))
        # Found with the first thread's connection: the columns' own (the
        # lists' ArrayField), which read no connection.
        compiler.get_converters = lambda expressions: compiled.converters
        queryset = compiled.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        rows = list(queryset)
        if not rows:
            raise queryset.model.DoesNotExist
        return rows[0]

    def sql(self) -> tuple[str, str]:
        """The database a lookup runs on now, and its SQL there, with one
        parameter left: the looked-up value. For a query built around it."""
        database = self.queryset.db
        return database, self._compiled_for(database).sql

    def _compiled_for(self, database: str) -> _Compiled:
        # Per database (the replica's) and language, in case a queryset
        # names the current language's fields.
        key = (database, get_language())
        if key not in self._compiled:
            queryset = self.queryset.using(database).filter(
                **{self.field: self.placeholder}
            )[:1]
            compiler = queryset.query.get_compiler(using=database)
            sql, params = compiler.as_sql()
            columns = [column for column, *_ in compiler.select[: compiler.col_count]]
            self._compiled[key] = _Compiled(
                queryset,
                compiler,
                _with_constants_written(sql, params, self.placeholder, database),
                compiler.get_converters(columns),
            )
        return self._compiled[key]


def _with_constants_written(
    sql: str, params: list, placeholder: str | int, database: str
) -> str:
    """`sql` with every parameter but `placeholder` written as an SQL literal,
    quoted by psycopg as it would send it: what is left is one parameter."""
    occurrences = sum(param == placeholder for param in params)
    if occurrences != 1:
        # A constant of the queryset equal to the placeholder would be taken
        # for the looked-up value: every lookup would change the query.
        raise ValueError(
            f"a precompiled lookup's query holds its placeholder {placeholder!r} "
            f"{occurrences} times instead of once: the queryset compares a "
            "field with that value"
        )
    connection = connections[database]
    connection.ensure_connection()
    quote = connection.ops.compose_sql
    remaining = iter(params)
    parts = []
    for part in PARAMETER_OR_PERCENT.split(sql):
        if part != "%s":
            parts.append(part)
            continue
        param = next(remaining)
        # A percent sign in a literal is escaped: psycopg still reads the
        # statement for its one parameter.
        written = (
            "%s" if param == placeholder else quote("%s", [param]).replace("%", "%%")
        )
        parts.append(written)
    return "".join(parts)

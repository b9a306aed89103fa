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

It relies on how a queryset runs its compiler (ModelIterable calls
query.get_compiler(), then execute_sql(), which calls as_sql()); the tests
of the pages that use it fail if a new Django changes that.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db import connections
from django.db.models import Model, QuerySet
from django.utils.translation import get_language

# The value the first lookup is compiled with: found among the parameters
# to be replaced by each lookup's own.
PLACEHOLDER = "\x00looked-up value\x00"


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: object
    sql: str
    params: tuple
    position: int


class PrecompiledLookup:
    def __init__(self, queryset: QuerySet, field: str) -> None:
        self.queryset = queryset
        self.field = field
        self._compiled: dict[tuple[str, str | None], _Compiled] = {}

    def get(self, value: str) -> Model:
        """The row whose field is `value`; the model's DoesNotExist if none."""
        compiled = self._compiled_for(self.queryset.db)
        params = list(compiled.params)
        params[compiled.position] = value
        compiler = copy.copy(compiled.compiler)
        # This thread's connection: the compiler kept that of the thread that
        # compiled it, which no other thread may use.
        compiler.connection = connections[compiled.queryset.db]
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, tuple(params))
        queryset = compiled.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        rows = list(queryset)
        if not rows:
            raise queryset.model.DoesNotExist
        return rows[0]

    def _compiled_for(self, database: str) -> _Compiled:
        # Per database (the replica's) and language, in case a queryset
        # names the current language's fields.
        key = (database, get_language())
        if key not in self._compiled:
            queryset = self.queryset.using(database).filter(
                **{self.field: PLACEHOLDER}
            )[:1]
            compiler = queryset.query.get_compiler(using=database)
            sql, params = compiler.as_sql()
            self._compiled[key] = _Compiled(
                queryset, compiler, sql, tuple(params), params.index(PLACEHOLDER)
            )
        return self._compiled[key]

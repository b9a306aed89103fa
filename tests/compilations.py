"""Which queries Django compiles to SQL during a test: a query compiled once
per process must not be compiled again."""

from collections.abc import Callable

from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query


def record_compilations(monkeypatch, wanted: Callable[[Query], bool]) -> list[Query]:
    """The list every compilation of a query that `wanted` accepts is added
    to, for the rest of the test."""
    compiled: list[Query] = []
    as_sql = SQLCompiler.as_sql

    def recorded(compiler, *args, **kwargs):
        if wanted(compiler.query):
            compiled.append(compiler.query)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", recorded)
    return compiled

"""PostgreSQL's plan for a statement, with some ways of running it forbidden.

A test's few rows are read faster whole, or sorted, than through an index:
switching those methods off shows whether an index can answer, as it must
at 100,000 components."""

from django.db import connection, transaction


def plan_without(sql: str, *methods: str, params=None) -> str:
    """EXPLAIN of `sql` with each planner method (`seqscan`, `sort`, ...)
    switched off for this transaction only. Without `params`, `sql` is a
    statement as captured, its values written in."""
    if params is None:
        sql = sql.replace("%", "%%")
    with transaction.atomic(), connection.cursor() as cursor:
        _switch_off(cursor, methods)
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def nodes_run_without(sql: str, *methods: str) -> list[dict]:
    """Every node of the plan `sql` (a statement as captured, its values
    written in) ran by, EXPLAIN ANALYZE's figures included, each planner
    method in `methods` switched off. What it changed is rolled back."""
    with transaction.atomic(), connection.cursor() as cursor:
        _switch_off(cursor, methods)
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql.replace('%', '%%')}")
        (plan,) = cursor.fetchone()[0]
        transaction.set_rollback(True)
    nodes, found = [plan["Plan"]], []
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        found.append(node)
    return found


def _switch_off(cursor, methods: tuple[str, ...]) -> None:
    for method in methods:
        cursor.execute(f"SET LOCAL enable_{method} = off")


def at_rest(table: str) -> None:
    """`table` as it is at rest in production: its indexes the size of its
    rows (the rows of earlier tests, rolled back, leave them larger, and a
    partial index larger than the primary key made the planner take the
    key instead), its statistics known, its rows visible to all (which an
    index-only scan needs). For tests outside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"REINDEX TABLE {table}")
        cursor.execute(f"VACUUM ANALYZE {table}")

"""DuckDB SQL -> Spark SQL: SQLGlot plus verified functions, rewrite rules and named rejections.

SQLGlot passes functions it does not know through unchanged and translates a few known ones with
a different meaning (``list(x ORDER BY y)`` loses its order, ``l[-1]`` becomes ``l[-2]``,
``epoch_ms(ts)`` turns into its inverse). So nothing reaches Spark on trust:

- a function whose SQLGlot translation was checked (a golden fixture in
  ``tests/engines/spark/golden/`` and the conformance suite) is listed in ``VERIFIED``;
- a function SQLGlot gets wrong has a rewrite rule in ``RULES`` (``rewrites.py``), each with
  golden input/expected files;
- a function registered on the engine as a UDF (govern, security) passes by name;
- anything else is rejected with an ``EngineError`` naming the function and the engine.

The translation is pure (no Spark needed), so the golden tests run everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

import sqlglot
from sqlglot import exp

from lingshu.core.errors import EngineError
from lingshu.engines.spark.rewrites import RULES, Reject, rule_for
from lingshu.engines.spark.verified import VERIFIED, VERIFIED_NAMES

ENGINE = "spark"


def function_name(node: exp.Expression) -> str:
    """The name a user wrote (``len``, ``my_udf``), as well as SQLGlot lets us know it."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    if isinstance(node, exp.Func):
        return node.sql_name().lower()
    return type(node).__name__.lower()


Resolver = Callable[[exp.Table], exp.Expression | None]


def to_spark(sql: str, udfs: Iterable[str] = (), resolve: Resolver | None = None) -> str:
    """Translate one or more DuckDB statements; raises ``EngineError`` for untranslatable SQL.

    ``resolve`` may replace table references (the engine points schema-qualified tables at
    their Parquet folders); it returns None to leave a table as written.
    """
    names = frozenset(u.lower() for u in udfs)
    return ";\n".join(generate(statement_tree(s, names, resolve)) for s in split(sql))


def statement_tree(statement: exp.Expression, udfs: frozenset[str],
                   resolve: Resolver | None = None) -> exp.Expression:
    """One statement translated (cached), with its tables resolved (not cached: tables move)."""
    tree = _cached(statement.sql(dialect="duckdb"), udfs).copy()
    if resolve is not None:
        for table in list(tree.find_all(exp.Table)):
            replacement = resolve(table)
            if replacement is not None:
                table.replace(replacement)
    return tree


def split(sql: str) -> list[exp.Expression]:
    try:
        return [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except sqlglot.ParseError as exc:
        raise EngineError(f"cannot parse SQL for the spark engine: {exc.errors[0]['description'] if exc.errors else exc}",
                          hint="model SQL is DuckDB's dialect; fix the SQL named above") from None


@lru_cache(maxsize=4096)
def _cached(sql: str, udfs: frozenset[str]) -> exp.Expression:
    return translate(sqlglot.parse_one(sql, read="duckdb"), udfs)


def translate(tree: exp.Expression, udfs: frozenset[str] = frozenset()) -> exp.Expression:
    """The DuckDB tree with every rewrite applied; rejects what cannot be translated."""
    tree = tree.copy()
    for node in list(tree.walk(bfs=False)):
        _check(node, udfs)

    # Children before parents (reversed pre-order), so a rule sees already-translated arguments.
    for node in reversed(list(tree.walk(bfs=False))):
        rule = rule_for(node)
        if rule is None:
            continue
        try:
            out = rule.apply(node)
        except Reject as why:
            raise EngineError(
                f"{function_name(node)}(): {why} (engine: {ENGINE})",
                hint=f"rewrite the SQL as suggested, or run this pack on duckdb; rule {rule.name!r}") from None
        if out is not None and out is not node:
            if node is tree:
                tree = out
            else:
                node.replace(out)
    return tree


def _check(node: exp.Expression, udfs: frozenset[str]) -> None:
    if not isinstance(node, exp.Func) or isinstance(node, _OPERATORS) or rule_for(node) is not None:
        return
    if node.parent is not None and node.parent.this is node and rule_for(node.parent) is not None:
        return  # a rule on the parent rewrites this node with it (list(...) OVER (...))
    if isinstance(node, exp.Anonymous):
        name = str(node.name).lower()
        if name in udfs or name in VERIFIED_NAMES:
            return
        raise EngineError(
            f"function {name}() is not available on the spark engine: it is neither a registered "
            "Lingshu SQL function nor a Spark function with a verified translation",
            hint="use a verified function (docs/spark.md lists them), or add a rewrite rule with a golden "
                 "fixture in lingshu.engines.spark.rewrites")
    if type(node) in VERIFIED:
        return
    raise EngineError(
        f"function {function_name(node)}() has no verified translation to the spark engine "
        f"(SQLGlot node {type(node).__name__})",
        hint="use another function (docs/spark.md lists the verified ones), or verify it: add it to "
             "lingshu.engines.spark.verified with a golden fixture, or a rewrite rule in rewrites.py")


# Operators are Func nodes to SQLGlot, but AND, OR, NOT and arithmetic mean the same on both.
_OPERATORS = (exp.Binary, exp.Unary, exp.Connector)


def generate(tree: exp.Expression) -> str:
    # comments=False: SQLGlot repeats leading comments when it wraps a query (QUALIFY).
    return tree.sql(dialect="spark", comments=False)


def rule_names() -> list[str]:
    return list(RULES)

"""DDL and DML on the Spark warehouse, one handler per statement type (SQLGlot node name).

Parquet files are immutable, so every change to a table (DELETE, INSERT, ALTER) computes the
table's new content as a query and swaps it in as a new version, like a model build; temporary
tables are re-materialized the same way. Multi-statement transactions are not available
(``Capabilities.transactions`` is False), so BEGIN/COMMIT/ROLLBACK are accepted and do nothing:
callers that need a transaction branch on that flag.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from lingshu.core.errors import EngineError
from lingshu.core.registry import Registry

if TYPE_CHECKING:
    from lingshu.engines.spark.engine import SparkEngine

Handler = Callable[["SparkEngine", exp.Expression, Sequence[Any] | None], None]
STATEMENTS: Registry[Handler] = Registry("Spark statement")


def _name(table: exp.Table) -> str:
    return f"{table.db}.{table.name}" if table.db else table.name


def replace_content(engine: SparkEngine, table: exp.Table, content: exp.Expression | Any,
                    params: Sequence[Any] | None = None) -> None:
    """Make ``content`` (a DuckDB query, or a DataFrame) the table's rows."""
    df = engine.dataframe(content, params) if isinstance(content, exp.Expression) else content
    if table.db:
        engine.write_table(table.db, table.name, df)
    else:
        engine.set_temp(table.name, df)


def _exists(engine: SparkEngine, table: exp.Table) -> bool:
    return engine.table_exists(table.db, table.name) if table.db else table.name in engine.temp


@STATEMENTS.register("Query")
def run_query(engine: SparkEngine, stmt: exp.Expression, params: Sequence[Any] | None) -> None:
    df = engine.dataframe(stmt, params)
    engine._run(df.count, stmt.sql("duckdb")[:500])


@STATEMENTS.register("Create")
def create(engine: SparkEngine, stmt: exp.Expression, params: Sequence[Any] | None) -> None:
    kind = str(stmt.args.get("kind") or "").upper()
    target = stmt.this
    if kind == "SCHEMA":
        engine.ensure_schema(target.name if isinstance(target, exp.Table) else str(target))
        return
    query = stmt.args.get("expression")
    if kind != "TABLE" or not isinstance(target, exp.Table) or query is None:
        raise EngineError(f"the spark engine creates tables only as CREATE TABLE ... AS SELECT: "
                          f"{stmt.sql('duckdb')[:200]}", hint="write the table's content as a query")
    if _exists(engine, target) and not stmt.args.get("replace"):
        if stmt.args.get("exists"):
            return  # IF NOT EXISTS
        raise EngineError(f"table {_name(target)} already exists", hint="use CREATE OR REPLACE TABLE or drop it first")
    temporary = any(isinstance(p, exp.TemporaryProperty)
                    for p in (stmt.args.get("properties") or exp.Properties(expressions=[])).expressions)
    if temporary and target.db:
        raise EngineError(f"a temporary table cannot have a schema: {_name(target)}", hint="drop the schema")
    if not temporary and not target.db:
        raise EngineError(f"table {target.name} needs a schema (layer) on the spark engine",
                          hint="write <layer>.<table>, or CREATE TEMP TABLE for a session table")
    replace_content(engine, target, query, params)


@STATEMENTS.register("Drop")
def drop(engine: SparkEngine, stmt: exp.Expression, params: Sequence[Any] | None) -> None:
    if str(stmt.args.get("kind") or "").upper() not in ("TABLE", "VIEW"):
        raise EngineError(f"the spark engine drops tables only: {stmt.sql('duckdb')[:200]}", hint="drop a table")
    for table in stmt.args.get("tables") or [stmt.this]:
        if not _exists(engine, table):
            if stmt.args.get("exists"):
                continue
            raise EngineError(f"table {_name(table)} does not exist", hint="use DROP TABLE IF EXISTS")
        if table.db:
            engine.drop_table(table.db, table.name)
        else:
            engine.drop_temp(table.name)


@STATEMENTS.register("Delete")
def delete(engine: SparkEngine, stmt: exp.Expression, params: Sequence[Any] | None) -> None:
    table = stmt.this
    where = stmt.args.get("where")
    # Rows stay unless the condition is TRUE (NULL keeps them, as in DELETE).
    keep = exp.not_(exp.Coalesce(this=exp.paren(where.this.copy()), expressions=[exp.false()])) \
        if where is not None else exp.false()
    replace_content(engine, table, exp.select("*").from_(table.copy()).where(keep), params)


@STATEMENTS.register("Insert")
def insert(engine: SparkEngine, stmt: exp.Expression, params: Sequence[Any] | None) -> None:
    table = stmt.this
    if not isinstance(table, exp.Table):
        raise EngineError("INSERT with a column list is not supported on spark",
                          hint="select the columns by name and use INSERT INTO t BY NAME SELECT ...")
    new = stmt.args["expression"].copy()
    current = exp.select("*").from_(table.copy())
    union = exp.Union(this=current, expression=new, distinct=False, by_name=bool(stmt.args.get("by_name")))
    replace_content(engine, table, union, params)


@STATEMENTS.register("Alter")
def alter(engine: SparkEngine, stmt: exp.Expression, params: Sequence[Any] | None) -> None:
    from pyspark.sql.functions import lit
    from pyspark.sql.pandas.types import from_arrow_type

    from lingshu.engines.spark.types import arrow_type_of

    table = stmt.this
    df = engine.dataframe(exp.select("*").from_(table.copy()))
    for action in stmt.args.get("actions") or []:
        if isinstance(action, exp.RenameColumn):
            df = df.withColumnRenamed(action.this.name, action.args["to"].name)
        elif isinstance(action, exp.ColumnDef):
            spark_type = from_arrow_type(arrow_type_of(action.args["kind"].sql("duckdb")))
            df = df.withColumn(action.name, lit(None).cast(spark_type))
        else:
            raise EngineError(f"ALTER TABLE {type(action).__name__} is not supported on spark",
                              hint="rebuild the table with CREATE OR REPLACE TABLE ... AS SELECT")
    replace_content(engine, table, df)


def _no_transaction(engine: SparkEngine, stmt: exp.Expression, params: Sequence[Any] | None) -> None:
    """Accepted and ignored: see the module docstring."""


for _kind in ("Transaction", "Commit", "Rollback"):
    STATEMENTS.add(_kind, _no_transaction)

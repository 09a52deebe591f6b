"""``SparkEngine``: the Engine interface on PySpark, with the warehouse as Parquet folders.

SQL arrives in DuckDB's dialect (the platform writes SQL once) and is translated per statement
(``transpile``). Schema-qualified tables are read straight from their live Parquet folder
(``parquet.`<folder>` AS <name>``), so no Spark catalog has to be kept in step with the disk:
the pointer file is the only truth, and two workspaces can share one Spark process.
Unqualified names are the session's temporary tables (``load_temp``) or CTEs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlglot import exp

from lingshu.core.errors import EngineError
from lingshu.engines.base import Capabilities, Column, Engine
from lingshu.engines.spark import session as sessions
from lingshu.engines.spark import spatial
from lingshu.engines.spark.statements import STATEMENTS
from lingshu.engines.spark.storage import Storage
from lingshu.engines.spark.transpile import generate, split, statement_tree
from lingshu.engines.spark.types import arrow_type_of, duckdb_type_name


class SparkEngine(Engine):
    name = "spark"
    dialect = "spark"  # what it executes; it accepts DuckDB SQL and translates it
    # No multi-statement transactions on Parquet: each table swap is atomic on its own. Spatial:
    # the ST_* functions of ``spatial.FUNCTIONS`` (GEOMETRY as WKB), proven by the conformance suite.
    capabilities = Capabilities(atomic_swap=True, spatial=True, full_text=False, python_udfs=True,
                                transactions=False)

    def __init__(self, warehouse: Path | str, *, master: str | None = None,
                 conf: dict[str, str] | None = None):
        self.storage = Storage(Path(warehouse))
        self.storage.root.mkdir(parents=True, exist_ok=True)
        self.spark = sessions.new_session(master, conf)
        self.generation = 0
        self.udfs: set[str] = set()
        self.temp: set[str] = set()  # temporary tables of this engine (Spark temp views)
        self._side: dict[tuple[str, str], Path] = {}  # side tables visible to ``inspect``
        spatial.register(self)  # DuckDB spatial's ST_* functions as Arrow UDFs (lingshu_st_*)

    # -- translation ----------------------------------------------------------------------------
    def _resolve(self, table: exp.Table) -> exp.Expression | None:
        schema, name = table.db, table.name
        if not schema or table.catalog:
            return None  # a temporary table or a CTE
        folder = self._side.get((schema, name)) or self.storage.current(schema, name)
        if folder is None:
            raise EngineError(f"table {schema}.{name} does not exist in the Spark warehouse {self.storage.root}",
                              hint="build it first (lingshu run PACK --engine spark), or check the name")
        alias = table.args.get("alias") or exp.TableAlias(this=exp.to_identifier(name, quoted=True))
        return exp.Table(this=exp.to_identifier(folder.as_posix(), quoted=True),
                         db=exp.to_identifier("parquet"), alias=alias.copy())

    def spark_sql(self, statement: exp.Expression) -> str:
        return generate(statement_tree(statement, frozenset(self.udfs), self._resolve))

    def dataframe(self, sql: str | exp.Expression, params: Sequence[Any] | None = None) -> Any:
        """A lazy Spark DataFrame for one DuckDB query."""
        statement = split(sql)[0] if isinstance(sql, str) else sql
        if isinstance(statement, exp.Union) and statement.args.get("by_name"):
            # Spark SQL has no UNION BY NAME; the DataFrame API does (missing columns -> NULL).
            left, right = self.dataframe(statement.this, params), self.dataframe(statement.expression, params)
            if statement.args.get("distinct"):
                raise EngineError("UNION BY NAME (distinct) is not translated to spark",
                                  hint="write UNION ALL BY NAME, then SELECT DISTINCT over it")
            return left.unionByName(right, allowMissingColumns=True)
        text = self.spark_sql(statement)
        return self._run(lambda: self.spark.sql(text, args=list(params)) if params else self.spark.sql(text), text)

    def _run(self, action: Callable[[], Any], text: str) -> Any:
        from pyspark.errors import PySparkException
        from py4j.protocol import Py4JJavaError

        try:
            return action()
        except (PySparkException, Py4JJavaError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EngineError(f"spark: {first[:1000]}\n  in: {text[:2000]}",
                              hint="check the SQL named above; models are written in DuckDB's dialect "
                                   "and translated (docs/spark.md)") from exc

    # -- statements -----------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        for statement in split(sql):
            handler = STATEMENTS.get(type(statement).__name__) if type(statement).__name__ in STATEMENTS \
                else STATEMENTS.get("Query") if isinstance(statement, exp.Query) else None
            if handler is None:
                raise EngineError(f"the spark engine does not run {type(statement).__name__} statements: "
                                  f"{statement.sql('duckdb')[:200]}",
                                  hint="use SELECT, CREATE TABLE AS, INSERT, DELETE, DROP or ALTER TABLE")
            handler(self, statement, params)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        df = self.dataframe(sql, params)
        return self._run(df.toArrow, str(sql)[:2000])

    # -- catalog --------------------------------------------------------------------------------
    def ensure_schema(self, schema: str) -> None:
        (self.storage.root / schema).mkdir(parents=True, exist_ok=True)

    def table_exists(self, schema: str, name: str) -> bool:
        if (schema, name) in self._side:
            return True
        folder = self.storage.current(schema, name)
        return folder is not None and folder.exists()

    def columns(self, schema: str, name: str) -> list[Column]:
        if not self.table_exists(schema, name):
            return []
        folder = self._side.get((schema, name)) or self.storage.current(schema, name)
        fields = self._run(lambda: self.spark.read.parquet(str(folder)).schema.fields, str(folder))
        return [Column(f.name, duckdb_type_name(f.dataType)) for f in fields]

    # -- materialization ------------------------------------------------------------------------
    def replace_table(self, schema: str, name: str, select_sql: str,
                      inspect: Callable[[str], Any] | None = None) -> Any:
        return self.write_table(schema, name, self.dataframe(select_sql), inspect)

    def replace_table_from_arrow(self, schema: str, name: str, data: pa.Table,
                                 inspect: Callable[[str], Any] | None = None) -> Any:
        return self.write_table(schema, name, self._from_arrow(data), inspect)

    def write_table(self, schema: str, name: str, df: Any, inspect: Callable[[str], Any] | None = None) -> Any:
        """Write ``df`` as a new version, let ``inspect`` compare, then swap the pointer.

        On any failure the new folder is removed and the pointer still names the old version.
        """
        version = self.storage.new_version(schema, name)
        side = (schema, f"__new_{name}_{uuid.uuid4().hex[:8]}")
        try:
            self._run(lambda: df.write.parquet(str(version)), f"write {schema}.{name}")
            self._side[side] = version
            result = inspect(f'"{schema}"."{side[1]}"') if inspect is not None else None
            old = self.storage.swap(schema, name, version)
        except BaseException:
            self.storage.discard(version)
            raise
        finally:
            self._side.pop(side, None)
        self.generation += 1
        if old is not None and old != version:
            self.storage.discard(old)
        return result

    def drop_table(self, schema: str, name: str) -> None:
        self.storage.drop(schema, name)
        self.generation += 1

    def _from_arrow(self, data: pa.Table) -> Any:
        if not data.schema:
            raise EngineError("cannot store a table without columns on spark", hint="give the data a column")
        return self._run(lambda: self.spark.createDataFrame(data), "createDataFrame")

    # -- temporary tables -----------------------------------------------------------------------
    def load_temp(self, name: str, data: pa.Table | pa.RecordBatchReader) -> None:
        # The driver holds the data once; Spark distributes it from there (see docs/spark.md).
        table = data.read_all() if isinstance(data, pa.RecordBatchReader) else data
        self.set_temp(name, self._from_arrow(table))

    def set_temp(self, name: str, df: Any) -> None:
        """(Re)define a temporary table, materialized: later statements may replace what it reads."""
        df = self._run(lambda: df.localCheckpoint(eager=True), f"temp table {name}")
        df.createOrReplaceTempView(name)
        self.temp.add(name)

    def drop_temp(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)
        self.temp.discard(name)

    # -- functions ------------------------------------------------------------------------------
    def register_function(self, name: str, func: Callable[..., Any], params: Sequence[str],
                          returns: str) -> None:
        from pyspark.sql.functions import arrow_udf
        from pyspark.sql.pandas.types import from_arrow_type

        arrow_type = arrow_type_of(returns)
        spark_type = from_arrow_type(arrow_type)

        def entry(*arrays: pa.Array) -> pa.Array:
            out = func(*arrays)
            if isinstance(out, pa.ChunkedArray):
                out = out.combine_chunks()
            elif not isinstance(out, pa.Array):
                out = pa.array(out)
            return out if out.type == arrow_type else out.cast(arrow_type)

        self.spark.udf.register(name, arrow_udf(_fixed_arity(entry, len(params)), spark_type))
        self.udfs.add(name.lower())

    def close(self) -> None:
        for name in list(self.temp):
            self.drop_temp(name)


def _fixed_arity(func: Callable[..., Any], n: int) -> Callable[..., Any]:
    """Spark reads the signature to count columns, so give the entry point exactly ``n`` parameters."""
    names = ", ".join(f"a{i}" for i in range(n))
    typed = ", ".join(f"a{i}: pa.Array" for i in range(n))
    scope: dict[str, Any] = {"func": func, "pa": pa}
    # Type hints tell Spark it is an arrays-to-array (scalar) Arrow UDF.
    exec(f"def entry({typed}) -> pa.Array:\n    return func({names})\n", scope)  # noqa: S102 - fixed template
    return scope["entry"]

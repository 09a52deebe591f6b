"""Where entity resolution runs: one backend per engine name, each a Splink database API.

Splink writes its SQL once and runs it through one database API class per backend; Lingshu keeps
that shape. ``BACKENDS`` maps an engine's name (``Engine.name``) to a ``Backend`` that knows two
things:

- ``records``: the kind's standardized records of a relation in the warehouse, with ``row_hash``;
- ``api``: a context manager yielding the Splink database API that scores pairs and clusters them.

``duckdb``: Splink's ``DuckDBAPI`` on a private in-memory DuckDB (its scratch tables never touch the
warehouse); records are standardized inside the warehouse.
``spark``: Splink's ``SparkAPI`` on a child session of the engine's ``SparkSession`` (its
``__splink__`` views stay out of the engine's session and are dropped afterwards). The similarity
functions (``jaro_winkler``, ``damerau_levenshtein``) come from the Scala jar shipped inside the
installed splink wheel (``splink.backends.spark.similarity_jar_location()``), added with
``ADD JAR`` (Spark ships it to the executors) and registered by class name: nothing is downloaded.
Records are read from the Parquet warehouse and standardized by the very same SQL on the driver's
DuckDB (the standardizing functions are Python; one definition, so ``row_hash`` and every
standardized column are identical on both engines by construction).

What stays on the driver on every engine: the bookkeeping over records, not pairs (links, master
ids, survivorship, review queue) in ``resolve``'s scratch DuckDB. The pair scoring and clustering,
whose cost grows with the candidate pairs, run on the backend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from lingshu.core.registry import Registry
from lingshu.govern.er.kinds import KINDS
from lingshu.govern.errors import GovernError

if TYPE_CHECKING:
    from lingshu.engines.base import Engine


@dataclass(frozen=True)
class Backend:
    name: str
    records: Callable[[Engine, str, str], pa.Table]  # (engine, relation, kind) -> standardized rows
    api: Callable[[Engine], AbstractContextManager[Any]]  # engine -> Splink database API (scoped)


BACKENDS: Registry[Backend] = Registry("entity-resolution backend (engine)")


def backend_for(engine: Engine) -> Backend:
    """The backend for ``engine``, or an error naming the engine and what does run ER."""
    if engine.name not in BACKENDS:
        raise GovernError(f"entity resolution (er.golden) does not run on the {engine.name} engine",
                          hint=f"run the pack on one of: {', '.join(BACKENDS)} (lingshu run PACK --engine ...)")
    return BACKENDS.get(engine.name)


def standardized(engine: Engine, relation: str, kind: str) -> pa.Table:
    """The kind's standardized records for ``relation`` plus a ``row_hash`` of the input row (DuckDB SQL)."""
    k = KINDS.get(kind)
    return engine.query(f"""SELECT s.* EXCLUDE (a), md5(CAST(s.i_row AS VARCHAR)) AS row_hash
        FROM ({k.std_sql(f"(SELECT *, i0 AS i_row FROM {relation} i0)")}) s""").drop_columns(["i_row"])


def driver_duckdb() -> Any:
    """A private in-memory DuckDB engine with the govern SQL functions (on the driver)."""
    from lingshu.engines.duckdb import DuckDBEngine
    from lingshu.govern.sql import register_sql

    engine = DuckDBEngine(":memory:", extensions=(), threads=2)
    register_sql(engine)
    return engine


# -- duckdb ------------------------------------------------------------------------------------

@contextmanager
def _duckdb_api(_: Engine | None = None) -> Iterator[Any]:
    from lingshu.govern.er.train import new_db_api

    api = new_db_api()
    try:
        yield api
    finally:
        api._con.close()  # DuckDBAPI's connection: frees Splink's scratch tables now, not at GC


BACKENDS.add("duckdb", Backend("duckdb", standardized, _duckdb_api))


# -- spark -------------------------------------------------------------------------------------

def similarity_jar() -> Path:
    """Splink's Scala similarity jar for the running Spark major version, from the installed wheel."""
    from splink.backends.spark import similarity_jar_location

    path = Path(similarity_jar_location())
    if not path.is_file():
        raise GovernError(f"Splink's similarity jar {path} is missing from the installed splink package",
                          hint="reinstall splink (pip install --force-reinstall splink); the jar ships in its wheel")
    return path


def register_similarity(session: Any) -> None:
    """Add the jar to ``session`` (driver and executors) and register its functions by class name."""
    from splink.internals.spark.jar_location import get_scala_udfs

    jar = similarity_jar()
    try:
        # Same Python thread for both calls: ADD JAR sets this thread's JVM class loader, which
        # registerJavaFunction uses to find the classes (PySpark pins Python threads to JVM threads).
        session.sql(f"ADD JAR '{jar.as_posix()}'")
        for name, cls, returns in get_scala_udfs():
            session.udf.registerJavaFunction(name, cls, returns)
    except Exception as exc:  # Py4J / AnalysisException: say which jar and why
        raise GovernError(f"could not register Splink's similarity functions from {jar} on spark: "
                          f"{str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}",
                          hint="add the jar to the Spark configuration instead: spark: {conf: {spark.jars: "
                               f"{jar.as_posix()}}} in lingshu.yaml") from exc


def _tracking_api(session: Any) -> Any:
    """Splink's SparkAPI that remembers the DataFrames it persists, to unpersist them at the end.

    Why: with ``break_lineage_method="persist"`` Splink caches its intermediate tables (memory,
    spilling to disk; no checkpoint directory has to be set on the SparkContext the engine shares)
    and later drops their views, but not their cache entries, which would pile up in a long-lived
    process. Hooks Splink's (5.0) repartition step; tests/govern/er checks the cache is empty afterwards.
    """
    from splink.backends.spark import SparkAPI

    class TrackingSparkAPI(SparkAPI):
        def __init__(self, **kwargs: Any):
            self.persisted: list[Any] = []
            super().__init__(**kwargs)

        def _repartition_if_needed(self, spark_df: Any, templated_name: str) -> Any:
            # Splink persists the DataFrame this returns (then may repartition it again, so the
            # cached one is not the one it keeps): record it at the moment it is persisted.
            out = super()._repartition_if_needed(spark_df, templated_name)
            persist, kept = out.persist, self.persisted

            def tracked(*args: Any, **kwargs: Any) -> Any:
                cached = persist(*args, **kwargs)
                kept.append(cached)
                return cached

            out.persist = tracked
            return out

    return TrackingSparkAPI(spark_session=session, break_lineage_method="persist", register_udfs_automatically=False)


@contextmanager
def _spark_api(engine: Engine) -> Iterator[Any]:
    session = engine.spark.newSession()  # type: ignore[attr-defined]  # SparkEngine.spark
    register_similarity(session)
    api = _tracking_api(session)
    try:
        yield api
    finally:
        for df in api.persisted:
            df.unpersist()
        for table in session.catalog.listTables():
            if table.isTemporary:  # Splink's views and the registered inputs, in this child session only
                session.catalog.dropTempView(table.name)


def _spark_records(engine: Engine, relation: str, kind: str) -> pa.Table:
    data = _naive_timestamps(engine.query(f"SELECT * FROM {relation}"))
    local = driver_duckdb()
    try:
        local.con.register("er_in", data)
        return standardized(local, "er_in", kind)
    finally:
        local.con.close()


def _naive_timestamps(table: pa.Table) -> pa.Table:
    """Spark returns its session-zone (UTC) timestamps zone-aware; the warehouse means them zone-less."""
    fields = [pa.field(f.name, pa.timestamp(f.type.unit)) if pa.types.is_timestamp(f.type) and f.type.tz else f
              for f in table.schema]
    return table.cast(pa.schema(fields)) if fields != list(table.schema) else table


BACKENDS.add("spark", Backend("spark", _spark_records, _spark_api))

"""Starting Spark: one SparkSession per process (the JVM is expensive), one child session per engine.

The master URL and extra settings come from the workspace (``spark:`` in lingshu.yaml), then
``$LINGSHU_SPARK_MASTER``, then ``local[2]``. Settings that make Spark agree with DuckDB are fixed
here, not left to a cluster's defaults (see ``PLATFORM_CONF``).
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Mapping
from typing import Any

DEFAULT_MASTER = "local[2]"
MASTER_ENV = "LINGSHU_SPARK_MASTER"

# Why each one: results must equal DuckDB's, and files must be readable by DuckDB.
PLATFORM_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",  # DuckDB TIMESTAMP is zone-less: read it as UTC
    "spark.sql.ansi.enabled": "true",  # failed casts and division by zero raise, never a silent NULL
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",  # not INT96: DuckDB-friendly
    "spark.sql.parquet.int96AsTimestamp": "true",
    "spark.sql.caseSensitive": "false",
}
# Defaults for small machines and tests; a workspace or spark-defaults.conf may override them.
DEFAULT_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.memory": "1g",
    "spark.sql.adaptive.enabled": "true",
    "spark.python.worker.reuse": "true",  # the governance UDFs keep their DuckDB per worker
    # Lingshu keeps no tables in Spark's catalog; without this Spark leaves spark-warehouse/ in the cwd.
    "spark.sql.warehouse.dir": os.path.join(tempfile.gettempdir(), "lingshu-spark-catalog"),
}

_lock = threading.Lock()
_root: Any = None


def root_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> Any:
    """The process's SparkSession, started on first use."""
    global _root
    with _lock:
        if _root is not None:
            return _root
        from pyspark.sql import SparkSession

        # Executors' Python must be this interpreter: it has lingshu, pyarrow and duckdb.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        builder = SparkSession.builder.appName("lingshu").master(
            master or os.environ.get(MASTER_ENV) or DEFAULT_MASTER)
        for key, value in {**DEFAULT_CONF, **(conf or {}), **PLATFORM_CONF}.items():
            builder = builder.config(key, value)
        _root = builder.getOrCreate()
        _root.sparkContext.setLogLevel("FATAL")  # errors reach Python as exceptions; no JSON dumps on stderr
        return _root


def new_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> Any:
    """A session of its own (temporary views and UDFs) sharing the process's SparkContext."""
    return root_session(master, conf).newSession()


def stop() -> None:
    """Stop Spark (tests and the CLI at exit; the next engine starts a new one)."""
    global _root
    with _lock:
        if _root is not None:
            _root.stop()
            _root = None

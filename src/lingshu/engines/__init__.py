"""Compute engines, registered by name. Heavy engines (Spark) are imported only when asked for."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lingshu.core.registry import Registry
from lingshu.engines.base import Capabilities, Column, Engine

# name -> "module:factory"; the module is imported on first use so `import lingshu` stays light.
ENGINES: Registry[str] = Registry("engine")
ENGINES.add("duckdb", "lingshu.engines.duckdb:DuckDBEngine")
ENGINES.add("spark", "lingshu.engines.spark.engine:SparkEngine")  # needs pyspark (the `spark` extra)


def open_engine(name: str, warehouse: Path, **options: Any) -> Engine:
    module_name, attr = ENGINES.get(name).split(":")
    factory: Callable[..., Engine] = getattr(importlib.import_module(module_name), attr)
    return factory(warehouse, **options)


__all__ = ["ENGINES", "Capabilities", "Column", "Engine", "open_engine"]

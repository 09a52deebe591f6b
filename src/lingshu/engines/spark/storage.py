"""The Spark warehouse on disk: Parquet folders behind a pointer file, swapped atomically.

Layout::

    warehouse-spark/<schema>/<table>/_CURRENT        the name of the live version folder
    warehouse-spark/<schema>/<table>/v<stamp>-<id>/  Parquet files written by Spark

A new version is written beside the live one; the swap rewrites ``_CURRENT`` with an atomic
rename (``os.replace``), so a reader (Spark, DuckDB, pyarrow) that resolves the pointer sees the
old version or the new one, never a half-written folder. The old folder is deleted after the swap.
The folder must be visible at the same path to the driver and every executor (local disk in
local mode; a shared mount on a cluster; see docs/spark.md).
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

POINTER = "_CURRENT"


class Storage:
    def __init__(self, root: Path):
        self.root = root

    def table_dir(self, schema: str, name: str) -> Path:
        return self.root / schema / name

    def new_version(self, schema: str, name: str) -> Path:
        """A fresh, not yet existing version folder (Spark creates it when writing)."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        return self.table_dir(schema, name) / f"v{stamp}-{uuid.uuid4().hex[:8]}"

    def current(self, schema: str, name: str) -> Path | None:
        pointer = self.table_dir(schema, name) / POINTER
        try:
            version = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return self.table_dir(schema, name) / version

    def swap(self, schema: str, name: str, version: Path) -> Path | None:
        """Point the table at ``version``; returns the folder it pointed at before."""
        old = self.current(schema, name)
        folder = self.table_dir(schema, name)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{POINTER}.{uuid.uuid4().hex[:8]}"
        tmp.write_text(version.name + "\n", encoding="utf-8")
        os.replace(tmp, folder / POINTER)  # atomic on POSIX: the pointer is old or new, never torn
        return old

    def drop(self, schema: str, name: str) -> None:
        shutil.rmtree(self.table_dir(schema, name), ignore_errors=True)

    def discard(self, version: Path | None) -> None:
        if version is not None:
            shutil.rmtree(version, ignore_errors=True)

    def schemas(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_dir()) if self.root.exists() else []

    def tables(self) -> Iterator[tuple[str, str, Path]]:
        """Every live table: (schema, name, version folder)."""
        for schema in self.schemas():
            for folder in sorted((self.root / schema).iterdir()):
                current = self.current(schema, folder.name) if folder.is_dir() else None
                if current is not None and current.exists():
                    yield schema, folder.name, current

"""The connector contract and registry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyarrow as pa

from lingshu.core.errors import LingshuError
from lingshu.core.registry import Registry
from lingshu.pack.spec import SourceSpec

SOURCE_FILE = "_source_file"
ROW_NUMBER = "_row_number"


class ConnectorError(LingshuError):
    """A source cannot be read: missing file, unreadable encoding, unreachable server."""


@dataclass(frozen=True)
class ReadContext:
    pack_root: Path  # relative paths in a pack resolve here first...
    raw_dir: Path  # ...then in the workspace's raw/ folder


class Connector(Protocol):
    def read(self, source: SourceSpec, ctx: ReadContext) -> pa.RecordBatchReader: ...


CONNECTORS: Registry[Connector] = Registry("source kind")


def resolve_files(source: SourceSpec, ctx: ReadContext) -> list[Path]:
    """Files matched by ``source.path`` (a file, a folder or a glob), pack folder first."""
    if not source.path:
        raise ConnectorError(f"source {source.name!r} has no path", hint="add path: to the source in pack.yaml")
    for base in (ctx.pack_root, ctx.raw_dir):
        candidate = base / source.path
        if candidate.is_file():
            return [candidate]
        if candidate.is_dir():
            files = sorted(p for p in candidate.iterdir() if p.is_file())
            if files:
                return files
        matches = sorted(p for p in base.glob(source.path) if p.is_file())
        if matches:
            return matches
    raise ConnectorError(
        f"source {source.name!r}: no file matches {source.path!r}",
        hint=f"put the file in {ctx.pack_root} or {ctx.raw_dir}, or fix path: in pack.yaml",
    )

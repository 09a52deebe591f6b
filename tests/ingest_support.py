"""Helpers for connector and ingest tests: one-source packs in fresh workspaces, direct reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from lingshu.connectors import CONNECTORS, ReadContext
from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from lingshu.pack.spec import SourceSpec


def source(kind: str, *, path: str | None = None, options: dict[str, Any] | None = None,
           columns: list[dict[str, Any]] | None = None, name: str = "src", target: str = "ods.src",
           **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "kind": kind, "target": target}
    if path:
        out["path"] = path
    if options:
        out["options"] = options
    if columns:
        out["columns"] = columns
    out.update(extra)
    return out


def read(src: dict[str, Any], root: Path, secrets: Path | None = None) -> pa.Table:
    """Read a source straight through its connector (no typing, no quarantine)."""
    spec = SourceSpec.model_validate(src)
    ctx = ReadContext(pack_root=root, raw_dir=root / "raw", secrets_dir=secrets)
    return CONNECTORS.get(spec.kind).read(spec, ctx).read_all()


def data_rows(table: pa.Table) -> list[dict[str, Any]]:
    """Rows without the bookkeeping columns, for compact assertions."""
    keep = [c for c in table.column_names if not c.startswith("_")]
    return table.select(keep).to_pylist()


def pack_context(tmp_path: Path, sources: list[dict[str, Any]], files: dict[str, bytes | str] | None = None,
                 pack_id: str = "t", **pack: Any) -> Context:
    """A workspace whose only pack holds ``sources`` and ``files``; built-in packs off."""
    root = tmp_path / "packs" / pack_id
    root.mkdir(parents=True, exist_ok=True)
    spec = {"id": pack_id, "name": "测试", "domain": "example", "department": "测试部门", "sources": sources, **pack}
    (root / "pack.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for rel, content in (files or {}).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    ws = init_workspace(tmp_path / "ws", name="test", pack_paths=[str(root.parent)])
    ws.config.builtin_packs = False
    return Context(ws)


def update_of(ctx: Context, run_id: int, table: str = "ods.src") -> dict[str, Any]:
    return next(u for u in ctx.state.updates(run_id) if u["table_name"] == table)

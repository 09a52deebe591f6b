"""Running a group of packs on one engine and checking it against the DuckDB reference.

Shared by the conformance tests: a ``Group`` declares its packs, how to set up their workspace and
the tolerances; ``run_group`` runs them from scratch and collects every output table, update log
and quality result; ``assert_conforms`` re-runs them on another engine in the same workspace (so
file paths recorded in ``_source_file`` agree) and compares everything with the reference.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from conformance.compare import differences
from lingshu.connectors.base import RAW
from lingshu.core.context import Context
from lingshu.core.runner import run_pack
from lingshu.core.workspace import Workspace
from lingshu.security.vault import encrypted_columns

PACKS_ROOT = Path(__file__).resolve().parents[2] / "packs"
ENGINES = ["duckdb", pytest.param("spark", marks=pytest.mark.spark)]


@dataclass
class Group:
    name: str  # names the re-run warehouses, so groups never share one
    packs: list[str]  # run in this order (dependencies first)
    setup: Callable[[Path, pytest.TempPathFactory], Workspace]
    float_rel: float = 1e-9  # declared tolerance for floating-point columns
    float_abs: float = 1e-9  # absolute tolerance (values the models round can flip in the last place)
    needs: tuple[str, ...] = ()  # engine capabilities the packs use (Capabilities flags)
    # Packs whose tables two DuckDB runs must give identically, no tolerance at all (they sum
    # floats only where the rounding cannot flip: see passenger_flow's forecast and error models).
    exact: tuple[str, ...] = ()
    # Columns that are not results (the wall clock of a run): left out of the comparison, declared.
    volatile: frozenset[str] = frozenset()


@dataclass
class Outcome:
    tables: dict[str, pa.Table] = field(default_factory=dict)
    steps: dict[str, tuple] = field(default_factory=dict)  # table -> (status, counts)
    quality: dict[tuple[str, str], tuple] = field(default_factory=dict)  # (table, rule) -> result
    failures: list[str] = field(default_factory=list)
    pack_of: dict[str, str] = field(default_factory=dict)  # table -> the pack that produced it


def run_group(ws: Workspace, group: Group, engine: str) -> Outcome:
    out = Outcome()
    with Context(ws, engine=engine) as ctx:
        for pack in group.packs:
            report = run_pack(ctx, pack, full_refresh=True)
            for step in report.steps:
                u = step.update
                counts = (u.rows_after, u.rows_inserted, u.rows_updated, u.rows_deleted, u.rows_quarantined) if u else None
                out.steps[step.table] = (step.status, counts)
                if step.error:
                    out.failures.append(f"{pack}/{step.table}: {step.error}")
                for r in step.quality.results if step.quality else ():
                    out.quality[(step.table, r.rule_id)] = (r.status, r.failed, r.checked)
            sealed = _sealed_columns(ctx.catalog.get(pack).spec)
            for table in ctx.catalog.get(pack).produces():
                layer, name = table.split(".")
                if ctx.engine.table_exists(layer, name):
                    out.tables[table] = _opened(ctx, table, ctx.engine.query(f'SELECT * FROM "{layer}"."{name}"'),
                                                sealed.get(table, []))
                    out.pack_of[table] = pack
                if ctx.engine.table_exists("quarantine", name):
                    out.tables[f"quarantine.{name}"] = _opened(ctx, f"quarantine.{name}", ctx.engine.query(
                        f'SELECT * EXCLUDE (_run_id) FROM "quarantine"."{name}"'), [*sealed.get(table, []), RAW])
                    out.pack_of[f"quarantine.{name}"] = pack
    return out


def _sealed_columns(spec: Any) -> dict[str, list[str]]:
    """Table -> its sealed columns, as the pack declares them (sources and models)."""
    out = {s.target: sorted(encrypted_columns(s.columns)) for s in spec.sources}
    out.update({m.name: sorted(encrypted_columns(m.columns)) for m in spec.models})
    return out


def _opened(ctx: Context, table: str, data: pa.Table, sealed: list[str]) -> pa.Table:
    """``data`` with its sealed columns decrypted. SM4-GCM draws a fresh nonce for every value, so
    two runs never store the same ciphertext; what they sealed must be the same plaintext."""
    for name in sealed:
        if name in data.column_names:
            clear = ctx.vault.cipher(table, name).decrypt(data.column(name).combine_chunks())
            data = data.set_column(data.column_names.index(name), name, clear)
    return data


def capabilities(engine: str) -> Any:
    """The engine class's capability flags, without opening (or starting) the engine."""
    from lingshu.engines import ENGINES as REGISTRY

    module, attr = REGISTRY.get(engine).split(":")
    return getattr(importlib.import_module(module), attr).capabilities


def assert_conforms(ws: Workspace, group: Group, expected: Outcome, engine: str) -> None:
    """Run the group on ``engine`` in a fresh warehouse of ``ws`` and compare with ``expected``."""
    missing = [n for n in group.needs if not getattr(capabilities(engine), n)]
    if missing:
        pytest.skip(f"{group.name} packs need {', '.join(missing)}, which the {engine} engine lacks (docs/spark.md)")
    assert not expected.failures, f"the DuckDB reference run failed: {expected.failures}"
    # A fresh warehouse for this engine (first builds: every row counts as inserted, as in the reference).
    ws.config.warehouse = f"warehouse-{group.name}-{engine}-rerun.duckdb"
    ws.config.spark.warehouse = f"warehouse-{group.name}-{engine}-rerun"
    actual = run_group(ws, group, engine)
    assert not actual.failures, f"{engine}: {actual.failures}"
    assert actual.steps == expected.steps, "update logs differ"
    assert actual.quality == expected.quality, "quality results differ"
    assert sorted(actual.tables) == sorted(expected.tables)
    problems: list[str] = []
    for table, want in expected.tables.items():
        exact = engine == "duckdb" and expected.pack_of.get(table) in group.exact
        rel, abs_ = (0.0, 0.0) if exact else (group.float_rel, group.float_abs)
        got = actual.tables[table]
        drop = [c for c in want.column_names if c in group.volatile]
        problems += differences(table, want.drop_columns(drop), got.drop_columns(drop), rel, abs_)
    assert not problems, "\n".join(problems)

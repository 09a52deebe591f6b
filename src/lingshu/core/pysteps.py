"""Python steps: registered functions a pack places in its DAG like models (``steps:`` in pack.yaml).

Most of a pack is SQL. Some work is not one SELECT: entity resolution trains and applies a model,
and golden records keep master ids stable across runs by reading their own previous version. A
step names a registered function; the function receives the Context, the step's declaration and
its validated options, and returns one Arrow table per output (the main table and ``writes``); a
``writes`` table may come as ``(table, key columns)`` so its changes are counted by key too.
The runner swaps each in atomically (``Engine.replace_table_from_arrow``) and logs exact
inserted/updated/deleted counts by ``unique_key``, like a model.

Register with ``@py_step("er.golden", OptionsModel)``. Modules that define steps are listed in
``STEP_MODULES`` and imported on first lookup, so the registry is complete without importing heavy
libraries (Splink) until a pack actually runs such a step.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pydantic import BaseModel, ValidationError

from lingshu.core.errors import PackError
from lingshu.core.registry import Registry
from lingshu.pack.spec import StepSpec
from lingshu.pack.stepnodes import StepNode

if TYPE_CHECKING:
    from lingshu.core.context import Context
    from lingshu.state.store import TableUpdate

StepFunction = Callable[["Context", StepSpec, Any], dict[str, "pa.Table | tuple[pa.Table, list[str]]"]]


@dataclass(frozen=True)
class PyStep:
    name: str
    func: StepFunction
    options: type[BaseModel]
    doc: str


PY_STEPS: Registry[PyStep] = Registry("python step")
STEP_MODULES = ("lingshu.govern.er.steps",)
_loaded = False


def py_step(name: str, options: type[BaseModel]) -> Callable[[StepFunction], StepFunction]:
    """Decorator: register ``func`` as the step ``name`` with its options model."""

    def decorator(func: StepFunction) -> StepFunction:
        PY_STEPS.add(name, PyStep(name, func, options, (func.__doc__ or "").strip().split("\n")[0]))
        return func

    return decorator


def get_step(name: str) -> PyStep:
    global _loaded
    if not _loaded:
        for module in STEP_MODULES:
            importlib.import_module(module)
        _loaded = True
    return PY_STEPS.get(name)


def run_step(ctx: Context, node: StepNode, update: TableUpdate) -> dict[str, TableUpdate]:
    """Run the step, swap in its tables; fills ``update`` (main) and returns the others' updates."""
    from lingshu.state.store import TableUpdate

    step = get_step(node.step.function)
    try:
        options = step.options.model_validate(node.step.options)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise PackError(f"step {node.name}: option {'.'.join(map(str, first['loc']))}: {first['msg']}",
                        where=str(node.path), hint=f"see the options of {step.name}: {step.doc}") from None
    tables = step.func(ctx, node.step, options)
    expected = [node.name, *node.step.writes]
    missing = [t for t in expected if t not in tables]
    if missing:
        raise PackError(f"step {node.name} ({step.name}) returned no table for {', '.join(missing)}",
                        where=str(node.path), hint="a step returns one table per declared output (name and writes)")
    others: dict[str, TableUpdate] = {}
    for table in expected:
        u = update if table == node.name else TableUpdate(table, "python")
        data, key = tables[table] if isinstance(tables[table], tuple) else (tables[table], [])
        write_table(ctx, table, data, u, node.unique_key if table == node.name else key)
        others[table] = u
    others.pop(node.name)
    return others


def write_table(ctx: Context, table: str, data: pa.Table, update: TableUpdate, key: list[str]) -> None:
    """Swap ``data`` in as ``table``, counting rows changed by ``key`` (totals only without one)."""
    engine = ctx.engine
    layer, name = table.split(".")
    existed = engine.table_exists(layer, name)
    update.rows_before = engine.row_count(layer, name)

    def inspect(side: str) -> None:
        update.rows_after = int(engine.scalar(f"SELECT count(*) FROM {side}"))
        if not existed:
            update.rows_inserted, update.rows_updated, update.rows_deleted = update.rows_after, 0, 0
        elif key:
            from lingshu.models.materialize import count_changes  # here: models import pack, which imports us

            update.rows_inserted, update.rows_updated, update.rows_deleted = count_changes(engine, side, table, key)

    engine.replace_table_from_arrow(layer, name, data, inspect)

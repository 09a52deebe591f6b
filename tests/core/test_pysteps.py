"""Python steps in pack.yaml: registered functions placed in the DAG like models."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from lingshu.core.context import Context
from lingshu.core.pysteps import PY_STEPS, py_step
from lingshu.core.workspace import init_workspace
from support import write_files


class _Opts(BaseModel):
    factor: int


if "test.scale" not in PY_STEPS:
    @py_step("test.scale", _Opts)
    def _scale(ctx, step, opts):
        """Multiply amounts; also write a one-row summary."""
        t = ctx.engine.query(f"SELECT id, amount * {opts.factor} AS amount FROM {step.reads[0]}")
        total = ctx.engine.query(f"SELECT sum(amount) * {opts.factor} AS total FROM {step.reads[0]}")
        return {step.name: t, step.writes[0]: (total, [])}


PACK = {
    "pack.yaml": """
        id: steps_demo
        name: 步骤测试
        domain: example
        department: 测试部门
        sources:
          - name: items
            kind: csv
            path: data/items.csv
            target: ods.items
            columns:
              - {name: id, type: BIGINT}
              - {name: amount, type: BIGINT}
        steps:
          - name: dwd.items_scaled
            function: test.scale
            reads: [ods.items]
            writes: [dwd.items_total]
            unique_key: [id]
            options: {factor: 10}
        models:
          - name: ads.items_report
        """,
    "data/items.csv": "id,amount\n1,2\n2,3\n",
    "models/ads/items_report.sql": "SELECT s.id, s.amount, t.total FROM dwd.items_scaled s, dwd.items_total t",
}


@pytest.fixture
def ctx(tmp_path):
    write_files(tmp_path / "packs" / "steps_demo", PACK)
    ws = init_workspace(tmp_path / "ws", name="t", pack_paths=[str(tmp_path / "packs")])
    ws.config.builtin_packs = False
    with Context(ws) as c:
        yield c


def test_step_runs_in_dag_order_and_writes_its_tables(ctx):
    assert ctx.catalog.dag.order() == ["ods.items", "dwd.items_scaled", "dwd.items_total", "ads.items_report"]
    report = ctx.run("steps_demo")
    assert report.status == "success", [s.error for s in report.steps]
    assert ctx.engine.query("SELECT * FROM ads.items_report ORDER BY id").to_pylist() == [
        {"id": 1, "amount": 20, "total": 50}, {"id": 2, "amount": 30, "total": 50}]
    kinds = {s.table: s.step for s in report.steps}
    assert kinds["dwd.items_scaled"] == kinds["dwd.items_total"] == "python"


def test_step_changes_are_counted_by_key(ctx, tmp_path):
    ctx.run("steps_demo")
    (tmp_path / "packs/steps_demo/data/items.csv").write_text("id,amount\n1,2\n2,4\n3,1\n", encoding="utf-8")
    report = ctx.run("steps_demo")
    step = next(s for s in report.steps if s.table == "dwd.items_scaled")
    assert (step.update.rows_inserted, step.update.rows_updated, step.update.rows_deleted) == (1, 1, 0)


def test_bad_options_name_the_option(ctx, tmp_path):
    p = tmp_path / "packs/steps_demo/pack.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("factor: 10", "factor: ten"), encoding="utf-8")
    with Context(ctx.workspace) as c:
        report = c.run("steps_demo")
    err = next(s.error for s in report.steps if s.table == "dwd.items_scaled")
    assert "option factor" in err


def test_unknown_step_function_lists_known_ones(ctx, tmp_path):
    p = tmp_path / "packs/steps_demo/pack.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("test.scale", "test.nope"), encoding="utf-8")
    with Context(ctx.workspace) as c:
        report = c.run("steps_demo")
    err = next(s.error for s in report.steps if s.table == "dwd.items_scaled")
    assert "unknown python step 'test.nope'" in err and "er.golden" in err
    assert next(s for s in report.steps if s.table == "dwd.items_total").status == "skipped"

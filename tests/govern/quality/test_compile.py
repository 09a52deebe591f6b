"""Compiled SQL is pinned by golden files, and batchable rules share ONE scan per table.

Golden pairs: ``golden/<name>.yaml`` (a rules file) -> ``golden/<name>.sql`` (every statement the
check runs, then the samples query). Regenerate after an intended change with
``LINGSHU_UPDATE_GOLDEN=1 pytest tests/govern/quality/test_compile.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lingshu.govern.quality.compile import compile_table
from lingshu.govern.quality.spec import load_rules

GOLDEN = Path(__file__).parent / "golden"


def render(path: Path) -> str:
    out = []
    for table, rules in load_rules(path).tables.items():
        plan = compile_table(table, rules)
        out.append(f"-- scan {table}\n{plan.scan_sql};")
        for c in plan.queries():
            out.append(f"-- query {c.rule.id}\n{c.check.sql};")  # type: ignore[union-attr]
        for c in plan.history():
            out.append(f"-- history {c.rule.id} (no SQL)")
        shared = [c for c in plan.rules if c.table_rows]
        if shared:
            out.append(f"-- samples\n{plan.sample_sql(shared, 5)};")
        for c in plan.rules:
            if c.offending and not c.table_rows:
                out.append(f"-- sample {c.rule.id}\nSELECT * FROM ({c.offending}) AS s LIMIT 5;")
    return "\n\n".join(out) + "\n"


@pytest.mark.parametrize("case", sorted(p.stem for p in GOLDEN.glob("*.yaml")))
def test_golden(case: str) -> None:
    got = render(GOLDEN / f"{case}.yaml")
    expected = GOLDEN / f"{case}.sql"
    if os.environ.get("LINGSHU_UPDATE_GOLDEN") == "1" or not expected.exists():
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")


def test_thirty_batchable_rules_are_one_scan(tmp_path: Path) -> None:
    kinds = [
        "{kind: not_null, column: c%d}", "{kind: pattern, column: c%d, regex: '[0-9]+'}",
        "{kind: range, column: c%d, min: 0, max: 9}", "{kind: length, column: c%d, max: 3}",
        "{kind: validator, column: c%d, validator: phone}", "{kind: unique, column: c%d}",
    ]
    lines = [f"    - {kinds[i % len(kinds)] % i}" for i in range(30)]
    path = tmp_path / "rules.yaml"
    path.write_text("tables:\n  dwd.wide:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    plan = compile_table("dwd.wide", load_rules(path).tables["dwd.wide"])
    assert len(plan.batched()) == 30
    statements = plan.statements()
    assert len(statements) == 1  # one scan, nothing else
    assert statements[0].count('FROM "dwd"."wide"') == 1
    assert statements[0].count("count_if(") + statements[0].count("FILTER (WHERE") >= 30


def test_join_and_custom_rules_add_one_query_each(tmp_path: Path) -> None:
    tables = load_rules(GOLDEN / "table_rules.yaml").tables
    plan = compile_table("dwd.person", tables["dwd.person"])
    assert len(plan.statements()) == 1 + 3  # scan + reference + code table + custom SQL


def test_values_are_literals_and_names_are_quoted() -> None:
    sql = render(GOLDEN / "row_rules.yaml")
    assert "'O''Brien 镇'" in sql  # a quote inside a value cannot end the literal
    assert '"uscc"' in sql and '"dwd"."enterprise"' in sql


def test_known_types_skip_the_blank_test_on_numbers_and_dates(tmp_path: Path, gov_engine: object) -> None:
    """run_plan compiles with the column types: numbers and dates are never blank text, so their
    presence test is IS NOT NULL (no CAST); the counts are the same either way."""
    import datetime as dt

    import pyarrow as pa

    from lingshu.govern.quality.execute import run_plan

    path = tmp_path / "rules.yaml"
    path.write_text("tables:\n  dwd.typed:\n" + "\n".join(f"    - {r}" for r in (
        "{kind: not_null, column: amount}", "{kind: not_null, column: day}", "{kind: not_null, column: name}",
        "{kind: length, column: amount, max: 3}", "{kind: pattern, column: name, regex: '[a-z]+'}")) + "\n",
        encoding="utf-8")
    rules = load_rules(path).tables["dwd.typed"]
    typed = compile_table("dwd.typed", rules, {"amount": "DECIMAL(18,2)", "day": "DATE", "name": "VARCHAR"})
    assert typed.rules[0].check.violation == '"amount" IS NULL'
    assert typed.rules[1].check.violation == '"day" IS NULL'
    assert "Zs" in typed.rules[2].check.violation  # text: blank is missing
    assert typed.rules[3].check.applies == '"amount" IS NOT NULL'
    table = pa.table({"amount": pa.array([1.5, None, 12345.0, 0.0], pa.float64()),
                      "day": [dt.date(2024, 1, 1), None, dt.date(2024, 1, 2), None],
                      "name": ["ab", " ", None, "X1"]})
    gov_engine.ensure_schema("dwd")  # type: ignore[attr-defined]
    gov_engine.con.register("__typed_in", table)  # type: ignore[attr-defined]
    gov_engine.execute("CREATE OR REPLACE TABLE dwd.typed AS SELECT * FROM __typed_in")  # type: ignore[attr-defined]
    gov_engine.con.unregister("__typed_in")  # type: ignore[attr-defined]
    untyped = compile_table("dwd.typed", rules)
    direct = gov_engine.query(untyped.scan_sql).to_pylist()[0]  # type: ignore[attr-defined]
    _, results = run_plan(gov_engine, untyped, sample_size=0)  # type: ignore[arg-type]
    assert [(r.checked, r.failed) for r in results] == [
        (direct[f"r{i}_checked"], direct[f"r{i}_failed"]) for i in range(len(rules))]
    assert [r.failed for r in results] == [1, 2, 2, 1, 1]


def test_blank_text_is_what_trim_strips(gov_engine: object) -> None:
    """The presence test (an anchored regex, cheaper than trim) agrees with trim() = ''."""
    import pyarrow as pa

    from lingshu.govern.quality.registry import Target
    from lingshu.govern.quality.rules_row import _present

    values = ["", " ", "\u3000", "\u00a0 ", "\t", "\n", " a ", "a", "\u2003\u3000", "\u200b", None]
    gov_engine.con.register("__blank_in", pa.table({"x": pa.array(values, pa.string())}))  # type: ignore[attr-defined]
    try:
        rows = gov_engine.query(  # type: ignore[attr-defined]
            f"SELECT {_present('x', Target('t', 't'))} AS p, nullif(trim(x), '') IS NOT NULL AS t FROM __blank_in")
    finally:
        gov_engine.con.unregister("__blank_in")  # type: ignore[attr-defined]
    assert rows.column("p").to_pylist() == rows.column("t").to_pylist()
    assert rows.column("p").to_pylist()[:4] == [False] * 4 and rows.column("p").to_pylist()[-1] is False

"""Quality rules: 30 rules batched into one scan vs one query per rule vs Great Expectations.

Builds a synthetic enterprise-register table in an in-memory DuckDB (default 10,000,000 rows, with
nulls, bad formats, out-of-range values, duplicates and bad check characters mixed in), then times:

1. ``batched``: Lingshu's compiled check, the 30 rules in ONE scan (``TablePlan.scan_sql``);
2. ``per-rule``: the same 30 rules, each compiled and run as its own query (the naive baseline);
3. ``full check``: the batched scan plus the masked-samples query (what ``lingshu quality`` runs), and
   where its CPU goes (the scan, each failing kind's samples);
4. Great Expectations 1.x (pandas) with the same 30 rules on the first ``--ge-rows`` rows (default
   1,000,000), against Lingshu's full check on the same rows. GE has no GB 32100 / phone validator,
   so those two rules become GE regex checks of the shape only: GE does less work than Lingshu.

Usage: .venv/bin/python benchmarks/quality_rules.py [--rows 10000000] [--ge-rows 1000000] [--repeat 3]
Prints seconds per mode and the ratios, in wall time and in CPU time of this process (all threads,
``time.process_time``): on a shared machine the wall time mostly measures the other jobs, and
DuckDB's second thread helps only when a core is free, so the CPU ratio is the steadier figure. Great Expectations is not a Lingshu dependency: install it
into the venv only for this script (``pip install great_expectations``); without it, part 4 says so.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lingshu.engines import open_engine
from lingshu.govern.checksums import org_code_check_char, uscc_check_char
from lingshu.govern.quality.compile import TablePlan, compile_table
from lingshu.govern.quality.execute import run_plan
from lingshu.govern.quality.spec import RuleSpec, load_rules
from lingshu.govern.sql import register_sql

# GE has no GB 32100 / phone validators: for the like-for-like GE comparison both sides check shapes.
SHAPES = {"uscc": "[0-9A-HJ-NPQRTUWXY]{18}", "phone": "1[0-9]{10}"}
TOWNS = ["南汇新城镇", "泥城镇", "书院镇", "万祥镇", "大团镇", "海湾镇", "奉城镇", "金汇镇", "青村镇", "四团镇", "浦江镇"]
ISO = r"\d{4}-\d{2}-\d{2}"
RULES = f"""
tables:
  dwd.bench:
    - {{kind: not_null, column: uscc}}
    - {{kind: not_null, column: name}}
    - {{kind: not_null, column: town}}
    - {{kind: not_null, column: phone}}
    - {{kind: not_null, column: capital}}
    - {{kind: not_null, column: start_d}}
    - {{kind: unique, column: id}}
    - {{kind: unique, columns: [uscc, branch]}}
    - {{kind: validator, column: uscc, validator: uscc}}
    - {{kind: validator, column: phone, validator: phone}}
    - {{kind: pattern, column: code, regex: '[A-Z]{{2}}[0-9]{{6}}'}}
    - {{kind: pattern, column: date_text, regex: '{ISO}'}}
    - {{kind: pattern, column: postcode, regex: '20[0-9]{{4}}'}}
    - {{kind: pattern, column: name, regex: '.*(公司|合作社|中心)'}}
    - {{kind: allowed_values, column: town, values: [{", ".join(TOWNS)}]}}
    - {{kind: allowed_values, column: status, values: [存续, 在业, 注销, 吊销]}}
    - {{kind: allowed_values, column: kind, values: [1, 2, 3, 4]}}
    - {{kind: range, column: capital, min: 0, max: 1000000}}
    - {{kind: range, column: employees, min: 0, max: 100000}}
    - {{kind: range, column: score, min: 0, max: 100}}
    - {{kind: range, column: lon, min: 121.5, max: 122.2}}
    - {{kind: range, column: lat, min: 30.6, max: 31.2}}
    - {{kind: range, column: start_d, min: 1978-01-01, max: 2030-12-31}}
    - {{kind: length, column: name, min: 4, max: 60}}
    - {{kind: length, column: uscc, min: 18, max: 18}}
    - {{kind: length, column: code, min: 8, max: 8}}
    - {{kind: length, column: address, min: 6, max: 120}}
    - {{kind: expression, id: dates_in_order, expr: "end_d >= start_d"}}
    - {{kind: expression, id: lat_below_lon, expr: "lon >= lat"}}
    - {{kind: expression, id: employees_under_cap, expr: "capital >= employees"}}
"""


def build_table(engine: Any, rows: int) -> None:
    """A register with about 1% defects of each kind, generated in SQL (no Python per row)."""
    pool = []
    for i in range(997):  # valid USCCs to draw from; every 211th row gets a wrong check character
        body = f"9131011{5 if i % 2 else 0}MA1K{i:04d}"
        body += org_code_check_char(body[8:16])
        pool.append(body + uscc_check_char(body))
    pool_sql = ", ".join(f"'{c}'" for c in pool)
    towns_sql = ", ".join(f"'{t}'" for t in TOWNS)
    engine.ensure_schema("dwd")
    engine.execute(f"""
        CREATE OR REPLACE TABLE dwd.bench AS
        SELECT
            CASE WHEN i % 1009 = 0 THEN i - 1 ELSE i END AS id,
            CASE WHEN i % 331 = 0 THEN NULL
                 WHEN i % 211 = 0 THEN left([{pool_sql}][i % 997 + 1], 17) || 'Y'
                 ELSE [{pool_sql}][i % 997 + 1] END AS uscc,
            i // 997 AS branch,
            CASE WHEN i % 401 = 0 THEN NULL ELSE '上海临港' || (i % 50000)::VARCHAR || '科技有限公司' END AS name,
            CASE WHEN i % 499 = 0 THEN '火星镇' ELSE [{towns_sql}][i % 11 + 1] END AS town,
            CASE WHEN i % 307 = 0 THEN '1234' ELSE '13' || lpad(((i * 7919) % 1000000000)::VARCHAR, 9, '0') END AS phone,
            CASE WHEN i % 293 = 0 THEN 'X' || (i % 1000000)::VARCHAR
                 ELSE chr((65 + i % 26)::INT) || chr((65 + (i // 26) % 26)::INT) || lpad((i % 1000000)::VARCHAR, 6, '0') END AS code,
            CASE WHEN i % 283 = 0 THEN strftime(DATE '2000-01-01' + (i % 9000)::INT, '%Y年%m月%d日')
                 ELSE strftime(DATE '2000-01-01' + (i % 9000)::INT, '%Y-%m-%d') END AS date_text,
            '20' || lpad((i % 10000)::VARCHAR, 4, '0') AS postcode,
            ['存续', '在业', '注销', '吊销'][i % 4 + 1] AS status,
            (i % 4 + 1) AS kind,
            CASE WHEN i % 251 = 0 THEN NULL WHEN i % 257 = 0 THEN -5.0 ELSE (i % 100000) / 10.0 END AS capital,
            (i % 500) AS employees,
            (i % 101) AS score,
            121.5 + (i % 7000) / 10000.0 AS lon,
            30.6 + (i % 6000) / 10000.0 AS lat,
            CASE WHEN i % 239 = 0 THEN NULL ELSE DATE '2000-01-01' + (i % 9000)::INT END AS start_d,
            DATE '2000-01-01' + (i % 9000)::INT + (i % 30)::INT - 1 AS end_d,
            '上海市浦东新区环湖西二路' || (i % 1000)::VARCHAR || '号' AS address
        FROM range({rows}) AS t(i)
    """)


def load(text: str) -> list[RuleSpec]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rules.yaml"
        path.write_text(text, encoding="utf-8")
        return load_rules(path).tables["dwd.bench"]


def shape_only(text: str) -> str:
    """The rules with each validator replaced by a regex of its shape (what GE can express)."""
    for kind, regex in SHAPES.items():
        text = text.replace(f"{{kind: validator, column: {kind}, validator: {kind}}}",
                            f"{{kind: pattern, id: validator_{kind}, column: {kind}, regex: '{regex}'}}")
    return text


CPU: dict[str, float] = {}  # label -> best CPU seconds of the last ``timed`` call with that label


def timed(fn: Callable[[], Any], repeat: int, label: str = "") -> tuple[float, Any]:
    """Best of ``repeat`` wall-clock runs (the machine is shared; the minimum is the least noisy).

    The best CPU time (process, all threads) is kept in ``CPU[label]``.
    """
    best, cpu, out = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        out = fn()
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - cpu_start)
    CPU[label] = cpu
    return best, out


def full_check_parts(engine: Any, plan: TablePlan) -> dict[str, float]:
    """CPU seconds of the full check's parts: the scan, then each failing rule's sample query alone."""
    _, results = run_plan(engine, plan, sample_size=0)
    typed = plan.typed({c.name: c.type for c in engine.columns(*plan.table.split("."))})
    parts = {}
    start = time.process_time()
    engine.query(typed.scan_sql)
    parts["scan"] = time.process_time() - start
    failing = [c for c in typed.rules if results[c.index].failed and c.table_rows]
    for kind in sorted({c.rule.kind for c in failing}):
        start = time.process_time()
        engine.query(typed.sample_sql([c for c in failing if c.rule.kind == kind], 5))
        parts[f"samples of {kind}"] = time.process_time() - start
    return parts


def per_rule(engine: Any, rules: list[RuleSpec], table: str, types: dict[str, str]) -> list[Any]:
    return [engine.query(compile_table(table, [r], types).scan_sql).to_pylist()[0] for r in rules]


# --- Great Expectations: the same rules as GE expectations, by kind --------------------------------

def _ge_expectations(rules: list[RuleSpec]) -> list[Any]:
    import great_expectations as gx

    e = gx.expectations
    pairs = {"dates_in_order": ("end_d", "start_d"), "lat_below_lon": ("lon", "lat"),
             "employees_under_cap": ("capital", "employees")}
    builders: dict[str, Callable[[Any], Any]] = {
        "not_null": lambda r: e.ExpectColumnValuesToNotBeNull(column=r.column),
        "unique": lambda r: (e.ExpectColumnValuesToBeUnique(column=r.columns[0]) if len(r.columns) == 1
                             else e.ExpectCompoundColumnsToBeUnique(column_list=r.columns)),
        "validator": lambda r: e.ExpectColumnValuesToMatchRegex(column=r.column, regex=f"^{SHAPES[r.validator]}$"),
        "pattern": lambda r: e.ExpectColumnValuesToMatchRegex(column=r.column, regex=f"^(?:{r.regex})$"),
        "allowed_values": lambda r: e.ExpectColumnValuesToBeInSet(column=r.column, value_set=r.values),
        "range": lambda r: e.ExpectColumnValuesToBeBetween(column=r.column, min_value=_ge_bound(r.min),
                                                           max_value=_ge_bound(r.max)),
        "length": lambda r: e.ExpectColumnValueLengthsToBeBetween(column=r.column, min_value=r.min, max_value=r.max),
        "expression": lambda r: e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=pairs[r.id][0], column_B=pairs[r.id][1], or_equal=True, ignore_row_if="either_value_is_missing"),
    }
    return [builders[r.kind](r) for r in rules]


def _ge_bound(value: Any) -> Any:
    import datetime as dt

    import pandas as pd

    return pd.Timestamp(value) if isinstance(value, dt.date) else value


def run_ge(df: Any, rules: list[RuleSpec]) -> tuple[float, list[int]]:
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    batch_def = (context.data_sources.add_pandas("bench").add_dataframe_asset("bench")
                 .add_batch_definition_whole_dataframe("all"))
    suite = gx.ExpectationSuite(name="bench")
    for rule, exp in zip(rules, _ge_expectations(rules), strict=True):
        exp.meta = {"rule": rule.id}  # GE reorders results; the meta maps them back
        suite.add_expectation(exp)
    start, cpu_start = time.perf_counter(), time.process_time()
    batch = batch_def.get_batch(batch_parameters={"dataframe": df})
    result = batch.validate(suite)
    elapsed = time.perf_counter() - start
    CPU["ge"] = time.process_time() - cpu_start
    counts = {r.expectation_config.meta["rule"]: r.result.get("unexpected_count") for r in result.results}
    return elapsed, [counts.get(r.id) for r in rules]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--ge-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    rules = load(RULES)
    assert len(rules) == 30
    engine = open_engine("duckdb", ":memory:", extensions=())
    register_sql(engine)
    print(f"machine: {os.cpu_count()} CPUs · DuckDB in memory · 30 rules ({len({r.kind for r in rules})} kinds)"
          f" · load average at start {os.getloadavg()[0]:.1f}")

    start = time.perf_counter()
    build_table(engine, args.rows)
    print(f"built dwd.bench: {args.rows:,} rows in {time.perf_counter() - start:.1f} s")
    # Compiled as run_plan compiles them: knowing the column types (see quality.registry.Target).
    types = {c.name: c.type for c in engine.columns("dwd", "bench")}
    plan: TablePlan = compile_table("dwd.bench", rules, types)
    assert len(plan.statements()) == 1, "all 30 rules should be batched"

    print(f"\n{args.rows:,} rows, 30 rules:")
    cheap = [r for r in rules if r.kind != "validator"]
    for label, subset in (("all 30 rules", rules), (f"the {len(cheap)} rules without the 2 checksum validators", cheap)):
        sub = compile_table("dwd.bench", subset, types)
        t_batch, batched = timed(lambda sub=sub: engine.query(sub.scan_sql).to_pylist()[0], args.repeat, "batch")
        t_each, each = timed(lambda subset=subset: per_rule(engine, subset, "dwd.bench", types), args.repeat, "each")
        for c, single in zip(sub.rules, each, strict=True):  # same answers both ways
            assert batched[f"{c.alias}_failed"] == single["r0_failed"], c.rule.id
        print(f"  {label}:")
        print(f"    batched, one scan        {t_batch:8.2f} s   CPU {CPU['batch']:8.2f} s")
        print(f"    one query per rule       {t_each:8.2f} s   CPU {CPU['each']:8.2f} s   "
              f"ratio per-rule / batched = {t_each / t_batch:.1f}x (CPU {CPU['each'] / CPU['batch']:.1f}x)")
    t_full, (_, results) = timed(lambda: run_plan(engine, plan, sample_size=5), 1, "full")
    failed = sum(1 for r in results if r.status == "failed")
    print(f"  full check of all 30 (+ masked samples of the {failed} failing rules): {t_full:.2f} s   "
          f"CPU {CPU['full']:.2f} s")
    parts = full_check_parts(engine, plan)
    print("  where the full check's CPU goes: " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()))

    print(f"\nGreat Expectations, {args.ge_rows:,} rows, the same 30 rules:")
    try:
        import great_expectations as gx
    except ImportError:
        print("  great_expectations is not installed: comparison skipped "
              "(pip install great_expectations into the venv to run it)")
        return
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    os.environ.setdefault("TQDM_DISABLE", "1")
    engine.execute(f"CREATE OR REPLACE TABLE dwd.bench_small AS SELECT * FROM dwd.bench LIMIT {args.ge_rows}")
    df = engine.query("SELECT * FROM dwd.bench_small").to_pandas()
    for col in ("start_d", "end_d"):
        df[col] = df[col].astype("datetime64[us]")
    t_ge, ge_counts = run_ge(df, rules)
    same_rules = load(shape_only(RULES))
    t_same, (_, same_results) = timed(lambda: run_plan(engine, compile_table("dwd.bench_small", same_rules),
                                                       sample_size=5), args.repeat, "same")
    t_ls, _ = timed(lambda: run_plan(engine, compile_table("dwd.bench_small", rules), sample_size=5), args.repeat,
                    "real")
    same = sum(1 for r, g in zip(same_results, ge_counts, strict=True) if r.failed == g)
    ge_cpu = CPU["ge"]
    print(f"  great_expectations {gx.__version__:9s}               {t_ge:8.2f} s   CPU {ge_cpu:8.2f} s")
    print(f"  lingshu, the same 30 checks as GE            {t_same:8.2f} s   CPU {CPU['same']:8.2f} s   "
          f"ratio GE / lingshu = {t_ge / t_same:.1f}x (CPU {ge_cpu / CPU['same']:.1f}x)")
    print(f"  lingshu, with the real GB 32100/phone checks {t_ls:8.2f} s   CPU {CPU['real']:8.2f} s   "
          f"ratio GE / lingshu = {t_ge / t_ls:.1f}x (CPU {ge_cpu / CPU['real']:.1f}x)")
    print(f"load average at the end {os.getloadavg()[0]:.1f} (1 min), {os.getloadavg()[2]:.1f} (15 min)")
    print(f"  failed counts equal on {same} of 30 rules (unique differs by definition: GE counts every row of "
          "a duplicated key, and NULL keys as duplicates; Lingshu counts surplus rows, NULL keys excluded)")

if __name__ == "__main__":
    main()

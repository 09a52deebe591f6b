"""Quality rules against the synthetic world's ground truth (lingshu.synth).

The generator injects format defects (dates written 2023年5月1日, 2023/5/1, Excel serials...),
checksum defects (USCC and ID numbers with a wrong check character) and blanked required fields,
and lists every one in ``ground_truth/defects.parquet``. The rules below must find them with
recall and precision >= 0.99 (record by record, not just in count). The same world scores address
standardization: the match rate of hotline addresses per injected variant (``govern.address_truth``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from lingshu.govern.address_truth import CLEAN, KINDS, format_rates, match_rates, variant_kind
from lingshu.govern.quality.compile import compile_table
from lingshu.govern.quality.execute import run_plan
from quality_support import rules_from_yaml

synth = pytest.importorskip("lingshu.synth")

ISO = r"'\d{4}-\d{2}-\d{2}'"
# (source table, field, defect kind) -> the rule that must catch it
RULES = {
    "scjg_enterprise": f"""
        - {{kind: validator, column: uscc, validator: uscc}}
        - {{kind: pattern, column: established_date, regex: {ISO}}}
        - {{kind: not_null, column: legal_rep}}
        - {{kind: not_null, column: industry_code}}
        - {{kind: not_null, column: address}}
    """,
    "ga_population": f"""
        - {{kind: validator, column: id_number, validator: id}}
        - {{kind: pattern, column: birth_date, regex: {ISO}}}
        - {{kind: not_null, column: address}}
        - {{kind: not_null, column: phone}}
    """,
}
CAUGHT_BY = {"invalid_check": "validator", "mixed_date": "pattern", "missing_required": "not_null"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    rates = synth.DefectRates(invalid_check=0.1, mixed_date=0.2, missing_required=0.05)
    synth.generate(synth.SynthConfig(scale=0.05, excel=False, defects=rates), out)
    return out


def _load(engine: Any, world: Path, source: str) -> str:
    """The upstream table as the connectors deliver it: every value as text."""
    with sqlite3.connect(world / "sources" / "upstream.sqlite") as con:
        df = pd.read_sql(f'SELECT * FROM "{source}"', con)
    table = pa.Table.from_pandas(df.astype("string"), preserve_index=False)
    engine.ensure_schema("ods")
    engine.con.register("__synth_in", table)
    try:
        engine.execute(f'CREATE OR REPLACE TABLE "ods"."synth_{source}" AS SELECT * FROM __synth_in')
    finally:
        engine.con.unregister("__synth_in")
    return f"ods.synth_{source}"


def test_format_and_checksum_defects_are_found(world: Path, gov_engine: Any, tmp_path: Path) -> None:
    truth = pd.read_parquet(world / "ground_truth" / "defects.parquet")
    found: set[tuple[str, str, str, str]] = set()
    expected: set[tuple[str, str, str, str]] = set()
    for source, rules in RULES.items():
        table = _load(gov_engine, world, source)
        body = "\n".join("    " + line.strip() for line in rules.strip().splitlines())
        plan = compile_table(table, rules_from_yaml(tmp_path, f"tables:\n  {table}:\n{body}\n")[table])
        _, results = run_plan(gov_engine, plan, sample_size=0)
        for c, result in zip(plan.rules, results, strict=True):
            column = c.rule.columns_used()[0]
            ids = gov_engine.query(f"SELECT record_id FROM ({c.offending})").column(0).to_pylist()
            assert len(ids) == result.failed  # the scan's count is the offending rows' count
            found |= {(source, column, c.rule.kind, i) for i in ids}
        rows = truth[(truth["source"] == source) & truth["defect_kind"].isin(list(CAUGHT_BY))]
        expected |= {(source, f, CAUGHT_BY[k], i) for f, k, i in zip(rows["field"], rows["defect_kind"],
                                                                     rows["record_id"], strict=True)}
    hits = found & expected
    recall, precision = len(hits) / len(expected), len(hits) / len(found)
    print(f"recall {recall:.4f} precision {precision:.4f} ({len(hits)} of {len(expected)} defects, {len(found)} flagged)")
    kinds = {k for _, _, k, _ in expected}
    assert kinds == {"validator", "pattern", "not_null"} and len(expected) > 300
    assert recall >= 0.99, sorted(expected - found)[:10]
    assert precision >= 0.99, sorted(found - expected)[:10]


def test_variant_kind_reads_the_generators_style_back() -> None:
    true = "上海市浦东新区南汇新城镇临港大道1038号"
    assert variant_kind(true, "上海市浦东新区南汇新城镇临港大道１０３８号") == "fullwidth"
    assert variant_kind(true, "上海市浦东新区临港新城临港大道1038号") == "legacy_name"
    assert variant_kind(true, true + " 电话13812345678") == "glued_phone"
    assert variant_kind(true, "临港大道1038号(浦东新区南汇新城镇)") == "reordered"


def test_address_match_rate_by_defect_kind(world: Path, gov_engine: Any) -> None:
    rates = {r.kind: r for r in match_rates(world, engine=gov_engine)}
    print("\n" + format_rates(list(rates.values())))
    assert list(rates) == [CLEAN, *KINDS]
    assert all(r.records >= 10 for r in rates.values()), rates  # every variant style is exercised
    assert rates[CLEAN].rate >= 0.99
    for kind in KINDS:  # floors a regression in the standardizer or the matcher would break
        assert rates[kind].rate >= 0.95, (kind, rates[kind])
    # A confident match to the wrong base row is worse than none: at most 1 in 200.
    assert sum(r.wrong for r in rates.values()) <= sum(r.records for r in rates.values()) / 200

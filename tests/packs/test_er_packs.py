"""Packs 12 人才数据治理, 14 自然人数据治理, 15 法人数据治理 end to end on a tiny synthetic world.

Own world (with Excel, which the talent source needs) and a workspace holding only these packs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from lingshu.indicators.spec import IndicatorQuery
from lingshu.synth import SynthConfig, generate

PACKS = Path(__file__).resolve().parents[2] / "packs"
PACK_DIRS = [PACKS / "talent" / "natural_person", PACKS / "industry" / "legal_person",
             PACKS / "talent" / "talent_governance"]
WORLD = SynthConfig(scale=0.05, seed=7)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    world = tmp_path_factory.mktemp("er_pack_world")
    generate(WORLD, world)
    ws = init_workspace(tmp_path_factory.mktemp("er_ws"), name="er-packs", pack_paths=[str(p) for p in PACK_DIRS])
    ws.config.builtin_packs = False
    os.symlink(world, ws.folder("raw") / "synth")
    with Context(ws) as c:
        c.reports = {p: c.run(p) for p in ("natural_person", "legal_person", "talent_governance")}  # type: ignore[attr-defined]
        c.world = world  # type: ignore[attr-defined]
        yield c


def _truth_entities(world: Path, sources: list[str]) -> int:
    import pandas as pd

    em = pd.read_parquet(world / "ground_truth" / "entity_map.parquet")
    return em[em["source"].isin(sources)]["entity_id"].nunique()


@pytest.mark.parametrize("pack", ["natural_person", "legal_person", "talent_governance"])
def test_pack_runs_and_passes_its_blocking_rules(ctx, pack):
    report = ctx.reports[pack]
    assert report.status == "success", [(s.table, s.error) for s in report.failed]


@pytest.mark.parametrize(("table", "sources"), [
    ("dwd.np_person_golden", ["ga_population", "sq_resident"]),
    ("dwd.lp_enterprise_golden", ["scjg_enterprise", "sw_taxpayer"]),
    ("dwd.tl_talent_golden", ["rc_talent"]),
])
def test_one_golden_record_per_true_entity(ctx, table, sources):
    masters = ctx.engine.row_count(*table.split("."))
    assert abs(masters - _truth_entities(ctx.world, sources)) <= 2


def test_golden_fields_name_their_source_record(ctx):
    rows = ctx.engine.query("""SELECT g.name, g.name_src, x.master_id FROM dwd.lp_enterprise_golden g
        JOIN dwd.lp_enterprise_xref x ON x.record_key = g.name_src""").to_pylist()
    assert len(rows) == ctx.engine.row_count("dwd", "lp_enterprise_golden")
    bad = ctx.engine.scalar("""SELECT count(*) FROM dwd.lp_enterprise_golden g JOIN dwd.lp_enterprise_xref x
        ON x.record_key = g.uscc_src WHERE x.master_id <> g.master_id""")
    assert bad == 0


def test_legal_person_standardization(ctx):
    row = ctx.engine.query("""SELECT count_if(active IS NULL) AS uncoded, count_if(capital_yuan IS NULL) AS no_capital,
        count_if(currency = 'USD') AS usd, count_if(source = 'scjg_enterprise' AND industry_section IS NULL) AS no_section
        FROM dwd.lp_enterprise_record""").to_pylist()[0]
    assert row["uncoded"] == 0 and row["no_section"] <= 3  # missing industry codes are injected defects
    assert row["usd"] > 0 and row["no_capital"] == 0
    usd = ctx.engine.query("""SELECT r.capital_yuan, s.reg_capital_wan FROM dwd.lp_enterprise_record r
        JOIN ods.lp_scjg_enterprise s USING (record_id) WHERE r.currency = 'USD' LIMIT 1""").to_pylist()[0]
    assert float(usd["capital_yuan"]) == pytest.approx(float(usd["reg_capital_wan"]) * 10000 * 7.10, rel=1e-6)


def test_talent_codes_standardized(ctx):
    left = ctx.engine.scalar("""SELECT count(*) FROM dwd.tl_talent_record
        WHERE (education_raw IS NOT NULL AND education_code IS NULL) OR (title_raw IS NOT NULL AND title_code IS NULL)""")
    assert left == 0
    assert set(ctx.engine.query("SELECT DISTINCT education FROM dwd.tl_talent_golden").column(0).to_pylist()) <= {
        "博士研究生", "硕士研究生", "大学本科", "大学专科", None}


def test_legal_person_indicators(ctx):
    total = ctx.indicators.query(IndicatorQuery(indicator="legal_person.lp_enterprise_count"), protect=False).total()
    assert total == ctx.engine.row_count("dwd", "lp_enterprise_golden")
    by_status = ctx.indicators.query(IndicatorQuery(indicator="legal_person.lp_enterprise_count",
                                                    dimensions=["status"]), protect=False)
    assert by_status.total() == total


def test_rerun_is_a_no_op_and_a_new_batch_only_adds(ctx):
    report = ctx.run("legal_person")
    golden = next(s for s in report.steps if s.table == "dwd.lp_enterprise_golden").update
    assert (golden.rows_inserted, golden.rows_updated, golden.rows_deleted) == (0, 0, 0)
    # A new tax batch: one repeat of a known enterprise (full-width brackets) and one new enterprise.
    csv = ctx.workspace.folder("raw") / "synth" / "sources" / "csv" / "税务_纳税人登记信息.csv"
    known = ctx.engine.query("SELECT * FROM ods.lp_scjg_enterprise WHERE name LIKE '%(上海)%' LIMIT 1").to_pylist()[0]
    lines = [f"SWNEW0001,{known['uscc']},{known['name'].replace('(', '（').replace(')', '）')},{known['legal_rep']},"
             f"{known['industry_name']},{known['address']},{known['established_date']},正常,100.00",
             "SWNEW0002,91310115MA1K4XYZ0X,上海全新测试科技有限公司,测试人,软件开发,上海市浦东新区南汇新城镇环湖西二路888号,"
             "2025-06-01,正常,500.00"]
    before = csv.read_bytes()
    try:
        csv.write_bytes(before + ("\n".join(lines) + "\n").encode("gb18030"))
        report = ctx.run("legal_person")
    finally:
        csv.write_bytes(before)
    assert report.status == "success", [(s.table, s.error) for s in report.failed]
    golden = next(s for s in report.steps if s.table == "dwd.lp_enterprise_golden").update
    assert golden.rows_inserted == 1 and golden.rows_deleted == 0 and golden.rows_updated <= 1
    last = ctx.engine.query("""SELECT detail FROM dwd.lp_enterprise_changes WHERE event = 'run'
        ORDER BY batch DESC LIMIT 1""").column(0)[0].as_py()
    assert '"batch_records": 2' in last and '"new": 1' in last and '"merge": 0' in last
    repeat_master = ctx.engine.scalar("SELECT master_id FROM dwd.lp_enterprise_xref WHERE record_id = 'SWNEW0001'")
    known_master = ctx.engine.scalar(f"SELECT master_id FROM dwd.lp_enterprise_xref WHERE record_id = '{known['record_id']}'")
    assert repeat_master == known_master


def test_id_numbers_are_sealed_in_every_table(ctx):
    """No table holds an ID number in clear, in any of its delivered or normalized forms: ODS keeps
    SM4 ciphertext (which decrypts back to what was delivered), the records and golden records keep
    join tokens, and the checks were taken from the plaintext at ingest."""
    from lingshu.govern.er import evaluate

    delivered = evaluate.synth_inputs(ctx.world, "person")
    ctx.engine.con.register("delivered_ids", delivered.select(["id_no"]))
    ids = ctx.engine.query("""SELECT DISTINCT v FROM (SELECT trim(id_no) AS v FROM delivered_ids
        UNION ALL SELECT id_normalize(id_no) FROM delivered_ids) WHERE v IS NOT NULL AND length(v) >= 15""")
    assert ids.num_rows > 1000
    ctx.engine.con.register("clear_ids", ids)
    columns = ctx.engine.query("""SELECT table_schema, table_name, column_name FROM information_schema.columns
        WHERE data_type = 'VARCHAR' AND table_schema NOT IN ('main', 'information_schema')""").to_pylist()
    assert len(columns) > 100
    leaks = {f"{c['table_schema']}.{c['table_name']}.{c['column_name']}": n for c in columns
             if (n := ctx.engine.scalar(f'SELECT count(*) FROM "{c["table_schema"]}"."{c["table_name"]}" AS t '
                                        f'JOIN clear_ids AS i ON t."{c["column_name"]}" = i.v'))}
    assert leaks == {}
    # The sealed column comes back by key (for callers holding decrypt), and the tokens match across sources.
    sealed = ctx.engine.query("SELECT record_id, id_number FROM ods.np_ga_population ORDER BY record_id LIMIT 50")
    clear = ctx.vault.cipher("ods.np_ga_population", "id_number").decrypt(sealed["id_number"]).to_pylist()
    by_record = {r["record_id"]: r["id_no"] for r in delivered.to_pylist() if r["source"] == "ga_population"}
    assert clear == [by_record[r] for r in sealed["record_id"].to_pylist()]
    # The talent library publishes each person's ID re-sealed for itself: the ID of the record its
    # golden token came from, opened with the library's own key and binding.
    library = ctx.engine.query("SELECT id_token_src, id_number FROM ads.tl_talent_library ORDER BY master_id LIMIT 50")
    opened = ctx.vault.cipher("ads.tl_talent_library", "id_number").decrypt(library["id_number"]).to_pylist()
    talent = {f"rc_talent:{r['record_id']}": r["id_no"] for r in delivered.to_pylist() if r["source"] == "rc_talent"}
    assert opened == [talent[k] for k in library["id_token_src"].to_pylist()] and len(opened) == 50
    shared = ctx.engine.scalar("""SELECT count(*) FROM dwd.tl_talent_golden t
        JOIN dwd.np_person_golden p ON p.id_token = t.id_token""")
    assert shared > 0  # talents are residents too: the same person, the same token, in both libraries

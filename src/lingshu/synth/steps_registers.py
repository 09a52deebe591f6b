"""Steps for the registers: enterprises and natural persons."""

from __future__ import annotations

import numpy as np

from lingshu.synth import enterprises as ent
from lingshu.synth import persons as per
from lingshu.synth.context import Context
from lingshu.synth.generator import step

PRIVATE = ["town_index"]


@step("enterprises")
def enterprises(ctx: Context) -> None:
    ents = ent.build_enterprises(ctx.cfg, ctx.world["addresses"])
    ctx.world["enterprises"] = ents
    ctx.to_db("scjg_enterprise", ent.scjg_source(ctx.cfg, ents, ctx.gt), "市场监管局 企业登记信息")
    ctx.sink.write(ent.sw_source(ctx.cfg, ents, ctx.gt), "sources/csv/税务_纳税人登记信息.csv", "csv_gbk",
                   table="sw_taxpayer", description="税务局 纳税人登记信息 (GBK)")


@step("persons")
def persons(ctx: Context) -> None:
    people = per.build_persons(ctx.cfg, ctx.world["addresses"])
    ctx.world["persons"] = people
    ctx.to_db("ga_population", per.ga_source(ctx.cfg, people, ctx.gt), "公安 实有人口")
    ctx.to_http("sq_resident", per.sq_source(ctx.cfg, people, ctx.world["addresses"], ctx.gt), "社区 居住登记")


@step("employment")
def employment(ctx: Context) -> None:
    from lingshu.synth import employment as emp

    cfg, people, ents = ctx.cfg, ctx.world["persons"], ctx.world["enterprises"]
    sp = emp.build_spells(cfg, people, ents)
    ctx.world["spells"] = sp
    ctx.sink.write(emp.employment_source(cfg, sp, people, ents, ctx.gt), "sources/csv/人社_劳动用工备案.csv", "csv_utf8",
                   table="rs_employment", description="人社局 劳动用工备案 (入职/离职)")
    writers = {}
    months = np.datetime_as_string(np.datetime64(cfg.start_date, "M") + np.arange(cfg.months), unit="M")
    for m, batch in emp.social_insurance_batches(cfg, sp, people, ents):
        if m not in writers:
            ym = months[m].replace("-", "")
            writers[m] = ctx.sink.stream(f"sources/csv/社保缴费/社保缴费_{ym}.csv", "csv_utf8", table="si_monthly",
                                         description=f"社保 月度缴费明细 {ym}")
        writers[m].write(batch)
    for m in sorted(writers):
        writers[m].close()
    talent = emp.talent_source(cfg, sp, people, ents, ctx.gt)
    if cfg.excel:
        ctx.sink.write(talent, "sources/excel/人才库_人才信息台账.xlsx", "excel", table="rc_talent",
                       description="人才库 人才信息台账", title="临港新片区人才信息台账", unit="临港新片区人才服务中心")
    else:
        ctx.sink.write(talent, "sources/csv/人才库_人才信息台账.csv", "csv_utf8", table="rc_talent",
                       description="人才库 人才信息台账")

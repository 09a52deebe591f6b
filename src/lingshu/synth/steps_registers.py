"""Steps for the registers: enterprises and natural persons."""

from __future__ import annotations

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

"""Steps for city operations, services, road maintenance and policies."""

from __future__ import annotations

from lingshu.synth import facilities as fac
from lingshu.synth import hotline as hl
from lingshu.synth import policies as pol
from lingshu.synth import services as svc
from lingshu.synth.context import Context
from lingshu.synth.generator import step


@step("city_operations")
def city_operations(ctx: Context) -> None:
    addr = ctx.world["addresses"]
    ctx.sink.write(hl.build_hotline(ctx.cfg, addr, ctx.gt), "sources/csv/12345_市民热线工单.csv", "csv_gbk",
                   table="rx_12345", description="12345 市民服务热线工单 (GBK)")
    ctx.to_http("wg_events", hl.build_grid_events(ctx.cfg, ctx.world["geo"], addr, ctx.gt), "网格化管理 事件")
    ctx.sink.write(hl.build_sensor_alarms(ctx.cfg, addr), "sources/csv/物联感知_告警.csv", "csv_utf8",
                   table="iot_alarms", description="物联感知设备告警")


@step("services")
def services(ctx: Context) -> None:
    cases, steps = svc.build_services(ctx.cfg, ctx.world["enterprises"], ctx.world["persons"])
    ctx.to_db("zw_cases", cases, "政务服务 办件")
    ctx.to_db("zw_case_steps", steps, "政务服务 办件环节")


@step("road_maintenance")
def road_maintenance(ctx: Context) -> None:
    net = ctx.world["net"]
    ctx.sink.write(fac.build_facilities(ctx.cfg, net.segments), "sources/csv/养护_道路附属设施.csv", "csv_gbk",
                   table="yh_facilities", description="道路附属设施 (路灯/井盖/标志/护栏)")
    ins, dis, orders = fac.build_inspections(ctx.cfg, net.segments, net.roads)
    ctx.to_db("yh_inspection", ins, "养护 巡查检测记录")
    ctx.to_db("yh_distress", dis, "养护 路面病害记录")
    ctx.sink.write(orders, "sources/csv/养护_维修工单.csv", "csv_utf8", table="yh_orders", description="养护 维修工单")


@step("policies")
def policies(ctx: Context) -> None:
    docs, index, measures, conditions = pol.build_policies(ctx.cfg)
    for i, doc in enumerate(docs):
        # Alternate formats, as collected from different sites: plain text and HTML pages.
        if i % 2 == 0:
            ctx.sink.text(doc["text"] + "\n", f"sources/docs/{doc['policy_id']}.txt", table="zc_documents")
        else:
            ctx.sink.text(pol.to_html(doc), f"sources/docs/{doc['policy_id']}.html", table="zc_documents")
    ctx.to_http("zc_policy_index", index, "政策文件目录")
    ctx.sink.write(measures, "ground_truth/policy_measures.parquet", "parquet", table="policy_measures",
                   role="ground_truth", description="政策支持措施 (金额/比例) 解析真值")
    ctx.sink.write(conditions, "ground_truth/policy_conditions.parquet", "parquet", table="policy_conditions",
                   role="ground_truth", description="政策申报条件 解析真值")

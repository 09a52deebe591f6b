"""Steps for transport: calendar, floating-car speeds, passenger counts."""

from __future__ import annotations

from lingshu.synth import passenger, traffic
from lingshu.synth.calendar import build_calendar
from lingshu.synth.context import Context
from lingshu.synth.generator import step


@step("calendar")
def calendar(ctx: Context) -> None:
    cal = build_calendar(ctx.cfg)
    ctx.world["calendar"] = cal
    ctx.sink.write(cal[["date", "weather"]].rename(columns={"date": "日期", "weather": "天气"}),
                   "sources/csv/气象_逐日天气.csv", "csv_utf8", table="qx_weather", description="气象 逐日天气")
    ev = cal[cal["event"] != ""][["date", "event", "event_area_id"]]
    ctx.sink.write(ev.rename(columns={"date": "活动日期", "event": "活动名称", "event_area_id": "区域编号"}),
                   "sources/csv/文旅_大型活动.csv", "csv_utf8", table="wl_events", description="文旅 大型活动备案")


@step("traffic")
def floating_car(ctx: Context) -> None:
    segs = traffic.covered_segments(ctx.cfg, ctx.world["net"].segments)
    for day, table in traffic.speed_days(ctx.cfg, segs, ctx.world["calendar"], ctx.world["geo"]):
        with ctx.sink.stream(f"sources/csv/浮动车/fcd_{day:%Y%m%d}.csv", "csv_utf8", table="fcd_speed",
                             description="浮动车 路段5分钟平均速度") as w:
            w.write(table)


@step("passenger")
def passenger_flow(ctx: Context) -> None:
    flow, origin = passenger.build_passenger(ctx.cfg, ctx.world["geo"], ctx.world["calendar"])
    ctx.to_http("kl_passenger_flow", flow, "重点区域 15分钟客流 (进/出)")
    history = passenger.build_passenger_last_year(ctx.cfg, ctx.world["geo"])
    ctx.to_http("kl_passenger_flow_history", history, "重点区域 15分钟客流 历史库 (上年同一节日)")
    ctx.sink.write(origin, "sources/csv/客流_来源地.csv", "csv_utf8", table="kl_visitor_origin",
                   description="重点区域 每日游客来源地 (手机信令)")

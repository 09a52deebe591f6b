"""Steps for urban governance: cameras, projects (three libraries), green buildings."""

from __future__ import annotations

from lingshu.synth import cameras as cam
from lingshu.synth import projects as prj
from lingshu.synth.context import Context
from lingshu.synth.generator import step


def _excel_or_csv(ctx: Context, df, name: str, table: str, description: str, title: str, unit: str) -> None:
    if ctx.cfg.excel:
        ctx.sink.write(df, f"sources/excel/{name}.xlsx", "excel", table=table, description=description, title=title, unit=unit)
    else:
        ctx.sink.write(df, f"sources/csv/{name}.csv", "csv_utf8", table=table, description=description)


@step("cameras")
def cameras(ctx: Context) -> None:
    cams = cam.build_cameras(ctx.cfg, ctx.world["geo"], ctx.world["net"].segments, ctx.world["addresses"])
    ctx.world["cameras"] = cams
    _excel_or_csv(ctx, cam.ledger_source(ctx.cfg, cams, ctx.gt), "公安_视频监控设备台账", "sp_camera_ledger",
                  "视频设备 一机一档台账", "临港新片区视频监控设备台账", "临港新片区城运中心")
    ctx.to_http("sp_camera_status", cam.status_source(ctx.cfg, cams), "视频平台 设备在线状态")


@step("projects")
def projects(ctx: Context) -> None:
    p = prj.build_projects(ctx.cfg, ctx.world["geo"], ctx.world["enterprises"])
    ctx.world["projects"] = p
    _excel_or_csv(ctx, prj.xmk_source(ctx.cfg, p, ctx.gt), "发改_项目库", "xmk_project", "项目库 (投资项目)",
                  "临港新片区投资项目库", "临港新片区管委会经济发展处")
    ctx.to_db("jgk_supervision", prj.jgk_source(ctx.cfg, p, ctx.gt), "住建 工程监管库")
    ctx.to_http("bjk_cases", prj.bjk_source(ctx.cfg, p, ctx.gt), "一网通办 工程建设办件库")
    _excel_or_csv(ctx, prj.green_source(ctx.cfg, p), "住建_绿色建筑标识项目", "green_building", "绿色建筑标识项目",
                  "临港新片区绿色建筑标识项目清单", "临港新片区建设和交通处")

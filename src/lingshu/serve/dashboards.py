"""Dashboards over HTTP: page descriptions, chart data, filter options, xlsx export, the basemap,
and the HTML pages (office view ``/dashboards/<pack>/<id>``, big screen ``/screen/<pack>/<id>``).

The browser keeps the view state (filters, cross-filter, drill paths, table pages) and sends it
as JSON in ``state``; the service authorises, audits and answers. No business logic here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from lingshu.core.context import Context
from lingshu.dashboards.basemap import lingang_basemap
from lingshu.dashboards.service import DashboardService, ViewState
from lingshu.security.accounts import Principal
from lingshu.serve.auth import require
from lingshu.serve.web import page_principal, render, to_login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def service(ctx: Context) -> DashboardService:
    """One service per Context (dashboard files are parsed once per server)."""
    svc = ctx.__dict__.get("_dashboard_service")
    if svc is None:
        svc = ctx.__dict__["_dashboard_service"] = DashboardService(ctx)
    return svc


def router(ctx: Context) -> APIRouter:
    r = APIRouter(tags=["看板 dashboards"])
    current = require(ctx)
    svc = service(ctx)

    @r.get("/api/v1/dashboards", summary="看板清单 Dashboards")
    def catalog(principal: Principal = Depends(current)) -> dict[str, Any]:
        return {"dashboards": svc.catalog()}

    @r.get("/api/v1/dashboards/{pack}/{dashboard}", summary="看板布局 Dashboard layout")
    def describe(pack: str, dashboard: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        return svc.describe(svc.get(pack, dashboard))

    @r.get("/api/v1/dashboards/{pack}/{dashboard}/data", summary="看板数据 Chart data")
    def data(pack: str, dashboard: str, state: str | None = Query(None, description="view state JSON"),
             charts: str | None = Query(None, description="chart ids, comma separated (default: all)"),
             principal: Principal = Depends(current)) -> dict[str, Any]:
        ids = [c for c in (charts or "").split(",") if c] or None
        return svc.data(principal, svc.get(pack, dashboard), ViewState.parse(state), ids)

    @r.get("/api/v1/dashboards/{pack}/{dashboard}/filters/{filter_id}/options", summary="筛选项 Filter options")
    def options(pack: str, dashboard: str, filter_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        dash = svc.get(pack, dashboard)
        values = svc.filter_options(principal, dash, filter_id)
        ctx.security.audit.record(principal.username, "dashboard.filter_options", f"dashboard:{dash.key}",
                                  filter=filter_id, values=len(values))
        return {"filter": filter_id, "options": values}

    @r.get("/api/v1/dashboards/{pack}/{dashboard}/charts/{chart}/export.xlsx", summary="导出 Excel")
    def export(pack: str, dashboard: str, chart: str, state: str | None = Query(None),
               principal: Principal = Depends(current)) -> Response:
        dash = svc.get(pack, dashboard)
        content = svc.export_xlsx(principal, dash, chart, ViewState.parse(state))
        name = quote(f"{dash.spec.title}-{dash.spec.chart(chart).title or chart}.xlsx")
        return Response(content, media_type=XLSX,
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})

    @r.get("/api/v1/geo/basemap.geojson", summary="临港底图 Lingang basemap (synthetic)")
    def basemap(principal: Principal = Depends(current)) -> dict[str, Any]:
        return lingang_basemap()

    @r.get("/dashboards/{pack}/{dashboard}", response_class=HTMLResponse, include_in_schema=False)
    def page(pack: str, dashboard: str, request: Request) -> Response:
        principal = page_principal(ctx, request)
        if principal is None:
            return to_login(request)
        dash = svc.get(pack, dashboard)
        return render(request, "dashboard.html", principal, dash=dash, screen=False, keys=[dash.key], interval=0)

    @r.get("/screen/{pack}/{dashboard}", response_class=HTMLResponse, include_in_schema=False)
    def screen(pack: str, dashboard: str, request: Request,
               carousel: str | None = Query(None, description="more dashboards to rotate: a,b or pack/a,pack/b"),
               every: int = Query(30, ge=5, le=3600, description="seconds per dashboard in the carousel")) -> Response:
        principal = page_principal(ctx, request)
        if principal is None:
            return to_login(request)
        dash = svc.get(pack, dashboard)
        keys = [dash.key]
        for item in (carousel or "").split(","):
            item = item.strip()
            if item:
                other = svc.get(*item.split("/", 1)) if "/" in item else svc.get(pack, item)
                if other.key not in keys:
                    keys.append(other.key)
        return render(request, "dashboard.html", principal, dash=dash, screen=True, keys=keys, interval=every)

    return r

"""``/api/v1/indicators``: the indicator catalog and queries, with the definition in every answer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from lingshu.core.context import Context
from lingshu.datasets.errors import NotPublished
from lingshu.indicators.spec import IndicatorQuery
from lingshu.security.accounts import AccessDenied, Principal
from lingshu.serve.auth import require
from lingshu.serve.jsonbody import json_response
from lingshu.serve.limits import rate_limited


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/api/v1/indicators", tags=["指标 indicators"])
    current = rate_limited(ctx, require(ctx))

    def _allowed(principal: Principal, key: str) -> bool:
        try:
            ctx.security.grants.decide(principal, f"indicator:{key}", "read")
            return True
        except AccessDenied:
            return False

    @r.get("", summary="指标清单 Indicator catalog")
    def catalog(principal: Principal = Depends(current)) -> dict[str, Any]:
        return {"indicators": [row for row in ctx.indicators.catalog() if _allowed(principal, row["key"])]}

    @r.get("/{indicator}", summary="查询指标 Query an indicator", response_model=dict[str, Any])
    def query(
        indicator: str,
        by: list[str] = Query([], description="维度 dimensions, repeatable"),
        grain: str | None = Query(None, description="15min|hour|day|week|month|quarter|year"),
        start: str | None = Query(None, alias="from", description="开始（含）start, inclusive, ISO"),
        end: str | None = Query(None, alias="to", description="结束（不含）end, exclusive, ISO"),
        where: list[str] = Query([], description="维度筛选 DIMENSION=VALUE (a,b for several)"),
        principal: Principal = Depends(current),
    ) -> Response:
        key, pack_id, _ = ctx.indicators.resolve(indicator)
        if ctx.workspace.config.mode == "production":
            status = ctx.security.approvals.status(pack_id, ctx.catalog.get(pack_id).root)
            if status != "approved":
                raise NotPublished(f"指标所属场景包 {pack_id} 未通过安全审核 ({status}) / pack not reviewed",
                                   hint=f"lingshu approve request {pack_id}, then a reviewer approves it")
        try:
            ctx.security.grants.decide(principal, f"indicator:{key}", "read")
        except AccessDenied:
            ctx.security.audit.record(principal.username, "indicator.read", f"indicator:{key}", outcome="denied")
            raise
        filters: dict[str, object] = {}
        for item in where:
            name, _, value = item.partition("=")
            filters[name] = value.split(",") if "," in value else value
        result = ctx.indicators.query(IndicatorQuery.model_validate({
            "indicator": key, "dimensions": by, "grain": grain, "start": start, "end": end, "filters": filters}))
        ctx.security.audit.record(principal.username, "indicator.read", f"indicator:{key}",
                                  by=by, grain=grain, rows=result.table.num_rows)
        return json_response({**result.meta(), "rows": result.table.to_pylist()})

    return r

"""``/api/v1/datasets``: metadata, filtered keyset-paged rows and streaming exports (数据集接口)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from lingshu.core.context import Context
from lingshu.datasets.service import DatasetService
from lingshu.security.accounts import Principal
from lingshu.serve.auth import require
from lingshu.serve.jsonbody import json_response
from lingshu.serve.limits import rate_limited

FILTER_HELP = ("筛选：字段=运算符.值，运算符 eq ne gt gte lt lte in between like is；"
               "filters: column=op.value, e.g. town=eq.泥城镇, amount=gte.10, town=in.泥城镇,书院镇")
PAGE_THREADS = 4  # see page_pool


def page_pool(ctx: Context, size: int = PAGE_THREADS) -> ThreadPoolExecutor:
    """The fixed threads that answer row pages.

    DuckDB reader cursors are per thread, and a new one installs the SQL function sets (30-60 ms
    of CPU). FastAPI's own pool grows to 40 threads under load and retires a thread after 10 idle
    seconds, so a burst of clients paid that again and again; these threads live as long as the
    server. A few are enough: with one DuckDB thread per query the work is CPU-bound on two
    cores, and requests beyond the pool wait in line instead of sharing the GIL 32 ways. With 32
    clients on the benchmark's million rows (alternating runs, load 10-15), pages on FastAPI's
    pool had a p99 of 1.6-1.8 s at 116-132 requests/s, on four fixed threads 0.26-0.40 s at
    177-213; two or eight threads were no better (docs/benchmark-notes.md).
    """
    def open_cursor() -> None:
        # Each thread opens its cursor as it starts (the engine itself opens at the first page).
        try:
            ctx.engine.reader().con
        except Exception:  # noqa: BLE001 - a failed initializer breaks the pool for good; the page's
            pass  # own query opens the cursor again and answers with the error instead

    return ThreadPoolExecutor(size, thread_name_prefix="lingshu-page", initializer=open_cursor)


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/api/v1/datasets", tags=["数据集 datasets"])
    service = DatasetService(ctx)
    current = rate_limited(ctx, require(ctx))
    pages = page_pool(ctx)
    # At shutdown, pages already started finish (with their audit records) before the process ends.
    r.add_event_handler("shutdown", lambda: pages.shutdown(wait=True))

    def page(principal: Principal, dataset_id: str, params: list[tuple[str, str]]) -> Response:
        _, result = service.rows(principal, dataset_id, params)
        return json_response({"columns": result.columns, "rows": result.table.to_pylist(), "masked": result.masked,
                              "next": result.next_cursor, "total": result.total})

    @r.get("", summary="可访问的数据集 Datasets the caller may read")
    def list_datasets(principal: Principal = Depends(current)) -> dict[str, Any]:
        return {"datasets": service.list(principal)}

    @r.get("/{dataset_id}", summary="数据集元数据与字段 Dataset metadata and schema")
    def describe(dataset_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        return service.describe(principal, dataset_id)

    @r.get("/{dataset_id}/rows", summary="查询数据 Query rows", description=FILTER_HELP, response_model=dict[str, Any])
    async def rows(
        dataset_id: str,
        request: Request,
        select: str | None = Query(None, description="返回字段，逗号分隔 columns to return"),
        order: str | None = Query(None, description="排序，-表示降序 sort, '-' for descending"),
        limit: int = Query(100, ge=1, le=10_000, description="每页条数 page size"),
        after: str | None = Query(None, description="下一页游标 cursor from the previous page"),
        count: bool = Query(False, description="返回总数 include the total count"),
        bbox: str | None = Query(None, description="空间范围 minx,miny,maxx,maxy (WGS-84)"),
        near: str | None = Query(None, description="周边 lng,lat,meters"),
        principal: Principal = Depends(current),
    ) -> Response:
        # Once started, a page runs to its end (and its audit record) even if the client goes away.
        params = list(request.query_params.multi_items())
        return await asyncio.get_running_loop().run_in_executor(pages, page, principal, dataset_id, params)

    @r.get("/{dataset_id}/export", summary="导出 Export (csv, csv-gbk, xlsx, geojson)", description=FILTER_HELP)
    def export(
        dataset_id: str,
        request: Request,
        format: str = Query("csv", description="csv | csv-gbk | xlsx | geojson"),
        principal: Principal = Depends(current),
    ) -> StreamingResponse:
        params = [p for p in request.query_params.multi_items() if p[0] != "format"]
        exporter, body = service.export(principal, dataset_id, params, format)
        filename = quote(f"{dataset_id}.{exporter.extension}")
        return StreamingResponse(body, media_type=exporter.media_type,
                                 headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"})

    return r

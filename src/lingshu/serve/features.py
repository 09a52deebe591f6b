"""``/api/v1/features``: spatial datasets as an OGC API - Features style service (要素服务).

Collections are the published datasets with a geometry column; items come back as GeoJSON with
bbox, limit/offset paging and property selection. Grants apply as everywhere: a consumer sees
only its granted fields and extent (最小化共享).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from lingshu.core.context import Context
from lingshu.datasets.errors import DatasetError
from lingshu.datasets.service import DatasetService
from lingshu.security.accounts import Principal
from lingshu.serve.auth import require
from lingshu.serve.jsonbody import json_response
from lingshu.serve.limits import rate_limited

GEOJSON = "application/geo+json"


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/api/v1/features", tags=["空间要素 features"])
    service = DatasetService(ctx)
    current = rate_limited(ctx, require(ctx))

    def _collection(dataset_id: str, base: str) -> dict[str, Any]:
        d = service.catalog.get(dataset_id)
        return {"id": d.id, "title": d.title, "description": d.description, "itemType": "feature",
                "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
                "links": [{"rel": "items", "type": GEOJSON, "href": f"{base}/collections/{d.id}/items"}]}

    @r.get("", summary="服务说明 Landing page")
    def landing(request: Request) -> dict[str, Any]:
        base = str(request.url).rstrip("/")
        return {"title": "临数空间要素服务 Lingshu features",
                "links": [{"rel": "data", "href": f"{base}/collections"},
                          {"rel": "conformance", "href": f"{base}/conformance"}]}

    @r.get("/conformance", summary="符合的规范 Conformance")
    def conformance() -> dict[str, Any]:
        return {"conformsTo": ["http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                               "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"]}

    @r.get("/collections", summary="图层列表 Collections")
    def collections(request: Request, principal: Principal = Depends(current)) -> dict[str, Any]:
        base = str(request.url).rsplit("/collections", 1)[0]
        spatial = [d["id"] for d in service.list(principal) if d["spatial"]]
        return {"collections": [_collection(i, base) for i in spatial]}

    @r.get("/collections/{dataset_id}", summary="图层说明 Collection")
    def collection(dataset_id: str, request: Request, principal: Principal = Depends(current)) -> dict[str, Any]:
        service.describe(principal, dataset_id)  # authorises (and audits a denial)
        return _collection(dataset_id, str(request.url).rsplit("/collections", 1)[0])

    @r.get("/collections/{dataset_id}/items", summary="要素 Items (GeoJSON)")
    def items(
        dataset_id: str,
        bbox: str | None = Query(None, description="minx,miny,maxx,maxy (CRS84)"),
        limit: int = Query(100, ge=1, le=10_000),
        offset: int = Query(0, ge=0, le=1_000_000),
        properties: str | None = Query(None, description="返回的属性 properties to return, comma-separated"),
        principal: Principal = Depends(current),
    ) -> Response:
        dataset = service.catalog.get(dataset_id)
        geom = dataset.geometry
        if geom is None:
            raise DatasetError(f"{dataset_id} 不是空间数据集 is not spatial", hint="GET /api/v1/features/collections")
        params: list[tuple[str, str]] = [("limit", str(limit + offset))]
        if bbox:
            params.append(("bbox", bbox))
        if properties:
            params.append(("select", ",".join([*properties.split(","), geom.name])))
        _, result = service.rows(principal, dataset_id, params, geometry="geojson")
        rows = result.table.slice(offset).to_pylist()
        features = []
        for row in rows:
            shape = row.pop(geom.name, None)
            features.append({"type": "Feature", "geometry": json.loads(shape) if shape else None,
                             "properties": row})
        body = {"type": "FeatureCollection", "features": features, "numberReturned": len(features)}
        return json_response(body, media_type=GEOJSON)

    return r

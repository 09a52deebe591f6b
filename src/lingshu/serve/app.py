"""The app factory. Routers register by name; each is a factory ``(ctx) -> APIRouter``.

Routers hold no business logic: they translate HTTP to Context calls and back.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRouter
from pydantic import ValidationError

from lingshu import __version__
from lingshu.core.context import Context
from lingshu.core.errors import LingshuError
from lingshu.core.registry import Registry

# name -> "module:factory"; imported when the app is built.
ROUTERS: Registry[str] = Registry("router")
ROUTERS.add("health", "lingshu.serve.health:router")
ROUTERS.add("auth", "lingshu.serve.auth:router")
ROUTERS.add("datasets", "lingshu.serve.datasets:router")
ROUTERS.add("actions", "lingshu.serve.actions:router")
ROUTERS.add("features", "lingshu.serve.features:router")
ROUTERS.add("indicators", "lingshu.serve.indicators:router")
ROUTERS.add("dashboards", "lingshu.serve.dashboards:router")  # 看板 API and pages
ROUTERS.add("console", "lingshu.serve.console:router")  # 控制台 pages and /static
ROUTERS.add("ops", "lingshu.serve.ops:router")  # 运维: incidents, alerts, notifications

WEB_DIST = Path(__file__).resolve().parents[1] / "web" / "dist"


def create_app(ctx: Context) -> FastAPI:
    app = FastAPI(
        title="临数 Lingshu 数据服务 API",
        version=__version__,
        description="临港新片区数据局数据服务接口。Dataset, indicator and feature APIs of the Lingshu platform.",
        # FastAPI's default explorer pages load their scripts from a CDN; the intranet has none.
        docs_url=None,
        redoc_url=None,
    )
    app.state.ctx = ctx

    @app.exception_handler(LingshuError)
    async def _user_error(request: Request, exc: LingshuError) -> JSONResponse:
        # A user error is a 400 with the message and the fix, never a 500 with a traceback.
        headers = {"Retry-After": "1"} if getattr(exc, "http_status", 400) == 429 else None
        return JSONResponse(status_code=getattr(exc, "http_status", 400), headers=headers,
                            content={"error": exc.message, "hint": exc.hint, "kind": type(exc).__name__})

    @app.exception_handler(ValidationError)
    async def _bad_value(request: Request, exc: ValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return JSONResponse(status_code=400, content={"error": f"参数错误 invalid parameter: {problems}",
                                                      "hint": "check the parameter values", "kind": "ValidationError"})

    @app.get("/docs", include_in_schema=False)
    def api_explorer() -> HTMLResponse:
        # Swagger UI from the npm registry, built into web/dist at setup and served locally.
        return get_swagger_ui_html(openapi_url="/openapi.json", title="临数 数据服务接口 API",
                                   swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")

    for _, target in ROUTERS.items():
        module, attr = target.split(":")
        factory: Callable[[Context], APIRouter] = getattr(importlib.import_module(module), attr)
        app.include_router(factory(ctx))
    return app

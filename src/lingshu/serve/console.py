"""The console (控制台), in Simplified Chinese: sign-in, home, packs, dashboards, datasets, quality,
operations and security pages, plus the built front-end assets under ``/static``.

Pages read through the Context (state store, catalog, indicator service, security); each page
view is audited, data pages are authorised through grants, and the security pages need the
platform permission of their duty (三员分立).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lingshu.core.context import Context
from lingshu.core.errors import LingshuError
from lingshu.core.registry import Registry
from lingshu.dashboards.data import DatasetReader
from lingshu.pack.loader import Pack
from lingshu.security.accounts import Principal
from lingshu.security.roles import PERMISSIONS
from lingshu.serve.dashboards import service as dashboard_service
from lingshu.serve.web import TEMPLATES, page_principal, render, roles_text, static_file, to_login

SHANGHAI = ZoneInfo("Asia/Shanghai")
STATUS_TEXT = {"success": "成功", "failed": "失败", "running": "运行中", "skipped": "跳过", "passed": "通过",
               "warning": "警告", "denied": "拒绝", "allowed": "允许"}
LAYER_TEXT = {"ods": "贴源层 ODS", "dwd": "明细层 DWD", "dws": "汇总层 DWS", "ads": "应用层 ADS"}
PREVIEW_ROWS = 50
QUALITY_MISSING = "质量规则模块（govern/quality）尚未提供结果：运行场景包的质量检查后，这里显示评分。"


def _dt(value: Any) -> str:
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)  # the state store keeps UTC
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return _dt(value)
    return str(value)


TEMPLATES.env.filters["dt"] = _dt
TEMPLATES.env.filters["cell"] = _cell


# -- optional neighbours: quality results and the scheduler's cron are other packages' work ----
def quality_score(ctx: Context, pack: Pack) -> float | None:
    """Mean of the latest quality score of each of the pack's tables, if quality checks ran."""
    try:
        from lingshu.govern.quality.results import history
    except ImportError:
        return None
    scores = []
    for table in pack.produces():
        try:
            latest = history(ctx.state, table, 1)
        except Exception:  # noqa: BLE001 - an older state store without the quality tables
            return None
        if latest and latest[-1].get("score") is not None:
            scores.append(float(latest[-1]["score"]))
    return round(sum(scores) / len(scores), 1) if scores else None


def next_run(pack: Pack) -> dt.datetime | None:
    if pack.spec.schedule is None:
        return None
    try:
        from lingshu.ops.cron import Cron
    except ImportError:
        return None
    try:
        return Cron.parse(pack.spec.schedule.cron, pack.spec.schedule.timezone).next_after(dt.datetime.now(dt.UTC))
    except LingshuError:
        return None


# -- security sections: key -> (title, permission, rows, columns) ------------------------------
Section = tuple[str, str, Callable[[Context], list[dict[str, Any]]], list[tuple[str, str]]]
SECTIONS: Registry[Section] = Registry("security page")
SECTIONS.add("users", ("用户", "user.manage", lambda c: c.security.accounts.list_users(),
                       [("username", "用户名"), ("display_name", "姓名"), ("department", "部门"), ("roles", "角色"),
                        ("active", "启用")]))
SECTIONS.add("keys", ("接口密钥", "user.manage", lambda c: c.security.accounts.list_keys(),
                      [("prefix", "前缀"), ("username", "用户"), ("label", "用途"), ("created_at", "创建"),
                       ("expires_at", "到期"), ("revoked_at", "吊销"), ("last_used_at", "最近使用")]))
SECTIONS.add("grants", ("数据授权", "grant.manage", lambda c: c.security.grants.list(),
                        [("id", "编号"), ("subject", "授权对象"), ("resource", "资源"), ("actions", "操作"),
                         ("columns", "可见字段"), ("row_filter", "行过滤"), ("extent", "空间范围"),
                         ("granted_by", "授权人"), ("created_at", "时间")]))
SECTIONS.add("approvals", ("上线审批", "pack.approve", lambda c: c.security.approvals.list(),
                           [("id", "编号"), ("pack", "场景包"), ("status", "状态"), ("requested_by", "申请人"),
                            ("reviewer", "审核人"), ("comment", "意见"), ("requested_at", "申请时间")]))
SECTIONS.add("audit", ("审计日志", "audit.read", lambda c: c.security.audit.list(limit=200),
                       [("id", "编号"), ("ts", "时间"), ("actor", "操作人"), ("action", "操作"), ("resource", "资源"),
                        ("outcome", "结果"), ("detail", "详情")]))


def router(ctx: Context) -> APIRouter:
    r = APIRouter(include_in_schema=False)
    reader = DatasetReader(ctx)

    def page(request: Request, template: str, principal: Principal, **context: Any) -> HTMLResponse:
        ctx.security.audit.record(principal.username, "console.view", request.url.path)
        return render(request, template, principal, roles_text=roles_text(principal), status_text=STATUS_TEXT,
                      **context)

    def signed_in(request: Request) -> Principal | None:
        return page_principal(ctx, request)

    @r.get("/static/{path:path}")
    def static(path: str) -> Response:
        return static_file(path)

    @r.get("/login", response_class=HTMLResponse)
    def login(request: Request) -> HTMLResponse:
        return render(request, "login.html", None, roles_text="", status_text=STATUS_TEXT)

    @r.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        principal = signed_in(request)
        if principal is None:
            return to_login(request)
        dashboards = dashboard_service(ctx).catalog()
        cards = []
        for pack in sorted(ctx.catalog.packs.values(), key=lambda p: (p.spec.domain.value, p.id)):
            runs = ctx.state.list_runs(pack.id, limit=1)
            cards.append({"id": pack.id, "name": pack.spec.name, "version": pack.spec.version,
                          "department": pack.spec.department, "last": runs[0] if runs else None,
                          "quality": quality_score(ctx, pack), "next_run": next_run(pack),
                          "dashboards": [d for d in dashboards if d["pack"] == pack.id]})
        note = QUALITY_MISSING if all(c["quality"] is None for c in cards) else ""
        return page(request, "home.html", principal, cards=cards, quality_note=note)

    @r.get("/packs/{pack_id}", response_class=HTMLResponse)
    def pack_page(pack_id: str, request: Request) -> Response:
        principal = signed_in(request)
        if principal is None:
            return to_login(request)
        pack = ctx.catalog.get(pack_id)
        dag = ctx.catalog.dag
        own = set(pack.produces())
        models = [{"name": m.name, "title": m.spec.title if m.spec else "", "upstream": sorted(m.refs),
                   "key": m.spec.unique_key if m.spec else []} for m in pack.models]
        # Lineage: the pack's tables and everything upstream of them (other packs' tables shown faded).
        nodes = set(own)
        for table in own:
            nodes |= dag.upstream(table)
        lineage = {"nodes": [{"id": t, "layer": t.split(".")[0] if t in ctx.catalog.producers and not _is_source(ctx, t) else "source",
                              "own": t in own, "title": _title(ctx, t)} for t in sorted(nodes)],
                   "links": [[d, t] for t in sorted(nodes) for d in dag.deps.get(t, []) if d in nodes]}
        runs = ctx.state.list_runs(pack_id, limit=10)
        updates = ctx.state.updates(runs[0]["id"]) if runs else []
        indicators = [i for i in ctx.indicators.catalog() if i["pack"] == pack_id]
        score = quality_score(ctx, pack)
        quality_note = f"最近质量评分：{score}" if score is not None else QUALITY_MISSING
        dashboards = [d for d in dashboard_service(ctx).catalog() if d["pack"] == pack_id]
        return page(request, "pack.html", principal, pack=pack, models=models, lineage=lineage, runs=runs,
                    updates=updates, indicators=indicators, quality_note=quality_note, dashboards=dashboards,
                    docs_note="交付文档（需求确认单、数据模型设计文档、数据指标清单等）由 `lingshu docs` 从场景包与运行记录生成。",
                    docs_link=f"/packs/{pack_id}/docs")

    @r.get("/packs/{pack_id}/docs", response_class=HTMLResponse)
    @r.get("/packs/{pack_id}/docs/{name}")
    def pack_docs(pack_id: str, request: Request, name: str | None = None) -> Response:
        """The pack's generated documents (lingshu docs), for the roles that deliver or accept them."""
        from lingshu.docs.writer import DOCS_PERMISSIONS, document_file, read_manifest

        principal = signed_in(request)
        if principal is None:
            return to_login(request)
        pack = ctx.catalog.get(pack_id)
        if not any(principal.can(p) for p in DOCS_PERMISSIONS):
            ctx.security.audit.record(principal.username, "console.view", request.url.path, outcome="denied")
            return render(request, "docs.html", principal, status_code=403, pack=pack, documents=[],
                          denied=" 或 ".join(DOCS_PERMISSIONS))
        folder = ctx.workspace.folder("docs") / pack_id
        if name is None:
            manifest = read_manifest(folder) or {"documents": []}
            return page(request, "docs.html", principal, pack=pack, documents=manifest["documents"])
        path, media = document_file(folder, name)
        ctx.security.audit.record(principal.username, "docs.download", f"pack:{pack_id}", file=name)
        return Response(path.read_bytes(), media_type=media,
                        headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"})

    @r.get("/dashboards", response_class=HTMLResponse)
    def dashboards(request: Request) -> Response:
        principal = signed_in(request)
        if principal is None:
            return to_login(request)
        return page(request, "dashboards.html", principal, dashboards=dashboard_service(ctx).catalog())

    @r.get("/datasets", response_class=HTMLResponse)
    def datasets(request: Request) -> Response:
        principal = signed_in(request)
        if principal is None:
            return to_login(request)
        return page(request, "datasets.html", principal, tables=reader.tables(), layer_text=LAYER_TEXT)

    @r.get("/datasets/{table}", response_class=HTMLResponse)
    def dataset(table: str, request: Request) -> Response:
        principal = signed_in(request)
        if principal is None:
            return to_login(request)
        try:
            rows = reader.read(principal, table, limit=PREVIEW_ROWS, published_only=False)
        except LingshuError as exc:
            ctx.security.audit.record(principal.username, "dataset.preview", f"dataset:{table}", outcome="denied")
            return page(request, "dataset.html", principal, table=table, limit=PREVIEW_ROWS, error=exc.message,
                        hint=exc.hint)
        ctx.security.audit.record(principal.username, "dataset.preview", f"dataset:{table}", rows=len(rows.rows),
                                  masked=rows.masked)
        return page(request, "dataset.html", principal, table=table, limit=PREVIEW_ROWS, rows=rows)

    @r.get("/security", response_class=HTMLResponse)
    @r.get("/security/{section}", response_class=HTMLResponse)
    def security(request: Request, section: str | None = None) -> Response:
        principal = signed_in(request)
        if principal is None:
            return to_login(request)
        sections = [(k, s[0], s[1]) for k, s in SECTIONS.items()]
        if section is None:
            return page(request, "security.html", principal, sections=sections, section=None)
        title, permission, rows, columns = SECTIONS.get(section)
        if not principal.can(permission):
            ctx.security.audit.record(principal.username, "console.view", request.url.path, outcome="denied")
            return render(request, "security.html", principal, status_code=403, roles_text=roles_text(principal),
                          status_text=STATUS_TEXT, sections=sections, section=section, section_title=title,
                          denied=permission, perm_text=PERMISSIONS.get(permission, ""))
        extra = ""
        if section == "audit":
            extra = ctx.security.audit.verify().describe()
        return page(request, "security.html", principal, sections=sections, section=section, section_title=title,
                    rows=rows(ctx), columns=columns, extra=extra)

    @r.get("/quality", response_class=HTMLResponse)
    def quality(request: Request) -> Response:
        principal = signed_in(request)
        if principal is None:
            return to_login(request)
        if not principal.can("quality.read"):
            return render(request, "simple.html", principal, status_code=403, roles_text=roles_text(principal),
                          title="数据质量", denied="quality.read", blocks=[], notes=[])
        blocks, notes = [], []
        try:
            from lingshu.govern.quality.results import history
        except ImportError:
            history = None
            notes.append(QUALITY_MISSING)
        if history is not None:
            rows = []
            for table, pack in sorted(ctx.catalog.producers.items()):
                try:
                    latest = history(ctx.state, table, 1)
                except Exception:  # noqa: BLE001 - quality tables not migrated yet
                    latest = []
                if latest:
                    q = latest[-1]
                    rows.append({"table": table, "pack": pack.id, "status": STATUS_TEXT.get(q["status"], q["status"]),
                                 "score": q["score"], "rows": q["row_count"], "at": q["started_at"]})
            blocks.append({"title": "各表最近一次质量检查", "rows": rows, "empty": QUALITY_MISSING,
                           "columns": [("table", "表"), ("pack", "场景包"), ("status", "结果"), ("score", "评分"),
                                       ("rows", "行数"), ("at", "检查时间")]})
        return page(request, "simple.html", principal, title="数据质量", blocks=blocks, notes=notes)

    @r.get("/ops", response_class=HTMLResponse)
    def ops(request: Request) -> Response:
        principal = signed_in(request)
        if principal is None:
            return to_login(request)
        if not (principal.can("ops.manage") or principal.can("pack.run")):
            return render(request, "simple.html", principal, status_code=403, roles_text=roles_text(principal),
                          title="运维", denied="ops.manage", blocks=[], notes=[])
        runs = [{**r, "status": STATUS_TEXT.get(r["status"], r["status"])} for r in ctx.state.list_runs(limit=50)]
        blocks = [{"title": "运行记录", "rows": runs,
                   "columns": [("id", "编号"), ("pack", "场景包"), ("kind", "类型"), ("trigger", "触发"), ("user", "执行人"),
                               ("status", "状态"), ("started_at", "开始"), ("ended_at", "结束"), ("error", "错误")]}]
        notes = []
        try:
            from lingshu.ops import Ops

            book = Ops(ctx)
            blocks.append({"title": "故障事件", "rows": book.incidents.list(), "empty": "无故障事件",
                           "columns": [("id", "编号"), ("grade", "等级"), ("status", "状态"), ("title", "标题"),
                                       ("opened_at", "发生时间"), ("resolved_at", "恢复时间")]})
            blocks.append({"title": "告警", "rows": book.alerts.list_alerts(), "empty": "无告警",
                           "columns": [("id", "编号"), ("grade", "等级"), ("subject", "主题"), ("created_at", "时间")]})
        except Exception:  # noqa: BLE001 - the ops package is optional here and still evolving
            notes.append("运维模块（ops）尚未就绪：故障事件与告警将在其完成后显示。")
        return page(request, "simple.html", principal, title="运维", blocks=blocks, notes=notes)

    @r.get("/logout")
    def logout() -> RedirectResponse:
        return RedirectResponse("/login", status_code=303)

    return r


def _is_source(ctx: Context, table: str) -> bool:
    from lingshu.pack.spec import SourceSpec

    return isinstance(ctx.catalog.node(table), SourceSpec) if table in ctx.catalog.producers else True


def _title(ctx: Context, table: str) -> str:
    if table not in ctx.catalog.producers:
        return ""
    node = ctx.catalog.node(table)
    spec = getattr(node, "spec", node)
    return getattr(spec, "title", None) or ""

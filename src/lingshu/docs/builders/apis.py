"""数据接口: 接口文档, generated from the server's own OpenAPI schema and the pack's ``apis``.

The generic endpoints (paths, parameters, descriptions) come from ``create_app(ctx).openapi()``,
so the document lists exactly what the server answers; the pack's part (which datasets and
indicators, their fields, dimensions and grains) comes from the pack and the warehouse.
"""

from __future__ import annotations

from typing import Any

from lingshu.docs.builders.common import num
from lingshu.docs.facts import Facts
from lingshu.docs.model import Code, Document, Fields, Paragraph, Table
from lingshu.docs.registry import document, new_document

SERVICE_PREFIXES = ("/api/v1/datasets", "/api/v1/indicators", "/api/v1/dashboards", "/api/v1/features",
                    "/api/v1/auth")


def openapi(facts: Facts) -> dict[str, Any]:
    cached = facts.__dict__.get("_openapi")
    if cached is None:
        from lingshu.serve.app import create_app

        cached = facts.__dict__["_openapi"] = create_app(facts.ctx).openapi()
    return cached


def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "array":
        return f"{_type(schema.get('items', {}))}[]"
    return str(schema.get("type", ""))


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    ops = []
    for path, methods in sorted(spec.get("paths", {}).items()):
        if path.startswith(SERVICE_PREFIXES):
            for method, op in methods.items():
                ops.append((method.upper(), path, op))
    return ops


def _params(op: dict[str, Any]) -> list[list[Any]]:
    return [[p["name"], {"path": "路径", "query": "查询", "header": "请求头"}.get(p["in"], p["in"]),
             _type(p.get("schema", {})), p.get("required", False),
             p.get("description") or p.get("schema", {}).get("description", "")]
            for p in op.get("parameters", [])]


@document("api_reference", "接口文档", "数据分析", 90)
def api_reference(facts: Facts) -> Document:
    doc = new_document(facts, "api_reference")
    spec = openapi(facts)
    info = spec.get("info", {})
    doc.section("一、通用说明", Fields([
        ("服务名称", info.get("title", "")), ("接口版本", info.get("version", "")), ("OpenAPI", spec.get("openapi", "")),
        ("认证方式", "请求头 Authorization: Bearer <接口密钥>，或 X-API-Key: <接口密钥>；密钥由系统管理员签发"),
        ("授权", "按数据集与指标授权（lingshu grant add），敏感字段对无明文权限者脱敏"),
        ("错误格式", 'JSON：{"error": 错误说明, "hint": 处理建议, "kind": 错误类型}；400 参数错误，401 未认证，403 无授权，429 超过频率'),
    ]))
    pack_sec = doc.section("二、本场景数据接口")
    if not facts.spec.apis:
        pack_sec.add(Paragraph("本场景包未发布数据集接口（pack.yaml 的 apis 为空）。", note=True))
    for table in facts.spec.apis:
        t = facts.table(table)
        sec = pack_sec.sub(f"数据集 {table} {t.title if t else ''}".strip())
        sec.add(Fields([("元数据", f"GET /api/v1/datasets/{table}"), ("查询", f"GET /api/v1/datasets/{table}/rows"),
                        ("导出", f"GET /api/v1/datasets/{table}/export?format=csv|csv-gbk|xlsx|geojson"),
                        ("主键", "、".join(t.key) if t and t.key else "—"),
                        ("当前行数", num(t.rows) if t else "—")]))
        sec.add(Table(["字段", "中文名", "类型", "分级", "脱敏"],
                      [[c["name"], c["title"], c["type"], c["classification"], c["mask"] or "—"]
                       for c in (t.columns if t else [])], caption="返回字段", empty="表尚未生成"))
        first = t.columns[0]["name"] if t and t.columns else "column"
        sec.add(Code(f'curl -H "Authorization: Bearer $LINGSHU_KEY" \\\n'
                     f'  "http://<服务地址>/api/v1/datasets/{table}/rows?limit=100&order={first}"', "shell"))
    ind = pack_sec.sub("指标接口")
    ind.add(Table(["接口", "指标", "可用维度（by）", "可用粒度（grain）", "单位"],
                  [[f"GET /api/v1/indicators/{i['key']}", i["name"], "、".join(i["dimensions"]) or "—",
                    "、".join(i["grains"]) or "—", i["unit"] or "—"] for i in facts.indicators],
                  empty="本场景包未定义指标"))
    dashboards = pack_sec.sub("看板接口")
    dashboards.add(Table(["接口", "说明"], [[f"GET /api/v1/dashboards/{facts.pack.id}/{{dashboard}}", "看板布局"],
                                         [f"GET /api/v1/dashboards/{facts.pack.id}/{{dashboard}}/data", "看板数据"]]
                         if facts.spec.dashboards else [], empty="本场景包没有看板"))
    ref = doc.section("三、接口明细（OpenAPI）")
    for method, path, op in _operations(spec):
        sec = ref.sub(f"{method} {path}")
        sec.add(Paragraph(op.get("summary", "") + (f"。{op['description']}" if op.get("description") else "")))
        sec.add(Table(["参数", "位置", "类型", "必填", "说明"], _params(op), empty="无参数"))
    return doc

"""可视化展示: 可视化页面设计文件: each dashboard's layout (drawn from its grid) and a screenshot."""

from __future__ import annotations

from html import escape

from lingshu.docs.diagram import FONT
from lingshu.docs.facts import Facts
from lingshu.docs.model import Document, Fields, Figure, Paragraph, Table
from lingshu.docs.registry import document, new_document

CELL_W = 70
KIND_TEXT = {"bar": "柱状图", "line": "折线图", "area": "面积图", "pie": "饼图", "scatter": "散点图", "heatmap": "热力图",
             "sankey": "桑基图", "gauge": "仪表盘", "funnel": "漏斗图", "kpi": "指标卡", "table": "明细表", "map": "地图"}


def layout_svg(spec: object) -> tuple[str, int, int]:
    """The dashboard grid with one labelled box per chart, at the declared positions."""
    cols, row_h = spec.columns, max(spec.row_height // 2, 30)  # type: ignore[attr-defined]
    charts = spec.charts  # type: ignore[attr-defined]
    rows = max((c.layout.y + c.layout.h for c in charts), default=1)
    width, height = cols * CELL_W + 2, rows * row_h + 2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{escape(FONT)}" role="img">',
             f'<rect width="{width}" height="{height}" fill="#f4f6f9"/>']
    for c in charts:
        x, y = 1 + c.layout.x * CELL_W, 1 + c.layout.y * row_h
        w, h = c.layout.w * CELL_W, c.layout.h * row_h
        parts.append(f'<rect x="{x + 3}" y="{y + 3}" width="{w - 6}" height="{h - 6}" rx="4" fill="#ffffff" '
                     f'stroke="#4a6fa5"/>')
        parts.append(f'<text x="{x + 10}" y="{y + 22}" font-size="13" fill="#1f2d3d">{escape(c.title or c.id)}</text>')
        parts.append(f'<text x="{x + 10}" y="{y + 40}" font-size="11" fill="#5b6b7f">'
                     f'{KIND_TEXT.get(c.type, c.type)} · {c.id}</text>')
    parts.append("</svg>")
    return "".join(parts), width, height


@document("dashboard_design", "可视化页面设计文件", "可视化展示", 110)
def dashboard_design(facts: Facts) -> Document:
    from lingshu.dashboards.loader import load_dashboard
    from lingshu.docs.screens import dashboard_screenshots

    doc = new_document(facts, "dashboard_design")
    dashes = [load_dashboard(facts.pack.id, facts.pack.root / rel) for rel in facts.spec.dashboards]
    doc.section("一、页面清单", Table(
        ["看板", "标题", "图表数", "筛选器", "自动刷新", "大屏", "访问地址"],
        [[d.spec.id, d.spec.title, len(d.spec.charts), len(d.spec.filters),
          f"{d.spec.refresh_seconds} 秒" if d.spec.refresh_seconds else "否", d.spec.big_screen,
          f"/dashboards/{d.key}"] for d in dashes], empty="本场景包没有看板"))
    shots = dashboard_screenshots(facts, [d.key for d in dashes])
    for d in dashes:
        s = d.spec
        sec = doc.section(f"看板 {s.title}")
        sec.add(Fields([("标识", d.key), ("说明", s.description or "—"), ("网格", f"{s.columns} 列，行高 {s.row_height} 像素"),
                        ("自动刷新", f"每 {s.refresh_seconds} 秒" if s.refresh_seconds else "否"),
                        ("大屏模式", f"/screen/{d.key}" if s.big_screen else "否")]))
        sec.sub("筛选器", Table(["编号", "标题", "类型", "维度/时间窗", "默认"],
                             [[f.id, f.title, "时间" if f.type.value == "time" else "维度",
                               f.dimension or "、".join(f.windows), f.default or "—"] for f in s.filters],
                             empty="无筛选器"))
        sec.sub("图表", Table(["编号", "标题", "类型", "指标/数据集", "维度", "粒度", "位置（x,y,宽,高）", "交互"],
                            [[c.id, c.title, KIND_TEXT.get(c.type, c.type),
                              "、".join(c.all_indicators) or c.dataset or "、".join(
                                  ly.indicator or ly.dataset or "" for ly in c.layers),
                              "、".join(c.dimensions) or "—", c.grain.value if c.grain else "—",
                              f"{c.layout.x},{c.layout.y},{c.layout.w},{c.layout.h}",
                              "、".join(x for x in ("联动" if c.cross_filter else "", "下钻" if c.drill else "") if x) or "—"]
                             for c in s.charts]))
        svg, width, height = layout_svg(s)
        layout = Figure(f"图 {s.title} 页面布局（{s.columns} 列网格）", svg=svg, width_cm=16)
        if facts.options.images and facts.browser is not None:
            layout.png = facts.browser.svg_png(svg, width, height)
            layout.missing = "" if layout.png else f"布局图未能转为图片：{facts.browser.unavailable}"
        else:
            layout.missing = "本次生成未绘制图片（--no-images）；布局见上表。"
        sec.sub("页面布局", layout)
        shot = shots.get(d.key)
        picture = Figure(f"图 {s.title} 页面截图（以只读账号访问，敏感字段已脱敏）", width_cm=16)
        if isinstance(shot, bytes):
            picture.png = shot
        else:
            picture.missing = shot or "未截图"
        sec.sub("页面截图", picture, *([] if facts.ran else [Paragraph(facts.never_ran_note(), note=True)]))
    return doc

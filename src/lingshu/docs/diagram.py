"""The lineage diagram: a layered left-to-right drawing of the pack's tables as SVG.

One column per warehouse layer (ODS -> DWD -> DWS -> ADS), tables of other packs that feed this
one drawn faded in the column of their layer. Plain SVG text with a CJK font stack, so the same
drawing is inline in HTML and rasterised by Chromium for .docx.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from lingshu.pack.spec import LAYERS

BOX_W, BOX_H, GAP_X, GAP_Y, PAD, HEAD = 210, 46, 80, 34, 20, 34
FONT = "'Microsoft YaHei','微软雅黑','WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif"
LAYER_NAMES = {"ods": "贴源层 ODS", "dwd": "明细层 DWD", "dws": "汇总层 DWS", "ads": "应用层 ADS"}
COLOURS = {"ods": "#e8f1fb", "dwd": "#e9f6ec", "dws": "#fff5e0", "ads": "#fbe9ec"}


@dataclass(frozen=True)
class Node:
    name: str
    title: str
    own: bool  # produced by this pack (others are upstream packs' tables)


def _clip(text: str, limit: int) -> str:
    """Clip to about ``limit`` half-width cells (a CJK character counts two)."""
    out, width = "", 0
    for ch in text:
        width += 2 if ord(ch) > 0x2E80 else 1
        if width > limit:
            return out + "…"
        out += ch
    return out


def lineage_svg(nodes: list[Node], edges: list[tuple[str, str]]) -> tuple[str, int, int]:
    """SVG text, width, height. ``edges`` are (upstream, downstream) pairs; nodes keep their order."""
    columns = [layer for layer in LAYERS if any(n.name.split(".")[0] == layer for n in nodes)]
    place: dict[str, tuple[float, float]] = {}
    for ci, layer in enumerate(columns):
        for ri, node in enumerate(n for n in nodes if n.name.split(".")[0] == layer):
            place[node.name] = (PAD + ci * (BOX_W + GAP_X), PAD + HEAD + ri * (BOX_H + GAP_Y))
    rows = max((sum(1 for n in nodes if n.name.split(".")[0] == layer) for layer in columns), default=0)
    width = int(PAD * 2 + max(len(columns), 1) * BOX_W + max(len(columns) - 1, 0) * GAP_X)
    height = int(PAD * 2 + HEAD + max(rows, 1) * (BOX_H + GAP_Y))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{escape(FONT)}" role="img">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7a8699"/></marker></defs>',
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    for ci, layer in enumerate(columns):
        x = PAD + ci * (BOX_W + GAP_X)
        parts.append(f'<text x="{x + BOX_W / 2}" y="{PAD + 14}" text-anchor="middle" font-size="14" '
                     f'font-weight="bold" fill="#33415c">{LAYER_NAMES[layer]}</text>')
    for up, down in edges:
        if up not in place or down not in place:
            continue
        (x1, y1), (x2, y2) = place[up], place[down]
        sx, sy, ex, ey = x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2
        if ex <= sx:  # same column (a model reading a table of its own layer): loop around the side
            sx, ex = x1 + BOX_W, x2 + BOX_W
            mid = max(sx, ex) + 40
            d = f"M{sx},{sy} C{mid},{sy} {mid},{ey} {ex},{ey}"
        elif ex - sx > GAP_X + 1:  # skips a layer: pass under the boxes between, not through them
            bx, by, tx, ty = x1 + BOX_W * 0.75, y1 + BOX_H, x2 + BOX_W * 0.25, y2 + BOX_H
            low = max(by, ty) + GAP_Y * 0.8
            d = f"M{bx},{by} C{bx},{low} {tx},{low} {tx},{ty + 2}"
        else:
            mid = (sx + ex) / 2
            d = f"M{sx},{sy} C{mid},{sy} {mid},{ey} {ex - 2},{ey}"
        parts.append(f'<path d="{d}" fill="none" stroke="#7a8699" stroke-width="1.4" marker-end="url(#arrow)"/>')
    for node in nodes:
        x, y = place[node.name]
        layer = node.name.split(".")[0]
        fill = COLOURS.get(layer, "#f3f3f3") if node.own else "#f4f4f4"
        stroke, dash = ("#4a6fa5", "") if node.own else ("#9aa3ad", ' stroke-dasharray="4 3"')
        parts.append(f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
                     f'stroke="{stroke}"{dash}/>')
        title = _clip(node.title or node.name.split(".")[1], 28)
        parts.append(f'<text x="{x + 10}" y="{y + 19}" font-size="13" fill="#1f2d3d">{escape(title)}</text>')
        parts.append(f'<text x="{x + 10}" y="{y + 36}" font-size="11" fill="#5b6b7f">'
                     f'{escape(_clip(node.name, 34))}</text>')
    parts.append("</svg>")
    return "".join(parts), width, height

"""Chart kinds: a registry from chart type to what it needs and how results become ECharts options.

Each kind has a ``check`` (problems with a chart declaration, reported against the YAML line) and a
``shape`` that turns indicator results (or detail rows, for tables and maps) into the JSON the
browser hands to ECharts. The browser adds only the theme, so the same option serves the office
page and the big screen. Series carry ids so that a refresh merges into the drawn chart in place.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lingshu.core.registry import Registry
from lingshu.indicators.spec import Grain

if TYPE_CHECKING:
    from lingshu.dashboards.spec import ChartSpec
    from lingshu.indicators.service import IndicatorResult

PERIOD = "period"


@dataclass
class ChartData:
    """What a shaper gets: the chart, the results of its indicators and the current drill level."""

    chart: ChartSpec
    results: list[IndicatorResult] = field(default_factory=list)
    dims: list[str] = field(default_factory=list)
    grain: Grain | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # rows for tables, layer payloads for maps


@dataclass(frozen=True)
class ChartKind:
    title: str  # Chinese name, shown in the console's dashboard list
    source: str  # indicator | dataset | map: where the service gets the chart's data
    check: Callable[[ChartSpec], list[str]]
    shape: Callable[[ChartData], dict[str, Any]]


CHART_KINDS: Registry[ChartKind] = Registry("chart type")

# -- period labels --------------------------------------------------------------------------------
PERIOD_FORMATS: dict[Grain, Callable[[dt.datetime], str]] = {
    Grain.year: lambda p: f"{p.year}",
    Grain.quarter: lambda p: f"{p.year}Q{(p.month - 1) // 3 + 1}",
    Grain.month: lambda p: f"{p.year}-{p.month:02d}",
    Grain.week: lambda p: p.strftime("%Y-%m-%d"),
    Grain.day: lambda p: p.strftime("%Y-%m-%d"),
    Grain.hour: lambda p: p.strftime("%Y-%m-%d %H:00"),
    Grain.min15: lambda p: p.strftime("%Y-%m-%d %H:%M"),
}


def period_label(grain: Grain, value: Any) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return PERIOD_FORMATS[grain](value) if isinstance(value, dt.datetime) else str(value)


def period_range(grain: Grain, label: str) -> tuple[dt.datetime, dt.datetime]:
    """The [start, end) of the period a label names (a drill-down click on a time category)."""
    if grain is Grain.year:
        y = int(label)
        return dt.datetime(y, 1, 1), dt.datetime(y + 1, 1, 1)
    if grain is Grain.quarter:
        y, q = int(label[:4]), int(label[5:])
        start = dt.datetime(y, 3 * (q - 1) + 1, 1)
        return start, (dt.datetime(y + 1, 1, 1) if q == 4 else dt.datetime(y, 3 * q + 1, 1))
    if grain is Grain.month:
        y, m = int(label[:4]), int(label[5:7])
        return dt.datetime(y, m, 1), (dt.datetime(y + 1, 1, 1) if m == 12 else dt.datetime(y, m + 1, 1))
    start = dt.datetime.fromisoformat(label.replace(" ", "T"))
    span = {Grain.week: dt.timedelta(weeks=1), Grain.day: dt.timedelta(days=1),
            Grain.hour: dt.timedelta(hours=1), Grain.min15: dt.timedelta(minutes=15)}[grain]
    return start, start + span


# -- helpers --------------------------------------------------------------------------------------
def axes(data: ChartData) -> tuple[str | None, str | None]:
    """(category column, series column): time is the category axis whenever a grain is asked."""
    if data.grain:
        return PERIOD, (data.dims[0] if data.dims else None)
    return (data.dims[0] if data.dims else None), (data.dims[1] if len(data.dims) > 1 else None)


def _label(data: ChartData, column: str | None, value: Any) -> str:
    if column is None:
        return "合计"
    if column == PERIOD and data.grain:
        return period_label(data.grain, value)
    return "（空）" if value is None else str(value)


def _num(result: IndicatorResult, value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), result.spec.precision)


def cells(data: ChartData, result: IndicatorResult) -> dict[tuple[str, str], float | None]:
    """{(category, series): value} of one result."""
    cat, ser = axes(data)
    out: dict[tuple[str, str], float | None] = {}
    for row in result.table.to_pylist():
        key = (_label(data, cat, row.get(cat) if cat else None), _label(data, ser, row.get(ser)) if ser else "")
        out[key] = _num(result, row.get("value"))
    return out


def categories(data: ChartData, values: dict[str, float]) -> list[str]:
    """Category order: by value when asked, time in order, else by name; then the limit."""
    cats = list(values)
    if data.chart.sort == "value":
        cats.sort(key=lambda c: -(values[c] or 0))
    else:
        cats.sort()
    return cats[: data.chart.limit] if data.chart.limit else cats


def series_table(data: ChartData) -> tuple[list[str], list[tuple[str, str, list[float | None]]]]:
    """Categories and (id, name, values) per series: a series per indicator, or per second dimension."""
    cat, ser = axes(data)
    if ser and len(data.results) == 1:
        grid = cells(data, data.results[0])
        totals: dict[str, float] = {}
        for (c, _), v in grid.items():
            totals[c] = totals.get(c, 0) + (v or 0)
        cats = categories(data, totals)
        names = sorted({s for _, s in grid})
        return cats, [(f"s:{s}", s, [grid.get((c, s)) for c in cats]) for s in names]
    grids = [cells(data, r) for r in data.results]
    totals = {}
    for (c, _), v in grids[0].items():
        totals[c] = totals.get(c, 0) + (v or 0)
    cats = categories(data, totals)
    return cats, [(f"i:{r.spec.id}", r.spec.name, [g.get((c, "")) for c in cats])
                  for r, g in zip(data.results, grids, strict=True)]


def _unit(data: ChartData) -> str:
    return data.results[0].spec.unit if data.results else ""


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value * 1.25))
    return math.ceil(value * 1.25 / magnitude) * magnitude


def _needs(*, indicators: tuple[int, int] = (1, 1), dims: tuple[int, int] = (0, 2),
           grain: bool | None = None, extra: Callable[[ChartSpec], list[str]] | None = None
           ) -> Callable[[ChartSpec], list[str]]:
    """A check: how many indicators and dimensions the kind takes, whether a grain is allowed."""

    def check(chart: ChartSpec) -> list[str]:
        problems = []
        n = len(chart.all_indicators)
        if not indicators[0] <= n <= indicators[1]:
            problems.append(f"a {chart.type} chart takes {indicators[0]}..{indicators[1]} indicators, got {n}")
        axes_used = len(chart.dimensions) + (1 if chart.grain else 0)
        if not dims[0] <= axes_used <= dims[1]:
            problems.append(f"a {chart.type} chart takes {dims[0]}..{dims[1]} dimensions (a grain counts as one), "
                            f"got {axes_used}")
        if grain is False and chart.grain:
            problems.append(f"a {chart.type} chart takes no grain")
        if extra:
            problems.extend(extra(chart))
        return problems

    return check


# -- shapers --------------------------------------------------------------------------------------
def _cartesian(kind: str) -> Callable[[ChartData], dict[str, Any]]:
    def shape(data: ChartData) -> dict[str, Any]:
        cats, series = series_table(data)
        out = []
        for sid, name, values in series:
            s: dict[str, Any] = {"id": sid, "name": name, "type": "bar" if kind == "bar" else "line", "data": values}
            if kind == "area":
                s.update(areaStyle={"opacity": 0.35}, smooth=True, stack="total" if len(series) > 1 else None)
            if kind == "line":
                s["smooth"] = True
            out.append(s)
        return {"option": {
            "tooltip": {"trigger": "axis"},
            "legend": {"show": len(out) > 1, "type": "scroll", "top": 0},
            "grid": {"left": 8, "right": 16, "top": 36 if len(out) > 1 else 24, "bottom": 8, "containLabel": True},
            "xAxis": {"type": "category", "data": cats, "boundaryGap": kind == "bar"},
            "yAxis": {"type": "value", "name": _unit(data)},
            "series": out,
        }, "categories": cats}

    return shape


def _pie(data: ChartData) -> dict[str, Any]:
    cats, series = series_table(data)
    _, name, values = series[0]
    return {"option": {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"type": "scroll", "bottom": 0},
        "series": [{"id": "pie", "name": name, "type": "pie", "radius": ["35%", "65%"], "center": ["50%", "45%"],
                    "data": [{"name": c, "value": v} for c, v in zip(cats, values, strict=True)]}],
    }, "categories": cats}


def _funnel(data: ChartData) -> dict[str, Any]:
    cats, series = series_table(data)
    _, name, values = series[0]
    pairs = sorted(zip(cats, values, strict=True), key=lambda p: -(p[1] or 0))
    return {"option": {
        "tooltip": {"trigger": "item"},
        "series": [{"id": "funnel", "name": name, "type": "funnel", "left": "10%", "width": "80%", "sort": "descending",
                    "label": {"show": True, "position": "inside"},
                    "data": [{"name": c, "value": v} for c, v in pairs]}],
    }, "categories": [c for c, _ in pairs]}


def _scatter(data: ChartData) -> dict[str, Any]:
    cats, series = series_table(data)
    xs, ys = series[0][2], series[1][2]
    sizes = series[2][2] if len(series) > 2 else None
    top = max((s or 0) for s in sizes) if sizes else 0
    points = []
    for i, c in enumerate(cats):
        item: dict[str, Any] = {"name": c, "value": [xs[i], ys[i]]}
        if sizes:
            item["symbolSize"] = 10 + 30 * ((sizes[i] or 0) / top if top else 0)
        points.append(item)
    rx, ry = data.results[0].spec, data.results[1].spec
    return {"option": {
        "tooltip": {"trigger": "item"},
        "grid": {"left": 8, "right": 24, "top": 30, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "name": f"{rx.name}（{rx.unit}）", "nameLocation": "middle", "nameGap": 24, "scale": True},
        "yAxis": {"type": "value", "name": f"{ry.name}（{ry.unit}）", "scale": True},
        "series": [{"id": "scatter", "type": "scatter", "symbolSize": 14, "data": points,
                    "label": {"show": True, "formatter": "{b}", "position": "right"}}],
    }, "categories": cats}


def _heatmap(data: ChartData) -> dict[str, Any]:
    cat, ser = axes(data)
    grid = cells(data, data.results[0])
    xs = sorted({c for c, _ in grid})
    ys = sorted({s for _, s in grid})
    values = [v for v in grid.values() if v is not None]
    return {"option": {
        "tooltip": {"position": "top"},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 56, "containLabel": True},
        "xAxis": {"type": "category", "data": xs, "splitArea": {"show": True}},
        "yAxis": {"type": "category", "data": ys, "splitArea": {"show": True}},
        "visualMap": {"min": min(values, default=0), "max": max(values, default=1), "calculable": True,
                      "orient": "horizontal", "left": "center", "bottom": 0, "itemHeight": 120},
        "series": [{"id": "heatmap", "name": data.results[0].spec.name, "type": "heatmap", "label": {"show": True},
                    "data": [[xs.index(c), ys.index(s), v] for (c, s), v in grid.items()]}],
    }, "categories": xs}


def _sankey(data: ChartData) -> dict[str, Any]:
    grid = cells(data, data.results[0])
    sources = {c for c, _ in grid}
    # Node names are shared between both sides; a target that is also a source gets a mark.
    target = {s: (f"{s} " if s in sources else s) for _, s in grid}
    nodes = [{"name": n} for n in sorted(sources)] + [{"name": t} for t in sorted(set(target.values()))]
    links = [{"source": c, "target": target[s], "value": v} for (c, s), v in grid.items() if v]
    return {"option": {
        "tooltip": {"trigger": "item"},
        "series": [{"id": "sankey", "type": "sankey", "left": 8, "right": 80, "emphasis": {"focus": "adjacency"},
                    "data": nodes, "links": links, "lineStyle": {"color": "gradient", "curveness": 0.5}}],
    }, "categories": sorted(sources)}


def _single(data: ChartData, result: IndicatorResult) -> float | None:
    column = result.table.column("value").to_pylist() if result.table.num_rows else []
    return _num(result, column[0]) if column else None


def _gauge(data: ChartData) -> dict[str, Any]:
    result = data.results[0]
    value = _single(data, result) or 0.0
    top = data.chart.max or _nice_max(value)
    return {"option": {
        "series": [{"id": "gauge", "type": "gauge", "min": 0, "max": top, "radius": "88%", "center": ["50%", "58%"],
                    "progress": {"show": True, "width": 12}, "axisLine": {"lineStyle": {"width": 12}},
                    "axisTick": {"show": False}, "splitLine": {"length": 8}, "splitNumber": 4,
                    "axisLabel": {"distance": 16, "fontSize": 10}, "pointer": {"width": 4, "length": "55%"},
                    "detail": {"valueAnimation": True, "formatter": "{value} " + result.spec.unit, "fontSize": 20,
                               "offsetCenter": [0, "70%"]},
                    "title": {"show": False},
                    "data": [{"name": result.spec.name, "value": value}]}],
    }}


def _kpi(data: ChartData) -> dict[str, Any]:
    return {"kpi": [{"id": r.spec.id, "name": r.spec.name, "value": _single(data, r), "unit": r.spec.unit,
                     "precision": r.spec.precision} for r in data.results]}


def _table(data: ChartData) -> dict[str, Any]:
    return {"table": data.extra}


def _map(data: ChartData) -> dict[str, Any]:
    from lingshu.dashboards.maps import map_option

    return {"option": map_option(data), "basemap": True}


def _table_check(chart: ChartSpec) -> list[str]:
    problems = [] if chart.dataset else ["a table chart needs dataset (a published table)"]
    if chart.all_indicators:
        problems.append("a table chart lists rows of a dataset; it takes no indicator")
    return problems


def _map_check(chart: ChartSpec) -> list[str]:
    return [] if chart.layers else ["a map chart needs at least one entry in layers"]


def _no_data_keys(chart: ChartSpec) -> list[str]:
    return ["only table charts take dataset"] if chart.dataset else []


CHART_KINDS.add("bar", ChartKind("柱状图", "indicator", _needs(indicators=(1, 6), dims=(1, 2), extra=_no_data_keys), _cartesian("bar")))
CHART_KINDS.add("line", ChartKind("折线图", "indicator", _needs(indicators=(1, 6), dims=(1, 2), extra=_no_data_keys), _cartesian("line")))
CHART_KINDS.add("area", ChartKind("面积图", "indicator", _needs(indicators=(1, 6), dims=(1, 2), extra=_no_data_keys), _cartesian("area")))
CHART_KINDS.add("pie", ChartKind("饼图", "indicator", _needs(dims=(1, 1)), _pie))
CHART_KINDS.add("funnel", ChartKind("漏斗图", "indicator", _needs(dims=(1, 1)), _funnel))
CHART_KINDS.add("scatter", ChartKind("散点图", "indicator", _needs(indicators=(2, 3), dims=(1, 1)), _scatter))
CHART_KINDS.add("heatmap", ChartKind("热力图", "indicator", _needs(dims=(2, 2)), _heatmap))
CHART_KINDS.add("sankey", ChartKind("桑基图", "indicator", _needs(dims=(2, 2)), _sankey))
CHART_KINDS.add("gauge", ChartKind("仪表盘", "indicator", _needs(dims=(0, 0)), _gauge))
CHART_KINDS.add("kpi", ChartKind("指标卡", "indicator", _needs(indicators=(1, 6), dims=(0, 0)), _kpi))
CHART_KINDS.add("table", ChartKind("明细表", "dataset", _needs(indicators=(0, 0), dims=(0, 0), extra=_table_check), _table))
CHART_KINDS.add("map", ChartKind("地图", "map", _needs(indicators=(0, 0), dims=(0, 0), extra=_map_check), _map))

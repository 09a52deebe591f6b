"""``DashboardService``: from a dashboard, a view state and a principal to chart payloads.

The view state is what the browser keeps between refreshes: the dashboard filters' values, the
current cross-filter, each chart's drill path and each table's page. Relative time windows in it
are names, resolved here at every request, so an auto-refreshing screen moves with the clock.
Every indicator and dataset is authorised through grants; each request is audited once.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationError

from lingshu.core.errors import LingshuError
from lingshu.core.yamlfile import Strict
from lingshu.dashboards.data import DatasetReader
from lingshu.dashboards.errors import DashboardError
from lingshu.dashboards.kinds import CHART_KINDS, ChartData, period_range
from lingshu.dashboards.loader import Dashboard, load_dashboards
from lingshu.dashboards.spec import ChartSpec, DrillLevel, FilterType, LayerType, MapLayer
from lingshu.dashboards.windows import parse_window, resolve
from lingshu.indicators.spec import IndicatorQuery
from lingshu.security.accounts import AccessDenied, Principal

if TYPE_CHECKING:
    from lingshu.core.context import Context
    from lingshu.indicators.service import IndicatorResult

MAX_LAYER_ROWS = 20_000  # a map layer beyond this is unreadable anyway; declare clustering or a heat layer
MAX_EXPORT_ROWS = 100_000


class CrossFilter(Strict):
    chart: str
    value: str


class ViewState(Strict):
    filters: dict[str, str | list[str] | None] = Field(default_factory=dict)
    cross: CrossFilter | None = None
    drill: dict[str, list[str]] = Field(default_factory=dict)
    pages: dict[str, int] = Field(default_factory=dict)

    @classmethod
    def parse(cls, text: str | None) -> ViewState:
        if not text:
            return cls()
        try:
            return cls.model_validate(json.loads(text))
        except (ValueError, ValidationError) as exc:
            raise DashboardError(f"bad view state: {exc}".splitlines()[0],
                                 hint='send state as JSON: {"filters": {...}, "cross": null, "drill": {}, "pages": {}}') from None


def _as_dt(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


class Scope:
    """Filters for one chart: dimension values and a [start, end) time range, narrowed step by step."""

    def __init__(self, fixed: dict[str, Any]):
        self.dims: dict[str, Any] = dict(fixed)
        self.start: dt.datetime | None = None
        self.end: dt.datetime | None = None

    def narrow(self, start: Any, end: Any) -> None:
        start, end = _as_dt(start), _as_dt(end)
        if start is not None and (self.start is None or start > self.start):
            self.start = start
        if end is not None and (self.end is None or end < self.end):
            self.end = end


class DashboardService:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.reader = DatasetReader(ctx)

    @cached_property
    def dashboards(self) -> dict[str, Dashboard]:
        return load_dashboards(self.ctx.catalog, self.ctx.indicators)

    def get(self, pack: str, dashboard: str) -> Dashboard:
        dash = self.dashboards.get(f"{pack}/{dashboard}")
        if dash is None:
            raise DashboardError(f"no dashboard {pack}/{dashboard}",
                                 hint=f"dashboards: {', '.join(self.dashboards) or '(none)'}")
        return dash

    # -- page description -----------------------------------------------------------------------
    def describe(self, dash: Dashboard) -> dict[str, Any]:
        """What the browser needs to lay the page out (no data)."""
        s = dash.spec
        filters = []
        for f in s.filters:
            item: dict[str, Any] = {"id": f.id, "type": f.type.value, "title": f.title, "default": f.default,
                                    "multiple": f.multiple}
            if f.type is FilterType.time:
                item["windows"] = [{"value": w, "label": parse_window(w).label} for w in f.windows]
            filters.append(item)
        charts = [{"id": c.id, "type": c.type, "title": c.title, "layout": c.layout.model_dump(),
                   "cross_filter": c.cross_filter, "drill_levels": len(c.drill), "page_size": c.page_size}
                  for c in s.charts]
        return {"key": dash.key, "pack": dash.pack, "id": s.id, "title": s.title, "description": s.description,
                "refresh_seconds": s.refresh_seconds, "big_screen": s.big_screen, "columns": s.columns,
                "row_height": s.row_height, "filters": filters, "charts": charts}

    def catalog(self) -> list[dict[str, Any]]:
        return [{"key": d.key, "pack": d.pack, "id": d.spec.id, "title": d.spec.title, "big_screen": d.spec.big_screen,
                 "refresh_seconds": d.spec.refresh_seconds, "charts": len(d.spec.charts),
                 "kinds": sorted({CHART_KINDS.get(c.type).title for c in d.spec.charts})}
                for d in self.dashboards.values()]

    def filter_options(self, principal: Principal, dash: Dashboard, filter_id: str) -> list[str]:
        flt = next((f for f in dash.spec.filters if f.id == filter_id), None)
        if flt is None or flt.type is not FilterType.dimension:
            raise DashboardError(f"dashboard {dash.key} has no value filter {filter_id!r}", hint="see its filters:")
        key = self._authorise(principal, flt.options_from or "", dash.pack)
        table = self.ctx.indicators.query(indicator=key, dimensions=[flt.dimension]).table
        return sorted(str(v) for v in table.column(flt.dimension or "").to_pylist() if v is not None)

    # -- data -----------------------------------------------------------------------------------
    def data(self, principal: Principal, dash: Dashboard, state: ViewState, chart_ids: list[str] | None = None,
             today: dt.date | None = None) -> dict[str, Any]:
        charts = [dash.spec.chart(c) for c in chart_ids] if chart_ids else dash.spec.charts
        used: set[str] = set()
        denied: set[str] = set()
        out = {}
        for chart in charts:
            out[chart.id] = self._chart(principal, dash, chart, state, today or dt.date.today(), used, denied)
        self.ctx.security.audit.record(principal.username, "dashboard.view", f"dashboard:{dash.key}",
                                       outcome="denied" if denied else "allowed", charts=[c.id for c in charts],
                                       resources=sorted(used), denied=sorted(denied))
        return {"dashboard": dash.key, "generated_at": dt.datetime.now().isoformat(timespec="seconds"), "charts": out}

    def _chart(self, principal: Principal, dash: Dashboard, chart: ChartSpec, state: ViewState, today: dt.date,
               used: set[str], denied: set[str]) -> dict[str, Any]:
        kind = CHART_KINDS.get(chart.type)
        base: dict[str, Any] = {"id": chart.id, "type": chart.type, "title": chart.title}
        try:
            data = self.chart_data(principal, dash, chart, state, today, used)
            base.update(kind.shape(data))
            base["meta"] = [r.meta() for r in data.results]
            base["drill"] = {"depth": len(state.drill.get(chart.id, [])[: len(chart.drill)]),
                             "levels": len(chart.drill)}
            base["empty"] = _empty(base)
        except AccessDenied as exc:
            denied.add(getattr(exc, "resource", chart.id))
            base.update(error="无权查看：" + exc.message, hint=exc.hint)
        except LingshuError as exc:
            base.update(error=exc.message, hint=exc.hint)
        return base

    def chart_data(self, principal: Principal, dash: Dashboard, chart: ChartSpec, state: ViewState,
                   today: dt.date, used: set[str], *, export: bool = False) -> ChartData:
        source = CHART_KINDS.get(chart.type).source
        if source == "dataset":
            return self._table_data(principal, dash, chart, state, today, used, export)
        if source == "map":
            return self._map_data(principal, dash, chart, state, today, used)
        levels = [DrillLevel(dimensions=chart.dimensions, grain=chart.grain), *chart.drill]
        path = state.drill.get(chart.id, [])[: len(chart.drill)]
        scope = Scope(chart.filters)
        for level, value in zip(levels, path, strict=False):
            self._pin(scope, level, value)
        self._apply_filters(dash, chart, state, scope, today)
        level = levels[len(path)]
        results = [self._query(principal, dash, ref, level.dimensions, level, scope, used) for ref in chart.all_indicators]
        return ChartData(chart, results, list(level.dimensions), level.grain)

    @staticmethod
    def _pin(scope: Scope, level: DrillLevel, value: str) -> None:
        """A clicked category of ``level`` becomes a filter: a period narrows time, else a dimension."""
        if level.grain:
            scope.narrow(*period_range(level.grain, value))
        elif level.dimensions:
            scope.dims[level.dimensions[0]] = value

    def _apply_filters(self, dash: Dashboard, chart: ChartSpec, state: ViewState, scope: Scope, today: dt.date) -> None:
        for f in dash.spec.filters:
            if f.id in chart.ignore_filters:
                continue
            value = state.filters.get(f.id, f.default)
            if f.type is FilterType.time:
                if isinstance(value, str):
                    try:
                        scope.narrow(*resolve(value, today))
                    except ValueError as exc:
                        raise DashboardError(str(exc), hint="pick a window from the filter") from None
            elif value not in (None, "", []):
                scope.dims[f.dimension or f.id] = value if isinstance(value, list) else [value]
        cross = state.cross
        if cross and cross.chart != chart.id:
            source = dash.spec.chart(cross.chart)
            path = state.drill.get(source.id, [])[: len(source.drill)]
            levels = [DrillLevel(dimensions=source.dimensions, grain=source.grain), *source.drill]
            self._pin(scope, levels[len(path)], cross.value)

    def _authorise(self, principal: Principal, ref: str, pack: str) -> str:
        key = self.ctx.indicators.resolve(ref, pack)[0]
        try:
            self.ctx.security.grants.decide(principal, f"indicator:{key}")
        except AccessDenied as exc:
            exc.resource = f"indicator:{key}"  # type: ignore[attr-defined]
            raise
        return key

    def _has_time(self, key: str, pack: str) -> bool:
        _, p, spec = self.ctx.indicators.resolve(key, pack)
        m = spec.measure
        if not m.derived:
            return spec.time is not None
        refs = [m.numerator, m.denominator] if m.numerator else list(m.inputs.values())
        return all(self._has_time(r or "", p) for r in refs)

    def _query(self, principal: Principal, dash: Dashboard, ref: str, dims: list[str], level: DrillLevel,
               scope: Scope, used: set[str]) -> IndicatorResult:
        key = self._authorise(principal, ref, dash.pack)
        used.add(f"indicator:{key}")
        spec = self.ctx.indicators.resolve(key)[2]
        # A filter on a dimension this indicator lacks does not apply to it (e.g. a town filter on
        # a city-wide total); likewise the time range for an indicator without time.
        filters = {k: v for k, v in scope.dims.items() if spec.dimension(k) is not None}
        timed = self._has_time(key, dash.pack)
        query = IndicatorQuery(indicator=key, dimensions=dims, grain=level.grain, filters=filters,
                               start=scope.start if timed else None, end=scope.end if timed else None)
        return self.ctx.indicators.query(query)

    def _dataset_scope(self, dash: Dashboard, chart: ChartSpec, state: ViewState, today: dt.date,
                       filter_columns: dict[str, str], time_column: str | None
                       ) -> tuple[dict[str, Any], tuple[str, Any, Any] | None]:
        equals: dict[str, Any] = {}
        time = None
        for f in dash.spec.filters:
            if f.id in chart.ignore_filters:
                continue
            value = state.filters.get(f.id, f.default)
            if f.type is FilterType.time and isinstance(value, str) and time_column:
                start, end = resolve(value, today)
                time = (time_column, start, end)
            elif f.type is FilterType.dimension and f.id in filter_columns and value not in (None, "", []):
                equals[filter_columns[f.id]] = value if isinstance(value, list) else [value]
        return equals, time

    def _table_data(self, principal: Principal, dash: Dashboard, chart: ChartSpec, state: ViewState,
                    today: dt.date, used: set[str], export: bool) -> ChartData:
        equals, time = self._dataset_scope(dash, chart, state, today, chart.filter_columns, chart.time_column)
        page = max(0, state.pages.get(chart.id, 0))
        used.add(f"dataset:{chart.dataset}")
        rows = self.reader.read(principal, chart.dataset or "", columns=chart.columns or None, equals=equals,
                                time=time, order_by=chart.order_by,
                                limit=MAX_EXPORT_ROWS if export else chart.page_size,
                                offset=0 if export else page * chart.page_size)
        extra = rows.as_json()
        extra.update(page=page, page_size=chart.page_size)
        return ChartData(chart, extra=extra)

    def _map_data(self, principal: Principal, dash: Dashboard, chart: ChartSpec, state: ViewState,
                  today: dt.date, used: set[str]) -> ChartData:
        layers: list[tuple[MapLayer, Any]] = []
        results = []
        for layer in chart.layers:
            if layer.type is LayerType.area:
                scope = Scope(chart.filters)
                self._apply_filters(dash, chart, state, scope, today)
                result = self._query(principal, dash, layer.indicator or "", [layer.dimension],
                                     DrillLevel(dimensions=[layer.dimension]), scope, used)
                results.append(result)
                values = {str(r[layer.dimension]): (None if r["value"] is None else round(float(r["value"]), result.spec.precision))
                          for r in result.table.to_pylist()}
                layers.append((layer, {"values": values, "name": result.spec.name, "unit": result.spec.unit}))
                continue
            equals, time = self._dataset_scope(dash, chart, state, today, layer.filter_columns, layer.time_column)
            wanted = {"lon": layer.lon, "lat": layer.lat, "geometry": layer.geometry, "value": layer.value,
                      "label": layer.label}
            columns = list(dict.fromkeys(c for c in wanted.values() if c))
            used.add(f"dataset:{layer.dataset}")
            rows = self.reader.read(principal, layer.dataset or "", columns=columns, equals=equals, time=time,
                                    limit=MAX_LAYER_ROWS)
            renamed = [{k: r.get(c) for k, c in wanted.items() if c} for r in rows.rows]
            layers.append((layer, renamed))
        return ChartData(chart, results, extra={"layers": layers})

    # -- export ---------------------------------------------------------------------------------
    def export_xlsx(self, principal: Principal, dash: Dashboard, chart_id: str, state: ViewState,
                    today: dt.date | None = None) -> bytes:
        from lingshu.dashboards.xlsx import chart_workbook

        chart = dash.spec.chart(chart_id)
        used: set[str] = set()
        try:
            data = self.chart_data(principal, dash, chart, state, today or dt.date.today(), used, export=True)
        except AccessDenied:
            self.ctx.security.audit.record(principal.username, "dashboard.export", f"dashboard:{dash.key}/{chart_id}",
                                           outcome="denied")
            raise
        for resource in sorted(used):  # taking data away needs its own grant, not just a view
            try:
                self.ctx.security.grants.decide(principal, resource, "export")
            except AccessDenied:
                self.ctx.security.audit.record(principal.username, "dashboard.export",
                                               f"dashboard:{dash.key}/{chart_id}", outcome="denied", resource=resource)
                raise
        content, rows = chart_workbook(dash, data, self.ctx.indicators)
        self.ctx.security.audit.record(principal.username, "dashboard.export", f"dashboard:{dash.key}/{chart_id}",
                                       resources=sorted(used), rows=rows, format="xlsx")
        return content


def _empty(payload: dict[str, Any]) -> bool:
    if "kpi" in payload:
        return all(k["value"] is None for k in payload["kpi"])
    if "table" in payload:
        return not payload["table"]["rows"]
    series = payload.get("option", {}).get("series", [])
    return not any(s.get("data") or s.get("links") for s in series)

"""The schema of a pack's dashboard file (``dashboards/<name>.yaml``).

A dashboard is a grid of charts and a row of filters. A chart names indicators, dimensions and a
grain, never SQL: the indicator layer computes every number. Detail tables and map layers of
points or lines name a *published* table (one listed in some pack's ``apis``) and its columns.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator, model_validator

from lingshu.core.yamlfile import Strict
from lingshu.indicators.spec import Grain

IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def _ident(value: str, what: str) -> str:
    if not IDENT.match(value):
        raise ValueError(f"{what} ids are lower_snake_case ASCII, e.g. by_town")
    return value


class Layout(Strict):
    """Position on the dashboard grid (columns from 0; width and height in grid cells)."""

    x: int = Field(0, ge=0)
    y: int = Field(0, ge=0)
    w: int = Field(6, ge=1)
    h: int = Field(4, ge=1)


class DrillLevel(Strict):
    """One step of a drill-down: clicking a category filters by it and shows this level."""

    dimensions: list[str] = Field(default_factory=list)
    grain: Grain | None = None


class LayerType(StrEnum):
    area = "area"  # basemap polygons (towns) coloured by an indicator value per dimension value
    line = "line"  # lines of a published table (WKT LINESTRING) coloured by a level column
    point = "point"  # points of a published table, optionally clustered
    heat = "heat"  # a heat surface from points of a published table


class MapLayer(Strict):
    type: LayerType
    title: str = ""
    indicator: str | None = Field(None, description="area: indicator whose value colours each polygon")
    dimension: str = Field("town", description="area: indicator dimension matched to basemap polygon names")
    dimension_layer: str = Field("town", description="area: basemap layer whose polygon names the values match")
    dataset: str | None = Field(None, description="line/point/heat: published table, e.g. ads.road_segment_level")
    lon: str | None = Field(None, description="point/heat: longitude column")
    lat: str | None = Field(None, description="point/heat: latitude column")
    geometry: str | None = Field(None, description="line: WKT LINESTRING column")
    value: str | None = Field(None, description="line: level column; heat: weight column")
    label: str | None = Field(None, description="column shown as the item name")
    colors: dict[str, str] = Field(default_factory=dict, description="line: level value -> colour")
    cluster: bool = Field(False, description="point: merge nearby points into one sized marker")
    cluster_size: float = Field(0.01, gt=0, description="point: cluster cell in degrees (0.01 is about 1 km)")
    filter_columns: dict[str, str] = Field(default_factory=dict,
                                           description="dashboard filter id -> column of the dataset")
    time_column: str | None = Field(None, description="column the dashboard's time filter applies to")

    @model_validator(mode="after")
    def _needs(self) -> MapLayer:
        needs = {
            LayerType.area: ["indicator"], LayerType.line: ["dataset", "geometry"],
            LayerType.point: ["dataset", "lon", "lat"], LayerType.heat: ["dataset", "lon", "lat"],
        }[self.type]
        missing = [n for n in needs if not getattr(self, n)]
        if missing:
            raise ValueError(f"a {self.type.value} layer needs {', '.join(missing)}")
        return self


class ChartSpec(Strict):
    id: str
    type: str = Field(description="chart kind: bar, line, area, pie, scatter, heatmap, sankey, gauge, "
                                  "funnel, kpi, table, map")
    title: str = ""
    indicator: str | None = Field(None, description="indicator id (or pack.id)")
    indicators: list[str] = Field(default_factory=list, description="several indicators (series, scatter x/y)")
    dimensions: list[str] = Field(default_factory=list)
    grain: Grain | None = None
    filters: dict[str, Any] = Field(default_factory=dict, description="fixed dimension filters of this chart")
    ignore_filters: list[str] = Field(default_factory=list, description="dashboard filters that do not apply")
    sort: str | None = Field(None, description="'value' sorts categories by value, largest first")
    limit: int | None = Field(None, ge=1, description="keep the first N categories after sorting")
    max: float | None = Field(None, description="gauge: top of the scale (default: from the value)")
    cross_filter: bool = Field(False, description="clicking a category filters the other charts")
    drill: list[DrillLevel] = Field(default_factory=list, description="levels shown on successive clicks")
    dataset: str | None = Field(None, description="table: published table whose rows are listed")
    columns: list[str] = Field(default_factory=list, description="table: columns shown (default all)")
    order_by: str | None = Field(None, description="table: column to sort by; '-col' for descending")
    page_size: int = Field(20, ge=1, le=500)
    filter_columns: dict[str, str] = Field(default_factory=dict,
                                           description="table: dashboard filter id -> column of the dataset")
    time_column: str | None = Field(None, description="table: column the dashboard's time filter applies to")
    layers: list[MapLayer] = Field(default_factory=list, description="map: layers drawn over the basemap")
    layout: Layout = Field(default_factory=Layout)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _ident(v, "chart")

    @model_validator(mode="after")
    def _kind(self) -> ChartSpec:
        from lingshu.dashboards.kinds import CHART_KINDS  # kinds import this module

        if self.type not in CHART_KINDS:
            raise ValueError(f"unknown chart type {self.type!r}; use one of: {', '.join(CHART_KINDS)}")
        problems = CHART_KINDS.get(self.type).check(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def all_indicators(self) -> list[str]:
        return [*([self.indicator] if self.indicator else []), *self.indicators]


class FilterType(StrEnum):
    time = "time"  # a time range: relative windows such as last_3_years, or all
    dimension = "dimension"  # values of an indicator dimension (town, category ...)


class FilterSpec(Strict):
    id: str
    type: FilterType
    title: str = ""
    dimension: str | None = Field(None, description="dimension filters: the indicator dimension")
    options_from: str | None = Field(None, description="dimension filters: indicator whose values are the options")
    windows: list[str] = Field(default_factory=lambda: ["all", "last_1_years", "last_3_years", "last_5_years"],
                               description="time filters: windows offered")
    default: str | list[str] | None = None
    multiple: bool = Field(True, description="dimension filters: several values may be chosen")

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _ident(v, "filter")

    @model_validator(mode="after")
    def _needs(self) -> FilterSpec:
        from lingshu.dashboards.windows import parse_window

        if self.type is FilterType.dimension and not (self.dimension and self.options_from):
            raise ValueError("a dimension filter needs dimension and options_from")
        if self.type is FilterType.time:
            for w in [*self.windows, *([self.default] if isinstance(self.default, str) else [])]:
                parse_window(w)  # raises ValueError naming the accepted forms
        return self


class DashboardSpec(Strict):
    id: str
    title: str = Field(description="Chinese title shown on the page")
    description: str = ""
    refresh_seconds: int | None = Field(None, ge=5, description="auto-refresh interval (big screen and office screens)")
    big_screen: bool = Field(False, description="offer the dark full-screen mode (/screen/...)")
    columns: int = Field(12, ge=1, le=48, description="grid columns")
    row_height: int = Field(90, ge=20, description="grid row height in pixels")
    filters: list[FilterSpec] = Field(default_factory=list)
    charts: list[ChartSpec]

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _ident(v, "dashboard")

    @model_validator(mode="after")
    def _unique(self) -> DashboardSpec:
        for what, ids in (("chart", [c.id for c in self.charts]), ("filter", [f.id for f in self.filters])):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                raise ValueError(f"{what} ids must be unique: {', '.join(dup)}")
        known = {f.id for f in self.filters}
        for c in self.charts:
            unknown = [f for f in [*c.ignore_filters, *c.filter_columns] if f not in known]
            if unknown:
                raise ValueError(f"chart {c.id} names unknown filter(s) {', '.join(unknown)}")
        return self

    def chart(self, chart_id: str) -> ChartSpec:
        for c in self.charts:
            if c.id == chart_id:
                return c
        from lingshu.dashboards.errors import DashboardError

        raise DashboardError(f"dashboard {self.id} has no chart {chart_id!r}",
                             hint=f"charts: {', '.join(c.id for c in self.charts)}")

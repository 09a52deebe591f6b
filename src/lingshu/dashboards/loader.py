"""Read every pack's dashboard files and check them against the indicator catalog.

The pack loader only checks that the files named under ``dashboards:`` exist; this module parses
them (``lingshu.core.yamlfile``: errors name the file and line) and checks what YAML alone cannot:
that each indicator exists and has the dimensions and grain a chart asks of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lingshu.core import yamlfile
from lingshu.core.errors import LingshuError
from lingshu.dashboards.errors import DashboardError
from lingshu.dashboards.spec import DashboardSpec, FilterType
from lingshu.indicators.spec import IndicatorSpec

if TYPE_CHECKING:
    from lingshu.indicators.service import IndicatorService
    from lingshu.pack.loader import PackCatalog


@dataclass
class Dashboard:
    pack: str
    spec: DashboardSpec
    path: Path
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        return f"{self.pack}/{self.spec.id}"

    def where(self, *loc: str | int) -> str:
        line = yamlfile.line_of(self.lines, loc)
        return f"{self.path}:{line}" if line else str(self.path)


def load_dashboard(pack: str, path: Path) -> Dashboard:
    data, lines = yamlfile.read_yaml(path)
    return Dashboard(pack, yamlfile.validate(DashboardSpec, data, path, lines), path, lines)


def load_dashboards(catalog: PackCatalog, indicators: IndicatorService | None = None) -> dict[str, Dashboard]:
    """``pack/dashboard`` -> Dashboard for every file every pack declares, checked if ``indicators``."""
    out: dict[str, Dashboard] = {}
    for pack in catalog.packs.values():
        for i, rel in enumerate(pack.spec.dashboards):
            dash = load_dashboard(pack.id, pack.root / rel)
            if dash.key in out:
                raise DashboardError(f"two dashboards of pack {pack.id} have the id {dash.spec.id!r}",
                                     where=pack.where("dashboards", i), hint="dashboard ids are unique within a pack")
            if indicators is not None:
                check_dashboard(dash, indicators)
            out[dash.key] = dash
    return out


def _spec(dash: Dashboard, indicators: IndicatorService, ref: str, *loc: str | int) -> IndicatorSpec:
    try:
        return indicators.resolve(ref, dash.pack)[2]
    except LingshuError as exc:
        raise DashboardError(exc.message, where=dash.where(*loc), hint=exc.hint) from None


def _dims(dash: Dashboard, spec: IndicatorSpec, names: list[str], *loc: str | int) -> None:
    for name in names:
        if spec.dimension(name) is None:
            raise DashboardError(f"indicator {spec.id} ({spec.name}) has no dimension {name!r}",
                                 where=dash.where(*loc),
                                 hint=f"its dimensions: {', '.join(d.name for d in spec.dims) or '(none)'}")


def check_dashboard(dash: Dashboard, indicators: IndicatorService) -> None:
    for c, chart in enumerate(dash.spec.charts):
        pairs: list[tuple[str, tuple[str | int, ...]]] = [(chart.indicator, ("indicator",))] if chart.indicator else []
        pairs += [(ref, ("indicators", k)) for k, ref in enumerate(chart.indicators)]
        for ref, loc in pairs:
            spec = _spec(dash, indicators, ref, "charts", c, *loc)
            _dims(dash, spec, chart.dimensions, "charts", c, "dimensions")
            for d, level in enumerate(chart.drill):
                _dims(dash, spec, level.dimensions, "charts", c, "drill", d)
            grains = [g for g in [chart.grain, *(lv.grain for lv in chart.drill)] if g]
            if grains and not spec.measure.derived:
                allowed = spec.time.grains if spec.time else []
                bad = [g.value for g in grains if g not in allowed]
                if bad:
                    raise DashboardError(f"indicator {spec.id} does not allow grain {', '.join(bad)}",
                                         where=dash.where("charts", c, "grain"),
                                         hint=f"allowed: {', '.join(g.value for g in allowed) or '(no time column)'}")
        for k, layer in enumerate(chart.layers):
            if layer.indicator:
                spec = _spec(dash, indicators, layer.indicator, "charts", c, "layers", k, "indicator")
                _dims(dash, spec, [layer.dimension], "charts", c, "layers", k, "dimension")
    for f, flt in enumerate(dash.spec.filters):
        if flt.type is FilterType.dimension and flt.options_from and flt.dimension:
            spec = _spec(dash, indicators, flt.options_from, "filters", f, "options_from")
            _dims(dash, spec, [flt.dimension], "filters", f, "dimension")

"""Helpers for the transport pack tests (workspace over the synthetic world, dashboard checks)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

TRANSPORT = Path(__file__).resolve().parents[2] / "packs" / "transport"


def transport_context(root: Path, world: Path, packs: list[str]) -> Iterator:
    """A workspace over ``world`` (linked as raw/synth) with ``packs`` run in order."""
    from lingshu.core.context import Context
    from lingshu.core.workspace import init_workspace

    ws = init_workspace(root, name="transport-test", pack_paths=[str(TRANSPORT)])
    ws.config.builtin_packs = False
    os.symlink(world, ws.folder("raw") / "synth")
    with Context(ws) as ctx:
        reports = {p: ctx.run(p) for p in packs}
        ctx.reports = reports  # type: ignore[attr-defined]
        yield ctx


def render_all_dashboards(ctx, pack_id: str) -> dict[str, dict]:
    """Every chart of every dashboard of the pack, as the browser would get it; errors fail."""
    from lingshu.dashboards.service import DashboardService, ViewState
    from lingshu.security.accounts import Principal

    ctx.security.grants.add("user:tester", f"indicator:{pack_id}.*", ["read"], granted_by="test")
    for table in ctx.catalog.get(pack_id).spec.apis:
        ctx.security.grants.add("user:tester", f"dataset:{table}", ["read"], granted_by="test")
    svc = DashboardService(ctx)
    out = {}
    for key, dash in svc.dashboards.items():
        if dash.pack != pack_id:
            continue
        data = svc.data(Principal("tester", ("analyst",)), dash, ViewState.parse(None))
        errors = {cid: c.get("error") for cid, c in data["charts"].items() if c.get("error")}
        assert not errors, f"{key}: {errors}"
        out[key] = data["charts"]
    return out


def charts_read_through_indicators(ctx, pack_id: str) -> None:
    """Charts name indicators (never SQL); tables and map layers read only published tables."""
    from lingshu.dashboards.service import DashboardService

    published = {t for p in ctx.catalog.packs.values() for t in p.spec.apis}
    for dash in DashboardService(ctx).dashboards.values():
        if dash.pack != pack_id:
            continue
        for chart in dash.spec.charts:
            if chart.type == "table":
                assert chart.dataset in published, (dash.key, chart.id)
            elif chart.type == "map":
                for layer in chart.layers:
                    assert layer.indicator or layer.dataset in published, (dash.key, chart.id)
            else:
                assert chart.all_indicators, (dash.key, chart.id)
                for ref in chart.all_indicators:
                    ctx.indicators.resolve(ref, pack_id)

"""The generation steps, in order. Each builds one domain and hands its outputs to the sink."""

from __future__ import annotations

from lingshu.synth.addresses import build_addresses
from lingshu.synth.context import Context
from lingshu.synth.generator import step
from lingshu.synth.geo import GEOMETRY_NOTE, build_geography
from lingshu.synth.roads import build_roads

REF = "reference"


@step("geography")
def geography(ctx: Context) -> None:
    geo = build_geography(ctx.cfg.seed)
    net = build_roads(geo, ctx.cfg.seed)
    addr = build_addresses(ctx.cfg, geo, net)
    ctx.world.update(geo=geo, net=net, addresses=addr)
    s = ctx.sink
    towns = geo.towns.drop(columns=["town_index", "grid_rows", "grid_cols"])
    s.write(towns, f"{REF}/towns.geojson", "geojson", table="towns", role="reference", description=f"临港乡镇边界, {GEOMETRY_NOTE}")
    s.write(geo.communities, f"{REF}/communities.geojson", "geojson", table="communities", role="reference", description="社区/村边界")
    s.write(geo.grids, f"{REF}/grid_cells.geojson", "geojson", table="grid_cells", role="reference", description="城市管理网格")
    s.write(geo.key_areas, f"{REF}/key_areas.geojson", "geojson", table="key_areas", role="reference", description="客流重点区域")
    s.write(net.roads, f"{REF}/roads.csv", "csv_utf8", table="roads", role="reference", description="道路基础信息 (WKT)")
    s.write(net.segments.drop(columns=["free_flow_factor"]), f"{REF}/road_segments.csv", "csv_utf8",
            table="road_segments", role="reference", description="路段 (WKT)")
    s.write(addr.drop(columns=["town_index"]), f"{REF}/address_base.csv", "csv_utf8", table="address_base",
            role="reference", description="标准地址库 (门牌地址)")


from lingshu.synth import steps_registers  # noqa: E402,F401  (registers enterprises, persons, ...)
from lingshu.synth import steps_mobility  # noqa: E402,F401
from lingshu.synth import steps_city  # noqa: E402,F401
from lingshu.synth import steps_services  # noqa: E402,F401
from lingshu.synth import steps_tail  # noqa: E402,F401  (upstream DB and ground truth, always last)

"""Final step: the ground truth (always registered last)."""

from __future__ import annotations

from lingshu.synth.context import Context
from lingshu.synth.generator import step
from lingshu.synth.writers import Entry

GT = "ground_truth"


@step("ground_truth")
def ground_truth(ctx: Context) -> None:
    s = ctx.sink
    s.write(ctx.gt.defects(), f"{GT}/defects.parquet", "parquet", table="defects", role="ground_truth",
            description="每条注入缺陷: source, record_id, field, defect_kind, true_value, dirty_value")
    ctx.gt.close_links()
    s.record(Entry(f"{GT}/entity_map.parquet", "entity_map", "parquet", ctx.gt.link_rows, "ground_truth", None,
                   "源记录 -> 真实实体"))
    for name in ("enterprises", "persons"):
        if name in ctx.world:
            s.write(ctx.world[name].drop(columns=["town_index"], errors="ignore"), f"{GT}/{name}.parquet", "parquet",
                    table=f"true_{name}", role="ground_truth", description="干净的真实登记 (评分用)")

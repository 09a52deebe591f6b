"""Final steps: the upstream database and the ground truth (always registered last)."""

from __future__ import annotations

from lingshu.synth import upstream
from lingshu.synth.context import Context
from lingshu.synth.generator import db_entries, step

GT = "ground_truth"


@step("upstream_db")
def upstream_db(ctx: Context) -> None:
    rel = None
    url = ctx.cfg.db_url
    if url is None:
        rel = "sources/upstream.sqlite"
        path = ctx.sink.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        url = upstream.sqlite_url(path)
    upstream.write_tables(url, ctx.db_tables)
    for e in db_entries(ctx, rel):
        ctx.sink.record(e)


@step("ground_truth")
def ground_truth(ctx: Context) -> None:
    s = ctx.sink
    s.write(ctx.gt.defects(), f"{GT}/defects.parquet", "parquet", table="defects", role="ground_truth",
            description="每条注入缺陷: source, record_id, field, defect_kind, true_value, dirty_value")
    s.write(ctx.gt.entity_map(), f"{GT}/entity_map.parquet", "parquet", table="entity_map", role="ground_truth",
            description="源记录 -> 真实实体")
    for name in ("enterprises", "persons"):
        if name in ctx.world:
            s.write(ctx.world[name].drop(columns=["town_index"], errors="ignore"), f"{GT}/{name}.parquet", "parquet",
                    table=f"true_{name}", role="ground_truth", description="干净的真实登记 (评分用)")

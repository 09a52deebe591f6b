"""An indicator by town and day over ~17 million speed records: materialized vs on the fly (issue 15).

    .venv/bin/python benchmarks/indicator_speed.py [--segments 2000] [--days 30] [--repeat 5]

Builds a workspace holding the transport packs, fills the congestion pack's input tables with
SEGMENTS x DAYS x 288 five-minute speeds (benchmarks/traffic_data.py), builds the pack's models
dws.cg_free_flow and dws.cg_area_15min (the 15-minute x town x road class sums over the 17.28
million records at the defaults, ~127k rows) and the declared materialization
dws.congestion_index_time_by_town_day through the platform's own materialize(), then asks the
indicator service for congestion_index.network_tpi (TPI = gbt33171_tpi(1 - Σt_f/Σt)) by town and
day, on the fly (aggregating the 15-minute sums) and materialized (re-aggregating the town x road
class x day-type x day table). Until the pack replaced it, the on-the-fly path aggregated a
17.28M-row 5-minute table: compare figures only with the same model. Prints both times (best of
REPEAT) and the ratio, and checks the two answers are equal.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--segments", type=int, default=2000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    sys.path.insert(0, str(Path(__file__).parent))
    from traffic_data import build

    from lingshu.core.context import Context
    from lingshu.core.workspace import init_workspace
    from lingshu.indicators.spec import Grain, IndicatorQuery
    from lingshu.models.materialize import materialize
    from lingshu.state.store import TableUpdate

    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws", name="bench", pack_paths=[str(ROOT / "packs" / "transport")])
        ws.config.builtin_packs = False
        with Context(ws) as ctx:
            t0 = time.perf_counter()
            build(ctx.engine.con, args.segments, args.days)
            rows = ctx.engine.scalar("SELECT count(*) FROM dwd.cg_speed")
            print(f"data: {rows:,} speed records ({args.segments:,} segments x {args.days} days x 288), "
                  f"{time.perf_counter() - t0:.1f} s", flush=True)
            for table in ("dws.cg_free_flow", "dws.cg_area_15min", "dws.congestion_index_time_by_town_day"):
                t0 = time.perf_counter()
                materialize(ctx.engine, ctx.catalog.node(table), TableUpdate(table, "model"))
                layer, name = table.split(".")
                print(f"built {table}: {ctx.engine.row_count(layer, name):,} rows, "
                      f"{time.perf_counter() - t0:.1f} s", flush=True)
            query = IndicatorQuery(indicator="congestion_index.network_tpi", dimensions=["town"], grain=Grain.day)
            results = {}
            for label, materialized in (("on the fly", False), ("materialized", True)):
                best = float("inf")
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    result = ctx.indicators.query(query, materialized=materialized)
                    best = min(best, time.perf_counter() - t0)
                results[label] = (best, result)
                print(f"{label:13s} {best * 1000:9.1f} ms  ({result.table.num_rows} rows; source {result.source})",
                      flush=True)
            fly, mat = results["on the fly"], results["materialized"]
            assert fly[1].table.to_pylist() == mat[1].table.to_pylist(), "the two answers differ"
            threads = ctx.engine.scalar("SELECT current_setting('threads')")
            print(f"ratio on the fly / materialized: {fly[0] / mat[0]:.0f}x (answers identical); "
                  f"DuckDB threads {threads}, cpus {os.cpu_count()}")


if __name__ == "__main__":
    main()

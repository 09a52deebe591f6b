"""The congestion pack on both engines: DuckDB (embedded) and Spark (local mode), same synthetic world.

    .venv/bin/python benchmarks/congestion_engines.py [--scales 1 10] [--traffic-days N] [--master local[2]]
                                                      [--driver-memory 6g]

For each scale, one synthetic world (`lingshu synth`), then per engine, in its own subprocess (so
neither warms the other's caches and Spark's JVM is started afresh): open the engine, build
`road_archive` (the segments the congestion pack joins; it is also the pack that uses the ST_*
functions), then `congestion_index`, each a full refresh through the platform runner, exactly as
`lingshu run PACK --engine E` does. Prints the seconds per stage side by side with the ratio
Spark / DuckDB, and checks that both engines produced the same row count for every table.

Spark's start-up (JVM, session) is shown on its own line, not hidden in the first pack. On one
2-core machine Spark pays its distribution overhead (tasks, shuffles, Python workers for UDFs)
without the cluster that would pay it back: the ratio says what a pack costs on Spark in local
mode, not what a cluster would do.

Spark's driver gets ``--driver-memory`` (default 6g, through the workspace's ``spark.conf``): in
local mode the driver JVM also runs the executors' tasks, and the platform's 1 GB default (sized
for tests) ran out at scale 1, where the JVM died and Py4J reported "connection refused".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKS = ["road_archive", "congestion_index"]


DRIVER_MEMORY = "6g"


def child(engine: str, ws_dir: Path, master: str | None, driver_memory: str = DRIVER_MEMORY) -> None:
    """Runs in the subprocess: time engine start-up and each pack; print one JSON line."""
    from lingshu.core.context import Context
    from lingshu.core.runner import run_pack
    from lingshu.core.workspace import Workspace

    if master:
        os.environ["LINGSHU_SPARK_MASTER"] = master
    ws = Workspace.load(ws_dir)
    ws.config.builtin_packs = False  # the transport packs come from pack_paths (this checkout's)
    ws.config.warehouse = f"warehouse-bench-{engine}.duckdb"
    ws.config.spark.warehouse = f"warehouse-bench-{engine}"
    # Read when the JVM starts (the child's first engine), so it takes effect here and nowhere else.
    ws.config.spark.conf["spark.driver.memory"] = driver_memory
    # Spark's scratch space (and PySpark's, which createDataFrame writes every Arrow table through)
    # defaults to /tmp/spark-<uuid>. On a shared machine, cleaners of /tmp/spark-* removed that
    # folder under a live JVM at scale 1 (FileNotFoundError in _serialize_to_jvm). A folder inside
    # this run's own temporary world is private to it and removed with it. Kept out of the platform
    # defaults: where scratch space lives (and how big it is) is the operator's choice there.
    ws.config.spark.conf["spark.local.dir"] = str(ws_dir / "spark-local")
    out: dict = {"engine": engine, "seconds": {}, "rows": {}, "errors": []}
    t0 = time.perf_counter()
    with Context(ws, engine=engine) as ctx:
        ctx.engine  # noqa: B018 - opening the engine starts Spark's JVM
        out["seconds"]["start"] = time.perf_counter() - t0
        for pack in PACKS:
            t = time.perf_counter()
            report = run_pack(ctx, pack, full_refresh=True)
            out["seconds"][pack] = time.perf_counter() - t
            out["errors"] += [f"{pack}/{s.table}: {str(s.error)[:300]}" for s in report.steps if s.error]
            for table in ctx.catalog.get(pack).produces():
                layer, name = table.split(".")
                out["rows"][table] = ctx.engine.row_count(layer, name)
    print("RESULT " + json.dumps(out), flush=True)


def run_engine(engine: str, ws: Path, master: str | None, driver_memory: str = DRIVER_MEMORY) -> dict:
    cmd = [sys.executable, __file__, "--child", engine, "--workspace", str(ws), "--driver-memory", driver_memory]
    if master:
        cmd += ["--master", master]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    # The child's whole stderr is kept outside the world's folder (removed at the end): the last
    # lines of a chained traceback can name a follow-on error, not the cause.
    log = Path(tempfile.gettempdir()) / f"{ws.parent.name}-{engine}.log"
    log.write_text(proc.stderr, encoding="utf-8")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-3:]
        return {"engine": engine, "seconds": {}, "rows": {}, "wall": wall,
                "errors": [f"exit {proc.returncode}: {tail} (full stderr: {log})"]}
    result = json.loads(lines[-1][len("RESULT "):])
    result["wall"] = wall
    return result


def setup(tmp: Path, scale: float, traffic_days: int | None) -> tuple[Path, float]:
    from lingshu.core.workspace import init_workspace
    from lingshu.synth import SynthConfig, generate

    world = tmp / "world"
    t = time.perf_counter()
    generate(SynthConfig(scale=scale, seed=7, excel=False, traffic_days=traffic_days), world)
    synth_s = time.perf_counter() - t
    ws = init_workspace(tmp / "ws", name=f"bench-congestion-{scale:g}",
                        pack_paths=[str(ROOT / "packs" / "transport")])
    os.symlink(world, ws.folder("raw") / "synth")
    return tmp / "ws", synth_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10])
    parser.add_argument("--traffic-days", type=int, default=None, help="days of speeds (default: by scale)")
    parser.add_argument("--master", default=None, help="Spark master (default local[2])")
    parser.add_argument("--driver-memory", default=DRIVER_MEMORY,
                        help=f"Spark driver memory in local mode (default {DRIVER_MEMORY}; tests use 1g)")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--workspace", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.workspace), args.master, args.driver_memory)
        return

    print(f"{'scale':>6} {'stage':<18}{'DuckDB s':>10}{'Spark s':>10}{'Spark/DuckDB':>14}", flush=True)
    for scale in args.scales:
        tmp = Path(tempfile.mkdtemp(prefix=f"lingshu-cg-engines-{scale:g}-"))
        try:
            ws, synth_s = setup(tmp, scale, args.traffic_days)
            speeds = _speed_rows(ws)
            print(f"{scale:>6g} synth {synth_s:.1f} s, {speeds:,} speed records", flush=True)
            duck, spark = run_engine("duckdb", ws, None), run_engine("spark", ws, args.master, args.driver_memory)
            for stage in ["start", *PACKS]:
                d, s = duck["seconds"].get(stage), spark["seconds"].get(stage)
                ratio = f"{s / d:>13.1f}x" if d and s else f"{'-':>14}"
                print(f"{scale:>6g} {stage:<18}{_fmt(d)}{_fmt(s)}{ratio}", flush=True)
            print(f"{scale:>6g} load average after the runs: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
                  f"({os.cpu_count()} cores)", flush=True)
            d = sum(duck["seconds"].get(p, 0) for p in PACKS)
            s = sum(spark["seconds"].get(p, 0) for p in PACKS)
            print(f"{scale:>6g} {'both packs':<18}{_fmt(d)}{_fmt(s)}{(s / d if d else 0):>13.1f}x", flush=True)
            for r in (duck, spark):
                for err in r["errors"]:
                    print(f"    ! {r['engine']}: {err}", flush=True)
            differ = sorted(t for t in set(duck["rows"]) | set(spark["rows"])
                            if duck["rows"].get(t) != spark["rows"].get(t))
            print(f"{scale:>6g} row counts: {'equal on both engines' if not differ else 'DIFFER: ' + ', '.join(differ)}"
                  f" ({len(duck['rows'])} tables)", flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _speed_rows(ws: Path) -> int:
    """Rows of the floating-car speed files (the congestion pack's big input), headers excluded."""
    total = 0
    for path in (ws / "raw" / "synth" / "sources" / "csv" / "浮动车").glob("*.csv"):
        with path.open("rb") as f:
            total += sum(1 for _ in f) - 1
    return total


def _fmt(x: float | None) -> str:
    return f"{x:>10.1f}" if x is not None else f"{'-':>10}"


if __name__ == "__main__":
    main()

"""The congestion pack's computation against a straightforward pandas implementation, same data.

    .venv/bin/python benchmarks/congestion_vs_pandas.py [--segments 2000] [--days 30] [--rounds 6]

Data: SEGMENTS x DAYS x 288 five-minute speeds (2,000 x 30 x 288 = 17.28 million), built in SQL
(benchmarks/traffic_data.py) and written to Parquet, which both sides read.

Lingshu: the pack's own model SQL files (dws/cg_free_flow, dws/cg_segment_15min,
dws/cg_area_15min, dws/cg_grade_15min, ads/cg_network_tpi) run in order on DuckDB with the
analysis macros, exactly as `lingshu run congestion_index` builds them (without the ingest and
update-log bookkeeping). dws/cg_grade_15min (15 minutes x town x road class x grade sums) is what
the network TPI reads, so it stands where the TPI's own aggregate over the segment states stood.
dws/cg_area_15min (the 15-minute x town x road class sums of the 5-minute records that the
indicators read) is not needed by the network TPI, but the pack builds it every run, so pandas
computes the same sums and both sides' sums are compared. Each side computes what the pack
computes and nothing more: the per-record 5-minute TTI, DTP and grade that the pack no longer
writes (its 5-minute table was replaced by the area sums) are not computed by pandas either, and
what the pack stores besides the speeds (with each free-flow speed its days observed, first and
last day, intervals used and averaged; with each 15-minute state its records and probe vehicles)
pandas computes too, and both sides' are compared. pandas: the same GB/T 33171 steps written the
way an analyst would (groupby, merge, np.select, vectorized throughout, no Python loops over rows).

Lingshu runs twice: with its tables in memory (as pandas keeps its frames: nothing persisted) and
on a warehouse file, as the pack writes them (DuckDB compresses and checkpoints each table, which
costs most in the 5.76M-row 15-minute table). The first is compared with pandas' compute; the
second with pandas' compute plus writing its tables to Parquet (the free-flow speeds, the
15-minute states with the pack's columns, the area sums and the network index), the way an
analyst keeps results: both sides then persist the same tables.

Each side runs in its own subprocess, so its peak memory (ru_maxrss) is its own, ROUNDS times,
the sides interleaved, each round in another of their six orders; the ratio is taken between
the runs with the median compute time (runs of one side differ by 10-15 % on an idle machine,
pandas' by more: below). Prints every run's times and peak and the ratio, and exits with an
error if the network TPI series, the 15-minute area sums, the free-flow bookkeeping or the
15-minute states (rows, records, probe vehicles, rows per grade) disagree.

The CPU time is split out into its kernel part: pandas allocates a fresh array for every
intermediate column (4.5 GB at its peak) and each one is page-faulted in again, so its time
depends on what a page fault costs on the machine, and on this virtual machine that depends on
what ran before: pandas took 13-15 s straight after another pandas run and 18-19 s straight
after lingshu-file, 5-6.5 s and 9.5-10.5 s of it kernel time (2026-11-28, one side at a time
with --child). Hence the six orders. DuckDB reuses its own buffers (0.4-0.7 s kernel). Read the
ratio with the kernel line next to it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "packs" / "transport" / "congestion_index" / "models"
TPI_TOLERANCE = 0.011  # TPI is rounded to 2 decimals: a value on a rounding tie may land 0.01 apart
AREA_SUMS = ["records", "samples", "free_flow_time_s", "effective_time_s", "speed_sum_kmh"]
STEPS = ["dws/cg_free_flow", "dws/cg_segment_15min", "dws/cg_area_15min", "dws/cg_grade_15min", "ads/cg_network_tpi"]


def _kernel() -> float:
    """Kernel CPU seconds of this process: mostly page faults on freshly allocated memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_stime


def _cpu() -> float:
    """CPU seconds of this process (all threads): on a loaded machine, less noisy than wall time."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def make_data(folder: Path, segments: int, days: int) -> None:
    import duckdb

    sys.path.insert(0, str(Path(__file__).parent))
    from traffic_data import build

    con = duckdb.connect()
    build(con, segments, days)
    con.execute(f"COPY dwd.cg_speed TO '{folder / 'speed.parquet'}' (FORMAT parquet)")
    con.execute(f"COPY (SELECT segment_id, road_id, road_name, road_class, town, length_m, speed_limit_kmh "
                f"FROM dwd.road_segment) TO '{folder / 'segments.parquet'}' (FORMAT parquet)")
    print(f"data: {con.sql('SELECT count(*) FROM dwd.cg_speed').fetchone()[0]:,} speed records, "
          f"{segments:,} segments, {days} days", flush=True)


def open_lingshu(warehouse: str = ":memory:"):
    """A DuckDB engine with the pack's SQL functions and its schemas."""
    from lingshu.analysis.sql import register_sql
    from lingshu.engines import open_engine
    from lingshu.govern.sql import register_sql as register_govern

    engine = open_engine("duckdb", warehouse)
    register_govern(engine)
    register_sql(engine)
    for schema in ("dwd", "dws", "ads"):
        engine.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    return engine


def load_lingshu(engine, folder: Path) -> None:
    """The benchmark's speeds and segments, as the pack's dwd tables."""
    engine.execute(f"CREATE TABLE dwd.cg_speed AS SELECT * FROM '{folder / 'speed.parquet'}'")
    engine.execute(f"CREATE TABLE dwd.road_segment AS SELECT * FROM '{folder / 'segments.parquet'}'")


def run_lingshu(folder: Path, warehouse: str = ":memory:") -> dict:
    engine = open_lingshu(warehouse)
    t0 = time.perf_counter()
    load_lingshu(engine, folder)
    t1, c1, k1 = time.perf_counter(), _cpu(), _kernel()
    steps = {}
    for step in STEPS:
        layer, name = step.split("/")
        sql = (PACK / f"{step}.sql").read_text(encoding="utf-8")
        ts, cs = time.perf_counter(), _cpu()
        engine.execute(f"CREATE TABLE {layer}.{name} AS {sql}")
        steps[step] = (time.perf_counter() - ts, _cpu() - cs)
    t2, c2, k2 = time.perf_counter(), _cpu(), _kernel()
    tpi = engine.query("SELECT ts, tpi FROM ads.cg_network_tpi WHERE area = '全网' ORDER BY ts").to_pandas()
    area = engine.query("SELECT records, samples, free_flow_time_h * 3600 AS free_flow_time_s, "
                        "effective_time_h * 3600 AS effective_time_s, speed_sum_kmh FROM dws.cg_area_15min").to_pandas()
    ff = engine.query("SELECT days_observed, intervals_used, top_intervals, first_day, last_day "
                      "FROM dws.cg_free_flow").to_pandas()
    s15 = engine.query("SELECT samples, records, grade FROM dws.cg_segment_15min").to_pandas()
    return {"load_s": t1 - t0, "compute_s": t2 - t1, "compute_cpu_s": c2 - c1, "kernel_s": k2 - k1, "steps": steps,
            "tpi": tpi["tpi"].round(2).tolist(), "area": _area_check(area), "free_flow": _free_flow_check(ff),
            "segments": _segments_check(s15)}


def run_pandas(folder: Path) -> dict:
    import numpy as np
    import pandas as pd

    from lingshu.analysis.traffic import tpi as tpi_of

    t0 = time.perf_counter()
    speed = pd.read_parquet(folder / "speed.parquet")
    segs = pd.read_parquet(folder / "segments.parquet")
    t1, c1, k1 = time.perf_counter(), _cpu(), _kernel()
    # free-flow speed: 06:00-24:00 15-minute interval means across days, top 1/9 averaged, capped
    day = speed[speed["ts"].dt.hour >= 6]
    slot = day["ts"].dt.hour * 4 + day["ts"].dt.minute // 15
    means = day.groupby([day["segment_id"], slot])["speed_kmh"].mean().rename("m").reset_index()
    means["k"] = means.groupby("segment_id")["m"].rank(method="first", ascending=False)
    means["n"] = means.groupby("segment_id")["m"].transform("size")
    top = means[means["k"] <= np.ceil(means["n"] / 9)].groupby("segment_id")["m"].agg(["mean", "size"])
    ff = segs.set_index("segment_id").join(top.rename(columns={"mean": "top", "size": "top_intervals"}), how="inner")
    ff["v_f"] = np.minimum(ff["top"], ff["speed_limit_kmh"]).round(3)
    ff["intervals_used"] = means.groupby("segment_id").size()
    # the days observed, stored with every free-flow speed (the standard asks for 30)
    ff = ff.join(speed["ts"].dt.normalize().groupby(speed["segment_id"]).agg(
        days_observed="nunique", first_day="min", last_day="max"))
    # 5-minute records: travel time t = L / v, free-flow time t_f = L / v_f, effective max(t, t_f)
    d = speed.merge(ff[["v_f", "length_m", "town", "road_class"]], left_on="segment_id", right_index=True)
    d["t"] = d["length_m"] * 3.6 / d["speed_kmh"]
    d["tf"] = d["length_m"] * 3.6 / d["v_f"]
    d["te"] = np.maximum(d["t"], d["tf"])
    d["q"] = d["ts"].dt.floor("15min")
    # network sums per 15 minutes, town and road class over the 5-minute records (dws.cg_area_15min)
    area = d.groupby(["q", "town", "road_class"]).agg(
        records=("t", "size"), samples=("samples", "sum"), free_flow_time_s=("tf", "sum"),
        effective_time_s=("te", "sum"), speed_sum_kmh=("speed_kmh", "sum")).reset_index()
    # 15-minute segment states
    s15 = d.groupby(["segment_id", "q"]).agg(t=("t", "mean"), samples=("samples", "sum"), records=("t", "size"),
                                             tf=("tf", "first"), length_m=("length_m", "first"),
                                             v_f=("v_f", "first"), town=("town", "first")).reset_index()
    s15["te"] = np.maximum(s15["t"], s15["tf"])
    s15["speed"] = (s15["length_m"] * 3.6 / s15["t"]).round(2)
    v15, vf15 = (s15["speed"] * 1000).round().astype("int64"), (s15["v_f"] * 1000).round().astype("int64")
    s15["grade"] = np.select([10 * v15 > 7 * vf15, 10 * v15 > 5 * vf15, 10 * v15 > 4 * vf15, 10 * v15 > 3 * vf15],
                             ["畅通", "基本畅通", "轻度拥堵", "中度拥堵"], "严重拥堵")
    # network and per-town DTP/TPI and mileage shares per 15 minutes
    out = []
    for keys in (["q"], ["q", "town"]):
        g = s15.groupby(keys)
        net = g[["tf", "te", "length_m"]].sum()
        net["dtp"] = 1 - net["tf"] / net["te"]
        shares = s15.pivot_table(index=keys, columns="grade", values="length_m", aggfunc="sum", fill_value=0)
        net = net.join(shares.div(net["length_m"], axis=0))
        net["tpi"] = net["dtp"].map(tpi_of).round(2)
        out.append(net)
    t2, c2, k2 = time.perf_counter(), _cpu(), _kernel()
    # Kept, as the pack keeps its tables: each one to Parquet, the 15-minute states with the
    # columns the pack writes (dws.cg_segment_15min), so the write compares with lingshu-file.
    keep = folder / "pandas_out"
    keep.mkdir(exist_ok=True)
    ff.reset_index().to_parquet(keep / "free_flow.parquet")
    s15.rename(columns={"q": "ts", "t": "travel_time_s"})[
        ["segment_id", "ts", "travel_time_s", "samples", "records", "grade"]].to_parquet(keep / "segment_15min.parquet")
    area.to_parquet(keep / "area_15min.parquet")
    network = pd.concat([out[0].reset_index().assign(town="全网"), out[1].reset_index()])
    network.rename(columns={"town": "area", "q": "ts"}).to_parquet(keep / "network_tpi.parquet")
    t3, c3 = time.perf_counter(), _cpu()
    return {"load_s": t1 - t0, "compute_s": t2 - t1, "compute_cpu_s": c2 - c1, "kernel_s": k2 - k1,
            "write_s": t3 - t2, "write_cpu_s": c3 - c2, "tpi": out[0]["tpi"].tolist(), "area": _area_check(area),
            "free_flow": _free_flow_check(ff), "segments": _segments_check(s15)}


def _area_check(area) -> list[float]:
    """Checksums of the 15-minute area sums, the same on both sides (rounded: summation order)."""
    return [round(float(area[c].sum()), 1) for c in AREA_SUMS] + [len(area)]


def _free_flow_check(ff) -> list:
    """What dws.cg_free_flow stores besides v_f: intervals used, top intervals, days observed."""
    return [len(ff), int(ff["intervals_used"].sum()), int(ff["top_intervals"].sum()),
            int(ff["days_observed"].sum()), str(ff["first_day"].min())[:10], str(ff["last_day"].max())[:10]]


def _segments_check(s15) -> list:
    """The 15-minute segment states: rows, records, probe vehicles and the count in each grade."""
    grades = s15["grade"].value_counts()
    return [len(s15), int(s15["records"].sum()), int(s15["samples"].sum())] + [
        [str(g), int(grades[g])] for g in sorted(grades.index)]


def _fresh(path: Path) -> str:
    """A warehouse file path with nothing left at it from an earlier round."""
    for old in (path, path.with_name(path.name + ".wal")):
        old.unlink(missing_ok=True)
    return str(path)


SIDES = {
    "lingshu": run_lingshu,
    "lingshu-file": lambda folder: run_lingshu(folder, _fresh(folder / "warehouse.duckdb")),
    "pandas": run_pandas,
}


def child(side: str, folder: str) -> None:
    result = SIDES[side](Path(folder))
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def _close(a: list[float], b: list[float]) -> bool:
    # Within one part in a million: the sides' averages of the top interval means can round a
    # segment's v_f (3 decimals) a thousandth apart, which moves a month of free-flow times a little.
    return all(abs(x - y) <= 1e-6 * max(1.0, abs(y)) for x, y in zip(a, b, strict=True))


def _run(side: str, folder: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", side, str(folder)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{side} failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    r = json.loads(next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))[7:])
    print(f"{side:12s} load {r['load_s']:6.1f} s  compute {r['compute_s']:6.1f} s "
          f"(CPU {r['compute_cpu_s']:6.1f} s, of it kernel {r['kernel_s']:5.1f} s)  "
          f"peak memory {r['peak_mb']:7.0f} MB", flush=True)
    if "write_s" in r:
        print(f"               then its tables to Parquet {r['write_s']:6.1f} s", flush=True)
    for step, (wall, cpu) in r.get("steps", {}).items():
        print(f"               {step:22s} {wall:6.1f} s (CPU {cpu:6.1f} s)", flush=True)
    return r


def _median(runs: list[dict]) -> dict:
    """The run with the median compute time (its load, CPU and memory come with it)."""
    return sorted(runs, key=lambda r: r["compute_s"])[len(runs) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--segments", type=int, default=2000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=6,
                    help="runs of each side, interleaved, one order of the sides per round; the median is compared")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    # The machine's load is printed with the figures: on a shared machine it moves both sides' times.
    print("load average (1, 5, 15 min) at start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    runs: dict[str, list[dict]] = {side: [] for side in SIDES}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_data(folder, args.segments, args.days)
        # Sides interleaved round by round, so a change in the machine's load falls on all of them,
        # each round in another order: a side's page faults cost more or less with what ran just
        # before it (the docstring's figures).
        orders = list(itertools.permutations(SIDES))
        for n in range(args.rounds):
            turn = orders[n % len(orders)]
            print(f"round {n + 1} of {args.rounds}: {', '.join(turn)}", flush=True)
            for side in turn:
                runs[side].append(_run(side, folder))
    results = {side: _median(r) for side, r in runs.items()}
    b = results["pandas"]
    disagree = []
    print(f"median of {args.rounds} runs per side: " + ", ".join(
        f"{side} {results[side]['compute_s']:.1f} s" for side in SIDES))
    # In memory against pandas' compute; on a warehouse file (the pack's tables compressed and
    # checkpointed) against pandas' compute plus writing the same tables to Parquet.
    for side, title, kept, kept_cpu in (("lingshu", "lingshu in memory", 0.0, 0.0),
                                        ("lingshu-file", "lingshu on a warehouse file", b["write_s"], b["write_cpu_s"])):
        a = results[side]
        diff = max(abs(x - y) for x, y in zip(a["tpi"], b["tpi"], strict=True))
        sums_agree = _close(a["area"], b["area"])
        states_agree = a["free_flow"] == b["free_flow"] and a["segments"] == b["segments"]
        if diff > TPI_TOLERANCE or not sums_agree or not states_agree:
            disagree.append(title)
        print(f"{title}: network TPI series of {len(a['tpi'])} intervals, max difference from pandas {diff:.3f}; "
              f"15-minute area sums {'agree' if sums_agree else 'DIFFER'} "
              f"({a['area'][-1]:,} rows, {' / '.join(AREA_SUMS)}); free-flow days and intervals and "
              f"15-minute segment states (rows, records, samples, rows per grade) "
              f"{'agree' if states_agree else 'DIFFER: ' + json.dumps([a['free_flow'], a['segments']])}")
        spent = b["compute_s"] + kept
        print(f"  ratio pandas{' (with its Parquet writes)' if kept else ''} / lingshu, compute: "
              f"{spent / a['compute_s']:.1f}x (CPU {(b['compute_cpu_s'] + kept_cpu) / a['compute_cpu_s']:.1f}x); "
              f"load + compute: {(b['load_s'] + spent) / (a['load_s'] + a['compute_s']):.1f}x; "
              f"peak memory pandas / lingshu: {b['peak_mb'] / a['peak_mb']:.1f}x")
    print("load average (1, 5, 15 min) at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    if disagree:
        raise SystemExit(f"results differ from pandas ({', '.join(disagree)}): the timings compare different work")


if __name__ == "__main__":
    main()

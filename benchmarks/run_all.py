"""Run every benchmark and write docs/benchmarks.md (``make bench``; ``make bench-quick`` for CI).

    .venv/bin/python benchmarks/run_all.py [--quick] [--only NAME ...] [--out docs/benchmarks.md]

Each benchmark is a script in this folder that prints its figure, the baseline measured in the
same run on the same data, and the ratio; this runner records the machine, runs them one after
another (never in parallel: they would measure each other), and copies their output verbatim
into the report with the command that reproduces it. Quick mode uses small sizes so CI can check
that every script still works; its figures are not for quoting.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True)
class Bench:
    name: str
    script: str
    title: str
    full: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()


BENCHMARKS = [
    Bench("ingest", "ingest_vs_read_csv.py", "Ingest vs DuckDB's bare read_csv", (), ("--rows", "200000")),
    Bench("validators", "validators_vs_python.py", "ID validation vs per-row Python (id-validator)",
          (), ("--rows", "200000", "--python-rows", "300", "--loop-rows", "20000")),
    Bench("quality", "quality_rules.py", "30 quality rules: batched vs per-rule queries vs Great Expectations",
          (), ("--rows", "200000", "--ge-rows", "20000", "--repeat", "1")),
    Bench("crypto", "crypto_ids.py", "SM4 encrypt/decrypt of ID numbers", (), ("--rows", "20000")),
    Bench("api", "api_vs_datasette.py", "Data API vs Datasette under load", (),
          ("--rows", "20000", "--clients", "4", "--seconds", "2")),
    Bench("ingest_memory", "ingest_sqldb_memory.py", "Chunked PostgreSQL reads: flat memory", (),
          ("--rows", "50000")),
    Bench("dashboard", "dashboard_draw.py", "Dashboard draw time in headless Chromium", (), ("--repeat", "2")),
    Bench("synth", "synth_scale.py", "Synthetic world generation: time and memory by scale", (),
          ("--scales", "0.05")),
    Bench("scale", "scale_curve.py", "Full demo end to end and scale curve (time, peak memory per stage)",
          (), ("--scales", "0.05", "--packs", "example_enterprises")),
]


def optional(name: str, script: str, title: str, quick: tuple[str, ...], full: tuple[str, ...] = ()) -> None:
    """Benchmarks that arrive with packs: listed when their script exists."""
    if (HERE / script).exists():
        BENCHMARKS.append(Bench(name, script, title, full, quick))


optional("congestion", "congestion_vs_pandas.py", "Congestion pack vs pandas", ("--segments", "50", "--days", "3", "--rounds", "1"))
optional("congestion_profile", "congestion_profile.py", "Congestion pack: where the 15-minute model's time goes on a file",
         ("--segments", "50", "--days", "3", "--repeat", "1"))
optional("indicator", "indicator_speed.py", "Indicator by town and day over the speed records: materialized vs on the fly",
         ("--segments", "50", "--days", "3", "--repeat", "2"))
optional("er_quality", "er_quality.py", "Matching quality vs Splink defaults and recordlinkage", ("--scale", "0.05"))
# Spark in local mode on 2 cores needs about 5 minutes at scale 0.1 (its UDFs and task overhead):
# `make bench` stops there; scales 1 and 10 are run by hand (`--scales 1 10`, see docs/spark.md).
optional("congestion_engines", "congestion_engines.py", "Congestion pack on DuckDB vs Spark (local mode)",
         ("--scales", "0.05", "--traffic-days", "1"), ("--scales", "0.1"))
optional("er_scale", "er_scale.py", "Matching speed on a million person records", ("--records", "20000",
                                                                                      "--train-sample", "5000"))


def machine() -> list[str]:
    import duckdb

    mem_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    load = os.getloadavg()
    return [f"- date: {dt.datetime.now().isoformat(timespec='minutes')}",
            f"- CPU: {cpu}, {os.cpu_count()} cores; memory {mem_kb / 1024 / 1024:.1f} GiB",
            f"- load average at start: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (shared machine: figures are noisy)",
            f"- Python {platform.python_version()}, DuckDB {duckdb.__version__}, {platform.platform()}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="+")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    chosen = [b for b in BENCHMARKS if not args.only or b.name in args.only]
    header = ["# Benchmarks", "", "Generated by `make bench` (`benchmarks/run_all.py`); every figure below is the "
              "verbatim output of the command above it, measured in one run on this machine.",
              "What the comparisons mean and why some targets are not met: `docs/benchmark-notes.md`.",
              "Quick mode (small sizes, for CI) — not for quoting." if args.quick else "", "", "## Machine", "",
              *machine(), ""]
    sections, failures = [], []
    for bench in chosen:
        extra = bench.quick if args.quick else bench.full
        cmd = [sys.executable, str(HERE / bench.script), *extra]
        shown = " ".join([".venv/bin/python", f"benchmarks/{bench.script}", *extra])
        print(f"== {bench.name}: {shown}", flush=True)
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        took = time.perf_counter() - start
        output = (proc.stdout.strip() or "(no output)").splitlines()
        print("\n".join(output[-12:]), flush=True)
        if proc.returncode != 0:
            failures.append(bench.name)
            output += ["", f"FAILED with exit code {proc.returncode}:", *proc.stderr.strip().splitlines()[-15:]]
        load = os.getloadavg()[0]
        sections += [f"## {bench.title}", "", f"`{shown}` ({took:.0f} s; load average {load:.1f} at the end)", "",
                     "```", *output, "```", ""]
        # Written after every benchmark: a long run that is stopped still leaves what it measured.
        pending = [b.name for b in chosen[chosen.index(bench) + 1:]]
        footer = [f"_Run in progress: still to run {', '.join(pending)}._", ""] if pending else []
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join([*header, *sections, *footer]), encoding="utf-8")
    print(f"wrote {args.out}")
    if failures:
        raise SystemExit(f"benchmarks failed: {', '.join(failures)}")


if __name__ == "__main__":
    main()

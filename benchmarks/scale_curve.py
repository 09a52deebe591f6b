"""The full demo at several scales: time and peak memory per stage (synth, then each demo pack).

    .venv/bin/python benchmarks/scale_curve.py [--scales 1 10 50] [--packs ...]

Each stage runs as its own process under GNU time, so the peak resident memory is the stage's own.
The smallest scale is the "full demo end to end" figure; the curve shows how cost grows with data.
Spark takes over when a stage's working set no longer fits the machine (see docs/spark.md); at
these scales everything runs on the embedded DuckDB engine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lingshu.cli.demo import DEMO_PACKS


def stage(cmd: list[str]) -> tuple[float, float, bool]:
    """Wall seconds, peak RSS in MB, and success of one command."""
    out = Path(tempfile.mkstemp(suffix=".time")[1])
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(out), *cmd],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    peak_kb = float(out.read_text().strip().splitlines()[-1] or 0)
    out.unlink()
    if proc.returncode != 0:
        print(f"    ! {' '.join(cmd[-3:])} failed: {proc.stderr.strip().splitlines()[-1:] }")
    return seconds, peak_kb / 1024, proc.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 50])
    parser.add_argument("--packs", nargs="+", default=list(DEMO_PACKS))
    args = parser.parse_args()
    lingshu = str(Path(sys.executable).parent / "lingshu")
    rows = []
    for scale in args.scales:
        tmp = Path(tempfile.mkdtemp(prefix=f"lingshu-scale-{scale:g}-"))
        try:
            ws = tmp / "ws"
            subprocess.run([lingshu, "init", str(ws)], check=True, stdout=subprocess.DEVNULL)
            total = 0.0
            t, mem, ok = stage([lingshu, "synth", "--scale", str(scale), "--out", str(ws / "raw" / "synth")])
            rows.append((scale, "synth", t, mem, ok))
            total += t
            for pack in args.packs:
                t, mem, ok = stage([lingshu, "-w", str(ws), "run", pack])
                rows.append((scale, pack, t, mem, ok))
                total += t
            rows.append((scale, "TOTAL", total, max(r[3] for r in rows if r[0] == scale), True))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'scale':>6} {'stage':<22}{'seconds':>10}{'peak MB':>10}  ok")
    for scale, name, t, mem, ok in rows:
        print(f"{scale:>6g} {name:<22}{t:>10.1f}{mem:>10.0f}  {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()

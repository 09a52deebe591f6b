"""Benchmark: synthetic world generation time and peak memory at scales 1, 10 and 50.

Each scale runs in its own process, so the peak resident memory it reports (ru_maxrss) is that
run's alone. Targets from issue 3: scale 1 under 60 s; scale 50 within 4 GB.

    .venv/bin/python benchmarks/synth_scale.py                 # scales 1 10 50
    .venv/bin/python benchmarks/synth_scale.py --scales 1 10   # a quicker look
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from lingshu.synth import SynthConfig, generate
t0 = time.perf_counter()
res = generate(SynthConfig(scale=float(sys.argv[1]), seed=int(sys.argv[2])), sys.argv[3])
elapsed = time.perf_counter() - t0
rows = sum(f["rows"] for f in res.manifest["files"])
size = sum(f.get("bytes", 0) for f in res.manifest["files"])
fcd = sum(f["rows"] for f in res.manifest["files"] if f["table"] == "fcd_speed")
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, "rows": rows, "bytes": size, "fcd_rows": fcd,
                  "slowest": sorted(res.timings.items(), key=lambda kv: -kv[1])[:3]}))
"""

TARGETS = {1.0: ("seconds", 60.0), 50.0: ("peak_mb", 4096.0)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=float, nargs="+", default=[1, 10, 50])
    ap.add_argument("--seed", type=int, default=20240101)
    ap.add_argument("--keep", type=Path, help="keep outputs under this folder (default: temporary, deleted)")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="synth-bench-"))
    failed = False
    print(f"{'scale':>6} {'seconds':>9} {'peak MB':>9} {'rows':>13} {'fcd rows':>12} {'MB out':>8}  slowest steps")
    for scale in args.scales:
        out = base / f"scale-{scale:g}"
        proc = subprocess.run([sys.executable, "-c", CHILD, str(scale), str(args.seed), str(out)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{scale:>6g} FAILED\n{proc.stderr[-2000:]}")
            failed = True
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        slow = ", ".join(f"{n} {t:.1f}s" for n, t in r["slowest"])
        print(f"{scale:>6g} {r['seconds']:>9.1f} {r['peak_mb']:>9.0f} {r['rows']:>13,} {r['fcd_rows']:>12,} "
              f"{r['bytes'] / 1e6:>8.0f}  {slow}")
        if scale in TARGETS:
            key, limit = TARGETS[scale]
            ok = r[key] <= limit
            failed |= not ok
            print(f"{'':>6} target {key} <= {limit:g}: {'ok' if ok else 'MISSED'}")
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

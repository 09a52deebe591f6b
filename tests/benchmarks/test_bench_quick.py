"""Every benchmark script still runs (small sizes): what `make bench-quick` does, inside CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_every_benchmark_runs_in_quick_mode(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=1500)
    report = out.read_text(encoding="utf-8") if out.exists() else ""
    failed = [part[:1500] for part in report.split("## ") if "FAILED with exit code" in part]
    assert proc.returncode == 0, "\n".join(failed) or proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "## Machine" in report and "FAILED" not in report
    assert report.count("```") >= 2 * 9  # one output block per benchmark

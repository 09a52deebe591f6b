"""ID-number validation: the vectorized SQL macro against a per-row Python validator, same data.

    .venv/bin/python benchmarks/validators_vs_python.py [--rows 10000000] [--python-rows 1000000]

Baseline: the ``id-validator`` package (per-row Python), the kind of code the bureau's scripts
use today; it runs on ``--python-rows`` values and its time is scaled to ``--rows`` (the same
values repeat, so the scaling is linear). Target (issue 5): at least 20x faster.
"""

from __future__ import annotations

import argparse
import time

from lingshu.engines import open_engine
from lingshu.govern.sql import register_sql

# 10 % invalid check characters, a few 15-digit IDs, lowercase x: realistic dirt.
MAKE = """
CREATE TABLE ids AS
WITH raw AS (
  SELECT i, '310115' || strftime(DATE '1950-01-01' + CAST(hash(i) % 25000 AS INTEGER), '%Y%m%d')
            || lpad(CAST(hash(i * 3) % 1000 AS VARCHAR), 3, '0') AS body
  FROM range({rows}) t(i)
)
SELECT CASE WHEN i % 10 = 0 THEN body || '0' ELSE body || id_check_char(body) END AS id FROM raw
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--python-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    engine = open_engine("duckdb", ":memory:")
    register_sql(engine)
    engine.execute(MAKE.format(rows=args.rows))
    t0 = time.perf_counter()
    valid = engine.scalar("SELECT count(*) FILTER (WHERE is_valid_id(id)) FROM ids")
    sql_s = time.perf_counter() - t0

    from id_validator import validator

    sample = engine.query(f"SELECT id FROM ids LIMIT {args.python_rows}").column(0).to_pylist()
    t1 = time.perf_counter()
    py_valid = sum(1 for v in sample if validator.is_valid(v))
    py_s = (time.perf_counter() - t1) * args.rows / len(sample)
    ours_on_sample = engine.scalar(f"SELECT count(*) FILTER (WHERE is_valid_id(id)) FROM (SELECT id FROM ids LIMIT {args.python_rows})")
    print(f"{args.rows:,} ID numbers, {valid:,} valid")
    print(f"  lingshu is_valid_id (DuckDB macro)   {sql_s:8.2f} s")
    print(f"  id-validator per row (scaled from {len(sample):,}) {py_s:8.2f} s")
    print(f"  speed-up {py_s / sql_s:.1f}x (target >= 20x: {'met' if py_s / sql_s >= 20 else 'NOT met'}); "
          f"agreement on the sample: {ours_on_sample == py_valid} ({ours_on_sample:,} vs {py_valid:,})")


if __name__ == "__main__":
    main()

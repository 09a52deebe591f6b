"""ID-number validation: the vectorized SQL macro against a per-row Python validator, same data.

    .venv/bin/python benchmarks/validators_vs_python.py [--rows 10000000] [--python-rows 1000000]

Baselines, per-row Python, run on a sample and scaled linearly to ``--rows``: the ``id-validator``
package (``--python-rows`` values; it costs milliseconds per call, so the sample is small), and
Lingshu's own scalar reference validator (``lingshu.govern.idcard.is_valid_id``, a tight per-row
loop: the fair baseline). Target (issue 5): at least 20x faster than per-row Python.
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
    parser.add_argument("--python-rows", type=int, default=20_000)
    parser.add_argument("--loop-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    engine = open_engine("duckdb", ":memory:")
    register_sql(engine)
    engine.execute(MAKE.format(rows=args.rows))
    t0 = time.perf_counter()
    valid = engine.scalar("SELECT count(*) FILTER (WHERE is_valid_id(id)) FROM ids")
    sql_s = time.perf_counter() - t0

    from id_validator import validator

    from lingshu.govern.idcard import is_valid_id

    sample = engine.query(f"SELECT id FROM ids LIMIT {args.python_rows}").column(0).to_pylist()
    t1 = time.perf_counter()
    py_valid = sum(1 for v in sample if validator.is_valid(v))
    py_s = (time.perf_counter() - t1) * args.rows / len(sample)
    loop = engine.query(f"SELECT id FROM ids LIMIT {args.loop_rows}").column(0).to_pylist()
    t2 = time.perf_counter()
    loop_valid = sum(1 for v in loop if is_valid_id(v))
    loop_s = (time.perf_counter() - t2) * args.rows / len(loop)
    ours_on_sample = engine.scalar(f"SELECT count(*) FILTER (WHERE is_valid_id(id)) FROM (SELECT id FROM ids LIMIT {args.python_rows})")
    ours_on_loop = engine.scalar(f"SELECT count(*) FILTER (WHERE is_valid_id(id)) FROM (SELECT id FROM ids LIMIT {args.loop_rows})")
    print(f"{args.rows:,} ID numbers, {valid:,} valid")
    print(f"  lingshu is_valid_id (DuckDB macro)                 {sql_s:9.2f} s")
    print(f"  per-row Python reference (scaled from {len(loop):,})  {loop_s:9.2f} s   "
          f"speed-up {loop_s / sql_s:.1f}x (target >= 20x: {'met' if loop_s / sql_s >= 20 else 'NOT met'})")
    print(f"  id-validator per row (scaled from {len(sample):,})    {py_s:9.2f} s   speed-up {py_s / sql_s:.0f}x")
    print(f"  agreement: id-validator sample {ours_on_sample == py_valid} ({ours_on_sample:,} vs {py_valid:,}); "
          f"reference {ours_on_loop == loop_valid}")


if __name__ == "__main__":
    main()

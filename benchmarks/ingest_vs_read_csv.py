"""Ingest a CSV with declared types and quarantine, against DuckDB's bare read_csv, same file.

    .venv/bin/python benchmarks/ingest_vs_read_csv.py [--rows 5000000]

Lingshu's ingest also detects the encoding, types every declared column, writes rejected rows to
quarantine with their reason, swaps the ODS table in atomically and logs the run; the baseline
only reads the file into a table. The ratio is the price of those guarantees.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace

PACK = """
id: bench_ingest
name: 接入压测
domain: example
department: 测试
sources:
  - name: records
    kind: csv
    path: data/records.csv
    target: ods.bench_records
    columns:
      - {name: record_id, type: BIGINT, required: true}
      - {name: town, required: true}
      - {name: amount, type: "DECIMAL(18,2)"}
      - {name: registered_on, type: DATE}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="lingshu-bench-ingest-"))
    try:
        pack = tmp / "packs" / "bench_ingest"
        (pack / "data").mkdir(parents=True)
        (pack / "pack.yaml").write_text(PACK, encoding="utf-8")
        csv = pack / "data" / "records.csv"
        duckdb.sql(f"""COPY (SELECT i AS record_id, ['南汇新城镇','泥城镇','书院镇'][1 + i % 3] AS town,
                       CASE WHEN i % 1000 = 7 THEN 'n/a' ELSE CAST(round((i % 9973) * 1.37, 2) AS VARCHAR) END AS amount,
                       CAST(DATE '2020-01-01' + INTERVAL (i % 1500) DAY AS DATE) AS registered_on
                       FROM range({args.rows}) t(i)) TO '{csv}' (HEADER)""")
        ws = init_workspace(tmp / "ws", pack_paths=[str(pack.parent)])
        ws.config.builtin_packs = False
        with Context(ws) as ctx:
            ctx.engine  # open and load extensions outside the timing
            t0 = time.perf_counter()
            report = ctx.run("bench_ingest")
            ours = time.perf_counter() - t0
            log = ctx.state.updates(report.run_id)[0]
        con = duckdb.connect(str(tmp / "bare.duckdb"))
        t1 = time.perf_counter()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv}')")
        bare = time.perf_counter() - t1
        con.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.rows:,} rows CSV ({report.status}): read {log['rows_read']:,} = loaded {log['rows_after']:,} "
          f"+ quarantined {log['rows_quarantined']:,}")
    print(f"  lingshu ingest (typed, quarantine, atomic swap, update log) {ours:7.2f} s")
    print(f"  DuckDB bare read_csv into a table                          {bare:7.2f} s")
    print(f"  ratio lingshu/bare {ours / bare:.2f}x")


if __name__ == "__main__":
    main()

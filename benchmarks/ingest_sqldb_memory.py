"""Peak memory of reading a large PostgreSQL table: chunked (server-side cursor) vs unchunked.

Creates a throwaway database with N rows (default 2,000,000) on the local server, then reads it
in fresh child processes so each peak RSS is its own:

- ``unchunked``: the whole result fetched at once (``stream: false``), the naive baseline;
- ``chunked``: the connector's default, a server-side cursor read ``chunk_rows`` at a time;
- ``ingest``: the chunked read loaded end to end into a file-backed DuckDB warehouse.

Usage: .venv/bin/python benchmarks/ingest_sqldb_memory.py [--rows 2000000] [--chunk 10000]
Prints rows, seconds and peak RSS per mode, and the ratio unchunked/chunked.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ADMIN = os.environ.get("LINGSHU_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def child(mode: str, url: str, chunk: int) -> None:
    """Runs in a fresh process: read the table, print one JSON line of figures."""
    from lingshu.connectors import CONNECTORS, ReadContext
    from lingshu.pack.spec import SourceSpec

    opts = {"url": url, "table": "bench_rows", "chunk_rows": chunk, "stream": mode != "unchunked"}
    source = SourceSpec(name="bench", kind="sql", target="ods.bench", options=opts)
    ctx = ReadContext(pack_root=Path("."), raw_dir=Path("."))
    start = time.perf_counter()
    if mode == "ingest":
        from lingshu.engines.duckdb import DuckDBEngine
        from lingshu.ingest.load import ingest_source

        with tempfile.TemporaryDirectory() as tmp:
            engine = DuckDBEngine(Path(tmp) / "w.duckdb", extensions=())
            # DuckDB spills to disk past its memory limit, so the warehouse side is bounded too.
            engine.execute("SET memory_limit = '256MB'")
            result = ingest_source(engine, source, ctx, run_id=1)
            rows = result.rows_loaded
            engine.close()
    else:
        rows = sum(batch.num_rows for batch in CONNECTORS.get("sql").read(source, ctx))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"mode": mode, "rows": rows, "seconds": round(seconds, 1), "peak_rss_mb": round(peak_mb)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.chunk)
        return
    name = f"lingshu_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = ADMIN.rsplit("/", 1)[0] + f"/{name}"
    try:
        engine = sa.create_engine(url)
        with engine.begin() as c:
            c.execute(sa.text(
                "CREATE TABLE bench_rows AS SELECT g AS id, '临港新片区企业' || g AS name, "
                "(g % 10000) / 100.0 AS amount, timestamp '2024-01-01' + g * interval '1 second' AS updated_at, "
                "md5(g::text) AS note FROM generate_series(1, :n) AS g"), {"n": args.rows})
        engine.dispose()
        print(f"PostgreSQL table: {args.rows:,} rows, 5 columns; chunk_rows={args.chunk:,}")
        figures = {}
        for mode in ("unchunked", "chunked", "ingest"):
            done = subprocess.run([sys.executable, __file__, "--chunk", str(args.chunk), "--child", mode, url],
                                  capture_output=True, text=True, check=True)
            figures[mode] = json.loads(done.stdout.strip().splitlines()[-1])
            f = figures[mode]
            print(f"  {mode:<10} rows={f['rows']:>10,}  time={f['seconds']:>6}s  peak RSS={f['peak_rss_mb']:>6} MB")
        ratio = figures["unchunked"]["peak_rss_mb"] / figures["chunked"]["peak_rss_mb"]
        print(f"peak RSS unchunked / chunked: {ratio:.1f}x")
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()

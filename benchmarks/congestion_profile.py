"""Where the congestion pack's 15-minute model spends its time on a warehouse file.

    .venv/bin/python benchmarks/congestion_profile.py [--segments 2000] [--days 30] [--repeat 2]

Same data and setup as benchmarks/congestion_vs_pandas.py (lingshu-file side). After
dws/cg_free_flow, the model dws/cg_segment_15min runs:

- as the pack builds it (CREATE TABLE AS in the file), with DuckDB's profiler: wall and CPU
  time, and the CPU time of the hash aggregate and of the table writer (compression and writes);
- into a temporary (in-memory) table, and only aggregated (no table), to separate the writer;
- its 15-minute aggregate alone, as written and in four variants (keys and a count only, an
  INTEGER bucket, sum in place of avg, a BIGINT cast before the sum);
- inside an explicit transaction, to time the commit and the checkpoint after it;
- the writer by column: the model's rows written from the temporary table into the file, one
  group of columns at a time, compressed (DuckDB's choice) and uncompressed, and two narrower
  stand-ins for the text columns: the grade as a TINYINT level, an INTEGER segment number.

Prints every timing; nothing is asserted (these machines are shared).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from lingshu.analysis.traffic import GRADE_NAMES  # noqa: E402
from congestion_vs_pandas import PACK, _cpu, _fresh, load_lingshu, make_data, open_lingshu  # noqa: E402

BUCKET = "epoch_us(ts) // 900000000"
LEVEL = "CAST(list_position({names}, grade) AS TINYINT) AS grade_level".format(
    names="[" + ", ".join(f"'{g}'" for g in GRADE_NAMES) + "]")
# name -> columns of the temporary table ``rows`` written into the file
WRITES = {
    "segment id and time": "segment_id, ts",
    "segment number (INTEGER) and time": "segment_no, ts",
    "grade (text)": "grade",
    "grade as a TINYINT level": LEVEL,
    "travel time": "travel_time_s",
    "samples and records": "samples, records",
    "every column": "segment_id, ts, travel_time_s, samples, records, grade",
}
AS_WRITTEN = "avg(1 / speed_kmh) AS p, CAST(sum(samples) AS BIGINT) AS s, count(*) AS r"
# name -> (15-minute bucket, aggregates): the model's own first, then the variants
AGGREGATES = {
    "as written": (BUCKET, AS_WRITTEN),
    "keys and a count only": (BUCKET, "count(*) AS r"),
    "INTEGER bucket": (f"CAST({BUCKET} AS INTEGER)", AS_WRITTEN),
    "sum in place of avg": (BUCKET, "sum(1 / speed_kmh) AS p, CAST(sum(samples) AS BIGINT) AS s, count(*) AS r"),
    "BIGINT cast before the sum": (BUCKET, "avg(1 / speed_kmh) AS p, sum(CAST(samples AS BIGINT)) AS s, count(*) AS r"),
}

def timed(engine, sql: str) -> tuple[float, float]:
    t, c = time.perf_counter(), _cpu()
    engine.execute(sql)
    return time.perf_counter() - t, _cpu() - c


def operators(node: dict, out: dict[str, float]) -> dict[str, float]:
    name = node.get("operator_name", node.get("operator_type", "")).strip()
    if name:
        out[name] = out.get(name, 0.0) + node.get("operator_timing", 0.0)
    for child in node.get("children", []):
        operators(child, out)
    return out


def write_by_column(engine) -> None:
    """The writer's cost per group of columns, from the temporary table into the file."""
    engine.execute("CREATE OR REPLACE TEMP TABLE rows AS SELECT *, CAST(dense_rank() OVER (ORDER BY segment_id) "
                   "AS INTEGER) AS segment_no FROM segment_15min")
    for compression in ("auto", "uncompressed"):
        engine.execute(f"SET force_compression = '{compression}'")
        for name, columns in WRITES.items():
            engine.execute("DROP TABLE IF EXISTS dws.written")
            engine.execute("CHECKPOINT")
            wall, cpu = timed(engine, f"CREATE TABLE dws.written AS SELECT {columns} FROM rows")
            print(f"  written, {compression:12s} {name:34s} {wall:5.2f} s  CPU {cpu:5.2f} s")
    engine.execute("RESET force_compression")
    engine.execute("DROP TABLE IF EXISTS dws.written")
    engine.execute("DROP TABLE rows")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--segments", type=int, default=2000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="congestion_profile_") as tmp:
        profile_model(Path(tmp), args.segments, args.days, args.repeat)


def profile_model(folder: Path, segments: int, days: int, repeat: int) -> None:
    make_data(folder, segments, days)
    engine = open_lingshu(_fresh(folder / "warehouse.duckdb"))
    load_lingshu(engine, folder)
    engine.execute("CHECKPOINT")
    engine.execute(f"CREATE TABLE dws.cg_free_flow AS {(PACK / 'dws/cg_free_flow.sql').read_text(encoding='utf-8')}")
    model = (PACK / "dws/cg_segment_15min.sql").read_text(encoding="utf-8")
    profile = folder / "profile.json"
    for round_ in range(1, repeat + 1):
        print(f"round {round_} of {repeat}")
        engine.execute("DROP TABLE IF EXISTS dws.cg_segment_15min")
        engine.execute("CHECKPOINT")
        engine.execute(f"PRAGMA enable_profiling = 'json'; PRAGMA profiling_output = '{profile}'")
        wall, cpu = timed(engine, f"CREATE TABLE dws.cg_segment_15min AS {model}")
        engine.execute("PRAGMA disable_profiling")
        ops = operators(json.loads(profile.read_text()), {})
        print(f"  in the file (as the pack builds it)  {wall:5.2f} s  CPU {cpu:5.2f} s;  operator CPU: hash aggregate "
              f"{ops.get('HASH_GROUP_BY', 0):.2f} s, table writer {ops.get('CREATE_TABLE_AS', 0):.2f} s, "
              f"the rest {sum(ops.values()) - ops.get('HASH_GROUP_BY', 0) - ops.get('CREATE_TABLE_AS', 0):.2f} s")
        wall, cpu = timed(engine, f"CREATE OR REPLACE TEMP TABLE segment_15min AS {model}")
        print(f"  into a temporary table               {wall:5.2f} s  CPU {cpu:5.2f} s")
        write_by_column(engine)
        engine.execute("DROP TABLE segment_15min")
        wall, cpu = timed(engine, f"SELECT count(*), sum(travel_time_s), max(segment_id), max(ts), "
                                  f"count(DISTINCT grade), sum(samples), sum(records) FROM ({model})")
        print(f"  only aggregated, every column        {wall:5.2f} s  CPU {cpu:5.2f} s")
        for name, (bucket, select) in AGGREGATES.items():
            wall, cpu = timed(engine, f"SELECT count(*) FROM (SELECT segment_id, {bucket} AS bucket, {select} "
                                      f"FROM dwd.cg_speed GROUP BY ALL)")
            print(f"  the aggregate alone, {name:27s} {wall:5.2f} s  CPU {cpu:5.2f} s")
        engine.execute("DROP TABLE dws.cg_segment_15min")
        engine.execute("CHECKPOINT")
        engine.execute("BEGIN")
        insert, _ = timed(engine, f"CREATE TABLE dws.cg_segment_15min AS {model}")
        commit, _ = timed(engine, "COMMIT")
        checkpoint, _ = timed(engine, "CHECKPOINT")
        print(f"  in a transaction: insert {insert:.2f} s, commit {commit:.2f} s, checkpoint after it {checkpoint:.2f} s")


if __name__ == "__main__":
    main()

"""Data API under load against Datasette on the same rows, in one run.

    .venv/bin/python benchmarks/api_vs_datasette.py [--rows 1000000] [--clients 32] [--seconds 20] [--stages N]
        [--row-group-size N]

Builds a workspace with a ROWS-row published dataset, copies the same rows into SQLite (with
indexes on the filtered columns, Datasette's best case, served immutable), starts both servers on
127.0.0.1, and drives each with wrk (CLIENTS connections) issuing filtered, paged queries with a
random town and amount threshold per request. Prints p50/p99 latency and requests per second for
both, the ratio, each server's CPU time per request (steadier than requests per second on a shared
machine) and the load average before and after. ``--stages N`` first times the stages of N page
requests in-process (thread CPU time, the server's DuckDB settings): where a request's time goes.
Then a second round with think time: each client waits a random (exponential) pause between its
requests, so that together they offer Datasette's measured saturation throughput; both servers get
the same offered load and the latencies are those a user sees at that load, not the queue of 32
clients with no pause. (With no pause the mean latency is clients / throughput by Little's law, so
the first round's p99 says how fast the server drains a queue, not how long a request takes.)
The Lingshu numbers include what Datasette does not do: API-key check, grant decision, masking
and an audit record per request.
Needs wrk (Debian package, installed here if missing) and datasette (pip, the `bench` extra).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

TOWNS = ["南汇新城镇", "泥城镇", "书院镇", "万祥镇", "大团镇", "海湾镇", "奉城镇", "金汇镇", "青村镇", "四团镇", "小洋山"]

MODEL_SQL = f"""
SELECT i AS record_id,
       {TOWNS}[1 + CAST(hash(i) % {len(TOWNS)} AS BIGINT)] AS town,
       ['企业', '个体', '社会组织'][1 + CAST(hash(i * 7) % 3 AS BIGINT)] AS category,
       CAST((hash(i * 13) % 100000) / 10.0 AS DOUBLE) AS amount,
       CAST(DATE '2020-01-01' + INTERVAL (hash(i * 17) % 1800) DAY AS DATE) AS registered_on
FROM range(__ROWS__) t(i)
"""

PACK = """
id: bench
name: 接口压测
domain: example
department: 测试
models:
  - {name: ads.bench_records, title: 压测数据, unique_key: [record_id]}
apis: [ads.bench_records]
"""

LUA = """
local towns = {TOWNS}
request = function()
  local town = towns[math.random(#towns)]
  local amount = math.random(0, 9000)
  local path = string.format("PATH", town, amount)
  return wrk.format("GET", path, {HEADERS})
end
"""
# Think time between a client's requests, exponential with mean THINK_MS (wrk calls delay() before
# each request; 0 disables it). Random, so that 32 clients do not fall into step.
LUA_THINK = """
delay = function()
  if THINK_MS <= 0 then return 0 end
  return math.floor(-math.log(1 - math.random()) * THINK_MS)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 60) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{path}", headers=headers, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server on port {port} did not answer {path}")


def ensure_wrk() -> str:
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


def build(tmp: Path, rows: int, row_group_size: int | None = None) -> tuple[Path, str, Path]:
    from lingshu.core.context import Context
    from lingshu.core.workspace import init_workspace

    pack = tmp / "packs" / "bench"
    (pack / "models" / "ads").mkdir(parents=True)
    (pack / "pack.yaml").write_text(PACK, encoding="utf-8")
    (pack / "models" / "ads" / "bench_records.sql").write_text(MODEL_SQL.replace("__ROWS__", str(rows)), encoding="utf-8")
    ws = init_workspace(tmp / "ws", pack_paths=[str(tmp / "packs")])
    cfg = ws.root / "lingshu.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("builtin_packs: true", "builtin_packs: false")
                   .replace("api_rate_per_minute: 1200", "api_rate_per_minute: 100000000")
                   + (f"duckdb:\n  row_group_size: {row_group_size}\n" if row_group_size else ""), encoding="utf-8")
    with Context(ws.load(ws.root)) as ctx:
        assert ctx.run("bench").status == "success"
        ctx.security.accounts.add_user("loadtest", ["client"])
        ctx.security.grants.add("user:loadtest", "dataset:ads.bench_records", ["read"])
        key = ctx.security.accounts.create_key("loadtest")
        table = ctx.engine.query("SELECT * FROM ads.bench_records ORDER BY record_id")
    db = tmp / "bench.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE records (record_id INTEGER PRIMARY KEY, town TEXT, category TEXT, amount REAL, "
                "registered_on TEXT)")
    for batch in table.to_batches(100_000):
        cols = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        con.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?)",
                        [(a, b, c, d, str(e)) for a, b, c, d, e in zip(*cols, strict=True)])
    con.execute("CREATE INDEX records_town_amount ON records (town, amount)")
    con.commit()
    con.close()
    return ws.root, key, db


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_wrk(wrk: str, port: int, path_format: str, headers: str, clients: int, seconds: int,
            pid: int | None = None, think_ms: float = 0.0) -> dict[str, float]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    towns = ", ".join(f'"{quote(t)}"' for t in TOWNS)  # percent-encoded, as a browser sends them
    lua = LUA.replace("TOWNS", towns).replace("PATH", path_format).replace("HEADERS", headers)
    lua += LUA_THINK.replace("THINK_MS", f"{think_ms:.1f}")
    script.write_text(lua, encoding="utf-8")
    cpu0 = cpu_seconds(pid) if pid else 0.0
    out = subprocess.run([wrk, "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", str(script),
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(pid) - cpu0 if pid else float("nan")
    script.unlink()

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            raise SystemExit(f"cannot read {label} from wrk output:\n{out}")
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"p50": ms("50%"), "p99": ms("99%"), "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "non2xx": float(errors.group(1)) if errors else 0.0, "cpu_ms": 1000 * cpu / max(requests, 1)}


def profile_stages(ws: Path, key: str, n: int) -> None:
    """Thread CPU time per stage of one page request, called the way the server calls them."""
    import random

    from lingshu.cli.serve import query_threads
    from lingshu.core.context import Context
    from lingshu.datasets.query import DatasetQuery, compile_shape, plan, present
    from lingshu.datasets.service import DatasetService
    from lingshu.serve.jsonbody import json_bytes

    dataset_id, rnd, spent = "ads.bench_records", random.Random(8), {}

    def timed(stage: str, fn: Any) -> Any:
        start = time.thread_time()
        out = fn()
        spent[stage] = spent.get(stage, 0.0) + time.thread_time() - start
        return out

    with Context.open(ws) as ctx:
        query_threads(ctx, None, scheduler=False)
        service, reader, security = DatasetService(ctx), ctx.engine.reader(), ctx.security
        for i in range(n + 20):  # the first 20 warm the caches, as a running server's are
            if i == 20:
                spent.clear()
            params = [("town", f"eq.{rnd.choice(TOWNS)}"), ("amount", f"gte.{rnd.randint(0, 9000)}"), ("limit", "50")]
            principal = timed("API key check", lambda: security.accounts.check_key(key))
            decision = timed("grant decisions (read, decrypt)", lambda: (
                security.grants.decide(principal, f"dataset:{dataset_id}", "read"),
                service._clear(principal, dataset_id))[0])
            dataset = timed("dataset metadata", lambda: service.catalog.get(dataset_id))
            query = DatasetQuery.from_params(params)
            shape, values, counted = timed("plan + SQL (cached per shape)", lambda: plan(dataset, query, decision))
            page_sql, count_sql = compile_shape(shape)
            table = timed("DuckDB page query", lambda: reader.query(page_sql, values))
            output = [c for c, _ in shape.output]
            shown = timed("cursor + masking", lambda: present(dataset, table.slice(0, 50).select(output), False)[0])
            timed("rows to JSON bytes", lambda: json_bytes({"rows": shown.to_pylist()}))
            timed("audit record", lambda: security.audit.record(principal.username, "dataset.read",
                                                                 f"dataset:{dataset_id}", rows=shown.num_rows,
                                                                 masked=[], **query.describe()))
            if i < 20 + min(n, 20):
                timed("(count=true: exact total, uncached)", lambda: reader.scalar(count_sql, counted))
    print(f"\nstages of one page request, thread CPU ms, mean of {n} (in-process, DuckDB threads = 1)")
    for stage, seconds in spent.items():
        print(f"  {stage:40}{1000 * seconds / (min(n, 20) if stage.startswith('(') else n):>8.3f}")
    print(f"  {'sum (without the total)':40}"
          f"{1000 * sum(v for k, v in spent.items() if not k.startswith('(')) / n:>8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--row-group-size", type=int, default=None, metavar="N",
                        help="the warehouse's row group size (default: the workspace default, 16384; "
                             "122880 is DuckDB's own)")
    parser.add_argument("--stages", type=int, default=0, metavar="N", help="first time the stages of N requests")
    args = parser.parse_args()
    wrk = ensure_wrk()
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="lingshu-bench-api-"))
    procs: list[subprocess.Popen] = []
    try:
        t0 = time.time()
        ws, key, db = build(tmp, args.rows, args.row_group_size)
        print(f"built {args.rows:,} rows in DuckDB and SQLite in {time.time() - t0:.1f} s")
        if args.stages:
            profile_stages(ws, key, args.stages)  # closes the warehouse again before the server opens it
        bin_dir = Path(sys.executable).parent
        lport, dport = free_port(), free_port()
        procs.append(subprocess.Popen([str(bin_dir / "lingshu"), "-w", str(ws), "serve", "--port", str(lport)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen([str(bin_dir / "datasette"), "serve", "-i", str(db), "-p", str(dport),
                                       "--setting", "sql_time_limit_ms", "10000"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        auth = {"Authorization": f"Bearer {key}"}
        wait_http(lport, "/api/v1/datasets/ads.bench_records/rows?limit=1", auth)
        wait_http(dport, "/bench/records.json?_size=1")
        targets = {
            "lingshu": (lport, "/api/v1/datasets/ads.bench_records/rows?town=eq.%s&amount=gte.%d&limit=50",
                        f'["Authorization"] = "Bearer {key}"', procs[0].pid),
            "datasette": (dport, "/bench/records.json?town__exact=%s&amount__gte=%d&_size=50&_shape=array&_nocount=1",
                          "", procs[1].pid),
        }
        saturated = {name: run_wrk(wrk, port, path, headers, args.clients, args.seconds, pid)
                     for name, (port, path, headers, pid) in targets.items()}
        # Offered load = Datasette's saturation throughput: each client's mean cycle is clients / rate.
        rate = saturated["datasette"]["rps"]
        think_ms = 1000 * args.clients / rate
        paced = {name: run_wrk(wrk, port, path, headers, args.clients, args.seconds, pid, think_ms)
                 for name, (port, path, headers, pid) in targets.items()}
    finally:
        for p in procs:
            p.terminate()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nfiltered paged queries, {args.rows:,} rows, {args.clients} concurrent clients, {args.seconds} s each")
    rounds = [("no think time (saturation)", saturated),
              (f"think time {think_ms:.0f} ms (offered ~{rate:.0f} req/s, Datasette's saturation)", paced)]
    for title, results in rounds:
        print(f"  {title}")
        print(f"{'':12}{'p50 ms':>10}{'p99 ms':>10}{'req/s':>10}{'non-2xx':>10}{'CPU ms/req':>12}")
        for name, r in results.items():
            print(f"{name:12}{r['p50']:>10.2f}{r['p99']:>10.2f}{r['rps']:>10.1f}{r['non2xx']:>10.0f}{r['cpu_ms']:>12.2f}")
    print("load average before / after: " + " / ".join(", ".join(f"{v:.2f}" for v in load)
                                                      for load in (load_before, os.getloadavg())))
    lingshu, datasette = saturated["lingshu"], saturated["datasette"]
    print(f"throughput ratio lingshu/datasette: {lingshu['rps'] / datasette['rps']:.2f}x; "
          f"p99 target < 50 ms: {'met' if lingshu['p99'] < 50 else 'NOT met'} at saturation, "
          f"{'met' if paced['lingshu']['p99'] < 50 else 'NOT met'} at Datasette's saturation throughput")


if __name__ == "__main__":
    main()

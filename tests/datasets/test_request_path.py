"""The cheaper request path keeps its promises: every page audited, totals right."""

from __future__ import annotations

import json
import threading
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from lingshu.cli.serve import query_threads
from lingshu.core.context import Context
from lingshu.datasets.query import CountCache
from lingshu.serve.app import create_app
from lingshu.state.schema import audit_log

URL = "/api/v1/datasets/ads.people/rows"


def _reads(ctx: Context, actor: str) -> list[dict[str, Any]]:
    with ctx.state.engine.connect() as c:
        rows = c.execute(sa.select(audit_log.c.detail).where(audit_log.c.actor == actor,
                                                             audit_log.c.action == "dataset.read")).all()
    return [json.loads(r.detail) for r in rows]


def test_concurrent_pages_are_each_audited_before_and_after_shutdown(api_ctx: Context, keys: dict[str, str]) -> None:
    before = len(_reads(api_ctx, "analyst_a"))
    towns = ["南汇新城镇", "泥城镇", "书院镇"]
    n_threads, each = 6, 5
    errors: list[str] = []
    with TestClient(create_app(api_ctx)) as client:  # leaving the block shuts the app down
        def work(i: int) -> None:
            for j in range(each):
                r = client.get(URL, params={"town": f"eq.{towns[(i + j) % 3]}", "limit": str(1 + j)},
                               headers={"Authorization": f"Bearer {keys['analyst_a']}"})
                if r.status_code != 200 or len(r.json()["rows"]) != 1 + j:
                    errors.append(r.text)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(n_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert len(_reads(api_ctx, "analyst_a")) - before == n_threads * each  # each answered page is audited
    reads = _reads(api_ctx, "analyst_a")[before:]
    assert len(reads) == n_threads * each  # and nothing was waiting to be written at shutdown
    assert sorted(r["rows"] for r in reads) == sorted(1 + j for _ in range(n_threads) for j in range(each))
    assert api_ctx.security.audit.verify().ok


def test_totals_are_cached_per_filter_until_the_table_is_rebuilt(api_ctx: Context) -> None:
    engine = api_ctx.engine
    engine.replace_table("ads", "count_probe", "SELECT i FROM range(10) t(i)")
    reader, counts = engine.reader(), CountCache(size=2)
    sql = 'SELECT count(*) FROM "ads"."count_probe" WHERE i >= ?'
    assert counts.total(reader, sql, [5]) == 5
    engine.execute("INSERT INTO ads.count_probe SELECT 100")  # not a swap: the generation stays
    assert counts.total(reader, sql, [5]) == 5  # answered from the cache
    assert counts.total(reader, sql, [0]) == 11  # another filter is counted
    engine.replace_table("ads", "count_probe", "SELECT i FROM range(20) t(i)")
    assert counts.total(reader, sql, [5]) == 15  # a rebuilt table is counted afresh
    counts.total(reader, sql, [1])
    counts.total(reader, sql, [2])
    assert len(counts._totals) == 2  # bounded
    engine.execute("DROP TABLE ads.count_probe")


def test_server_queries_run_on_one_duckdb_thread_unless_the_scheduler_shares_the_process(ctx: Context) -> None:
    default = ctx.engine.scalar("SELECT current_setting('threads')")
    query_threads(ctx, None, scheduler=True)
    assert ctx.engine.scalar("SELECT current_setting('threads')") == default
    query_threads(ctx, None, scheduler=False)
    assert ctx.engine.scalar("SELECT current_setting('threads')") == 1
    query_threads(ctx, 2, scheduler=False)
    assert ctx.engine.scalar("SELECT current_setting('threads')") == 2

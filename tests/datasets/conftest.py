"""A published dataset with personal columns and geometry, and accounts for the matrix tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from lingshu.serve.app import create_app
from support import write_files

PEOPLE_SQL = """
SELECT i AS person_id,
       ['张伟', '王芳', '李娜', '刘洋', '陈静'][1 + i % 5] AS name,
       '3101151990' || lpad(CAST(1000 + i % 9000 AS VARCHAR), 4, '0') || '123X' AS id_number,
       '1380000' || lpad(CAST(i AS VARCHAR), 4, '0') AS phone,
       ['南汇新城镇', '泥城镇', '书院镇'][1 + i % 3] AS town,
       CAST(i * 1.5 AS DECIMAL(12, 2)) AS amount,
       CAST(DATE '2024-01-01' + INTERVAL (i % 365) DAY AS DATE) AS registered_on,
       ST_Point(121.80 + (i % 100) * 0.003, 30.85 + (i // 100) * 0.003) AS geom
FROM range(1000) t(i)
"""

PACK_YAML = """
id: people
name: 测试人员库
domain: example
department: 测试
models:
  - name: ads.people
    title: 人员名录
    unique_key: [person_id]
    columns:
      - {name: name, title: 姓名, personal: true, mask: name}
      - {name: id_number, title: 身份证号, classification: 敏感, personal: true, mask: id}
      - {name: phone, title: 手机号, classification: 敏感, personal: true, mask: phone}
      - {name: town, title: 所属镇}
      - {name: amount, title: 金额}
apis: [ads.people]
indicators: indicators.yaml
"""

INDICATORS = """
indicators:
  - {id: people_count, name: 人数, definition: 名录中的人数, model: ads.people, measure: {agg: count},
     dimensions: [town], time: {column: registered_on, grains: [month]}, unit: 人, precision: 0}
  - {id: amount_avg, name: 人均金额, definition: 金额均值, model: ads.people,
     measure: {agg: avg, column: amount}, dimensions: [town], unit: 元}
"""


@pytest.fixture(scope="package")
def api_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    tmp: Path = tmp_path_factory.mktemp("api")
    packs = write_files(tmp / "packs" / "people", {"pack.yaml": PACK_YAML, "models/ads/people.sql": PEOPLE_SQL,
                                                        "indicators.yaml": INDICATORS}).parent
    ws = init_workspace(tmp / "ws", pack_paths=[str(packs)])
    ws.config.builtin_packs = False
    ws.config.api_rate_per_minute = 100_000
    with Context(ws) as ctx:
        assert ctx.run("people").status == "success"
        acc, grants = ctx.security.accounts, ctx.security.grants
        acc.add_user("analyst_a", ["analyst"])  # all columns of ads.people, masked
        acc.add_user("analyst_b", ["analyst"])  # two columns, one town
        acc.add_user("officer", ["analyst"])  # all columns in clear, may export
        acc.add_user("admin", ["admin"])  # manages accounts: no data access at all
        acc.add_user("nobody", ["analyst"])  # data role but no grant
        grants.add("user:analyst_a", "dataset:ads.people", ["read"])
        grants.add("user:analyst_b", "dataset:ads.people", ["read"], columns=["person_id", "town", "amount"],
                   row_filter="town = '泥城镇'")
        grants.add("user:officer", "dataset:ads.*", ["read", "export", "decrypt"])
        yield ctx


@pytest.fixture(scope="package")
def client(api_ctx: Context) -> TestClient:
    return TestClient(create_app(api_ctx))


@pytest.fixture(scope="package")
def keys(api_ctx: Context) -> dict[str, str]:
    return {u: api_ctx.security.accounts.create_key(u) for u in ("analyst_a", "analyst_b", "officer", "admin", "nobody")}


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}

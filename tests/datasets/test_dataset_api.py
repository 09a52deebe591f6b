"""The dataset API: authorization matrix, masking, filters, keyset paging, exports, injection."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from lingshu.core.context import Context

URL = "/api/v1/datasets/ads.people"


def h(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def all_rows(client: TestClient, key: str, **params: str) -> list[dict]:
    rows, cursor = [], None
    while True:
        query = {**params, "limit": "97", **({"after": cursor} if cursor else {})}
        body = client.get(f"{URL}/rows", params=query, headers=h(key)).json()
        rows += body["rows"]
        cursor = body["next"]
        if not cursor:
            return rows


# (user, endpoint, expected status)
MATRIX = [
    ("analyst_a", "rows", 200), ("analyst_a", "meta", 200), ("analyst_a", "export", 403),
    ("analyst_b", "rows", 200), ("analyst_b", "meta", 200), ("analyst_b", "export", 403),
    ("officer", "rows", 200), ("officer", "meta", 200), ("officer", "export", 200),
    ("admin", "rows", 403), ("admin", "meta", 403), ("admin", "export", 403),
    ("nobody", "rows", 403), ("nobody", "meta", 403), ("nobody", "export", 403),
    (None, "rows", 401), (None, "meta", 401), (None, "export", 401),
]
ENDPOINTS = {"rows": f"{URL}/rows", "meta": URL, "export": f"{URL}/export"}


@pytest.mark.parametrize("user, endpoint, status", MATRIX)
def test_authorization_matrix(client: TestClient, keys: dict[str, str], user: str | None, endpoint: str,
                              status: int) -> None:
    response = client.get(ENDPOINTS[endpoint], headers=h(keys[user]) if user else {})
    assert response.status_code == status, response.text


def test_each_caller_gets_exactly_the_permitted_rows_and_columns(client: TestClient, keys: dict[str, str],
                                                                   api_ctx: Context) -> None:
    everything = api_ctx.engine.query("SELECT * EXCLUDE (geom) FROM ads.people ORDER BY person_id").to_pylist()
    a = all_rows(client, keys["analyst_a"])
    assert [r["person_id"] for r in a] == [r["person_id"] for r in everything]
    assert a[7]["id_number"] == everything[7]["id_number"][:3] + "*" * 11 + everything[7]["id_number"][-4:]
    assert a[7]["phone"] != everything[7]["phone"] and a[7]["phone"].startswith("138")
    assert a[7]["name"].startswith(everything[7]["name"][0]) and "*" in a[7]["name"]
    assert a[7]["town"] == everything[7]["town"]  # not protected: clear
    b = all_rows(client, keys["analyst_b"])
    assert {tuple(sorted(r)) for r in b} == {("amount", "person_id", "town")}
    assert [r["person_id"] for r in b] == [r["person_id"] for r in everything if r["town"] == "泥城镇"]
    officer = all_rows(client, keys["officer"])
    assert [r["id_number"] for r in officer] == [r["id_number"] for r in everything]


def test_metadata_shows_only_visible_columns_with_chinese_titles(client: TestClient, keys: dict[str, str]) -> None:
    meta = client.get(URL, headers=h(keys["analyst_b"])).json()
    assert [c["name"] for c in meta["columns"]] == ["person_id", "town", "amount"]
    assert meta["row_filter"] is True and meta["title"] == "人员名录"
    full = client.get(URL, headers=h(keys["analyst_a"])).json()
    id_col = next(c for c in full["columns"] if c["name"] == "id_number")
    assert id_col["title"] == "身份证号" and id_col["masked"] and id_col["level"] == "敏感"


def test_analyst_b_cannot_filter_or_select_hidden_columns(client: TestClient, keys: dict[str, str]) -> None:
    for params in ({"select": "name"}, {"name": "eq.张伟"}, {"order": "phone"}):
        response = client.get(f"{URL}/rows", params=params, headers=h(keys["analyst_b"]))
        assert response.status_code == 400, params


@pytest.mark.parametrize("params, check", [
    ({"town": "eq.书院镇"}, lambda r: r["town"] == "书院镇"),
    ({"town": "ne.书院镇"}, lambda r: r["town"] != "书院镇"),
    ({"amount": "gt.1200"}, lambda r: float(r["amount"]) > 1200),
    ({"amount": "lte.3"}, lambda r: float(r["amount"]) <= 3),
    ({"town": "in.泥城镇,书院镇"}, lambda r: r["town"] in ("泥城镇", "书院镇")),
    ({"registered_on": "between.2024-03-01,2024-03-31"}, lambda r: "2024-03-01" <= r["registered_on"] <= "2024-03-31"),
    ({"id_number": "like.%1234123X"}, lambda r: True),
    ({"amount": "is.notnull"}, lambda r: r["amount"] is not None),
])
def test_filters_return_only_matching_rows(client: TestClient, keys: dict[str, str], api_ctx: Context,
                                           params: dict, check) -> None:
    rows = all_rows(client, keys["officer"], **params)
    assert rows and all(check(r) for r in rows)
    column, spec = next(iter(params.items()))
    op, _, value = spec.partition(".")
    sql = {"eq": "= '{}'", "ne": "<> '{}'", "gt": "> {}", "lte": "<= {}", "in": "IN ('泥城镇', '书院镇')",
           "between": "BETWEEN DATE '2024-03-01' AND DATE '2024-03-31'", "like": "LIKE '{}'",
           "is": "IS NOT NULL"}[op].format(value)
    assert len(rows) == api_ctx.engine.scalar(f"SELECT count(*) FROM ads.people WHERE {column} {sql}")


def test_keyset_pages_cover_every_row_once_in_order(client: TestClient, keys: dict[str, str]) -> None:
    rows = all_rows(client, keys["officer"], order="-amount,town", select="person_id,amount,town")
    assert len(rows) == 1000 and len({r["person_id"] for r in rows}) == 1000
    amounts = [float(r["amount"]) for r in rows]
    assert amounts == sorted(amounts, reverse=True)
    first = client.get(f"{URL}/rows", params={"count": "true", "limit": "5", "town": "eq.泥城镇"},
                       headers=h(keys["officer"])).json()
    assert first["total"] == 333 and len(first["rows"]) == 5


def test_spatial_bbox_and_near(client: TestClient, keys: dict[str, str], api_ctx: Context) -> None:
    inside = all_rows(client, keys["officer"], bbox="121.80,30.85,121.83,30.86", select="person_id,geom")
    expected = api_ctx.engine.scalar("SELECT count(*) FROM ads.people WHERE "
                                     "ST_Intersects(geom, ST_MakeEnvelope(121.80, 30.85, 121.83, 30.86))")
    assert len(inside) == expected > 0 and inside[0]["geom"].startswith("POINT")
    near = all_rows(client, keys["officer"], near="121.80,30.85,500", select="person_id")
    assert 0 < len(near) < 50


INJECTIONS = [
    "eq.x' OR '1'='1", "eq.'; DROP TABLE ads.people; --", "in.a','b') OR (1=1", "gt.1 OR 1=1",
    "like.%' UNION SELECT * FROM duckdb_tables() --", "between.1,2) OR (1=1", "is.null OR 1=1",
    "eq.\\x00", "eq.泥城镇\" OR \"\"=\"", "lt.(SELECT 1)",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_corpus_never_runs_foreign_sql(client: TestClient, keys: dict[str, str], api_ctx: Context,
                                                 payload: str) -> None:
    sql_ops = {"eq": "=", "gt": ">", "lt": "<", "like": "LIKE"}
    for column in ("town", "amount", "registered_on", "person_id"):
        response = client.get(f"{URL}/rows", params={column: payload, "count": "true"}, headers=h(keys["analyst_b"]))
        assert response.status_code in (200, 400), response.text
        if response.status_code == 200:
            body = response.json()
            assert all(r["town"] == "泥城镇" for r in body["rows"])  # still inside the grant
            op, _, value = payload.partition(".")
            if op in sql_ops:  # the payload was compared as one literal value, nothing more
                target = f"CAST({column} AS VARCHAR)" if op == "like" else column
                expected = api_ctx.engine.scalar(
                    f"SELECT count(*) FROM ads.people WHERE town = '泥城镇' AND {target} {sql_ops[op]} ?", [value])
                assert body["total"] == expected
    for name in ("order", "select", "after", "bbox", "near", payload):
        response = client.get(f"{URL}/rows", params={name: payload}, headers=h(keys["analyst_b"]))
        assert response.status_code in (400, 422), (name, response.text)
    assert api_ctx.engine.scalar("SELECT count(*) FROM ads.people") == 1000


def test_exports_csv_gbk_xlsx_geojson(client: TestClient, keys: dict[str, str]) -> None:
    params = {"town": "eq.书院镇", "select": "person_id,name,town,geom"}
    utf8 = client.get(f"{URL}/export", params={**params, "format": "csv"}, headers=h(keys["officer"]))
    assert utf8.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(utf8.content.decode("utf-8-sig"))))
    assert rows[0] == ["person_id", "姓名", "所属镇", "geom"] and len(rows) == 1 + 333
    gbk = client.get(f"{URL}/export", params={**params, "format": "csv-gbk"}, headers=h(keys["officer"]))
    assert list(csv.reader(io.StringIO(gbk.content.decode("gbk")))) == rows
    xlsx = client.get(f"{URL}/export", params={**params, "format": "xlsx"}, headers=h(keys["officer"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 334 and sheet.cell(1, 2).value == "姓名"
    geo = json.loads(client.get(f"{URL}/export", params={**params, "format": "geojson"}, headers=h(keys["officer"])).content)
    assert len(geo["features"]) == 333 and geo["features"][0]["geometry"]["type"] == "Point"
    bad = client.get(f"{URL}/export", params={"format": "pdf"}, headers=h(keys["officer"]))
    assert bad.status_code == 400 and "xlsx" in bad.json()["hint"]


def test_every_call_is_audited_with_filters_and_row_counts(client: TestClient, keys: dict[str, str],
                                                            api_ctx: Context) -> None:
    client.get(f"{URL}/rows", params={"town": "eq.书院镇", "limit": "7"}, headers=h(keys["analyst_a"]))
    record = next(r for r in api_ctx.security.audit.list(20) if r["actor"] == "analyst_a"
                  and r["action"] == "dataset.read")
    detail = json.loads(record["detail"])
    assert detail["rows"] == 7 and detail["where"] == ["town=eq.书院镇"] and "id_number" in detail["masked"]
    client.get(URL, headers=h(keys["nobody"]))
    assert any(r["actor"] == "nobody" and r["outcome"] == "denied" for r in api_ctx.security.audit.list(20))
    assert api_ctx.security.audit.verify().ok


def test_rate_limit_answers_429(api_ctx: Context, keys: dict[str, str]) -> None:
    from lingshu.serve.limits import TokenBuckets

    now = [0.0]
    buckets = TokenBuckets(3, clock=lambda: now[0])
    assert [buckets.take("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("k") == pytest.approx(20.0)
    now[0] += 20.0
    assert buckets.take("k") == 0.0


def test_per_key_rate_limit_and_ip_allow_list(client: TestClient, api_ctx: Context) -> None:
    acc = api_ctx.security.accounts
    api_ctx.security.grants.add("user:officer", "dataset:ads.people", ["read"])
    slow = acc.create_key("officer", rate_per_minute=3)
    statuses = [client.get(URL, headers=h(slow)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    limited = client.get(URL, headers=h(slow))
    assert limited.headers["retry-after"] == "1" and "too many requests" in limited.json()["error"]
    # The test client's address is "testclient": only a key without an allow-list may be used.
    fenced = acc.create_key("officer", allowed_ips=["10.1.0.0/16"])
    denied = client.get(URL, headers=h(fenced))
    assert denied.status_code == 403 and "may not be used from" in denied.json()["error"]
    assert any(r["action"] == "api.ip_denied" for r in api_ctx.security.audit.list(10))
    from lingshu.security.accounts import Principal

    p = Principal("x", ("client",), allowed_ips=("10.1.0.0/16", "192.168.3.4"))
    assert p.ip_allowed("10.1.200.7") and p.ip_allowed("192.168.3.4") and not p.ip_allowed("192.168.3.5")

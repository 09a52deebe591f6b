"""The console over HTTP: sign-in redirects, pages in Chinese, permission checks, masking, audit."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from dashboards.dash_support import PASSWORD
from lingshu.core.context import Context
from lingshu.serve.app import create_app


def client_for(ctx: Context, user: str | None) -> TestClient:
    client = TestClient(create_app(ctx))
    if user:
        assert client.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD}).status_code == 200
    return client


@pytest.fixture(scope="module")
def wu(dash_ctx: Context) -> TestClient:
    return client_for(dash_ctx, "wu")


def test_pages_need_sign_in(dash_ctx: Context) -> None:
    anon = client_for(dash_ctx, None)
    for path in ("/", "/packs/example_enterprises", "/dashboards/example_enterprises/overview", "/security/audit"):
        r = anon.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    assert anon.get("/api/v1/dashboards/example_enterprises/overview/data").status_code == 401
    assert "临数控制台登录" in anon.get("/login").text


def test_home_has_a_card_per_pack_with_status_and_schedule(wu: TestClient) -> None:
    html = wu.get("/").text
    assert 'data-pack="example_enterprises"' in html and 'data-pack="map_layers"' in html
    assert "成功" in html and "下次调度" in html and "临港企业登记概览" in html
    assert "未配置调度" in html  # map_layers has no schedule


def test_pack_page_lists_sources_models_lineage_indicators_and_runs(wu: TestClient) -> None:
    html = wu.get("/packs/example_enterprises").text
    for text in ("企业登记台账", "dwd.example_enterprise", "在册企业数", "capital_total / enterprise_count", "数据更新日志",
                 "#1"):
        assert text in html, text
    lineage = json.loads(html.split('id="lineage-data">')[1].split("</script>")[0])
    assert ["ods.example_enterprise", "dwd.example_enterprise"] in lineage["links"]


def test_dataset_preview_is_masked_and_audited(wu: TestClient, dash_ctx: Context) -> None:
    html = wu.get("/datasets/dwd.test_poi").text
    assert "138****" in html and "已脱敏字段" in html and "13800130000" not in html
    last = dash_ctx.security.audit.list(limit=2, actor="wu")
    assert {r["action"] for r in last} >= {"dataset.preview"}
    denied = client_for(dash_ctx, "nogrant").get("/datasets/dwd.test_poi").text
    assert "has no read grant" in denied and "138****" not in denied


def test_security_pages_check_the_duty(dash_ctx: Context, wu: TestClient) -> None:
    for section in ("users", "grants", "audit", "approvals", "keys"):
        assert wu.get(f"/security/{section}").status_code == 403
    admin = client_for(dash_ctx, "admin")
    users = admin.get("/security/users").text
    assert "吴分析" in users and "nogrant" in users
    assert "dataset:*" in admin.get("/security/grants").text
    audit = admin.get("/security/audit").text
    assert "audit chain intact" in audit and "auth.login" in audit
    denied = [r for r in dash_ctx.security.audit.list(limit=50, actor="wu") if r["outcome"] == "denied"]
    assert any(r["resource"] == "/security/users" for r in denied)


def test_quality_and_ops_pages(dash_ctx: Context, wu: TestClient) -> None:
    assert wu.get("/ops").status_code == 403  # an analyst has no operations duty
    assert wu.get("/quality").status_code == 403
    admin = client_for(dash_ctx, "admin")
    assert "运行记录" in admin.get("/ops").text


def test_dashboard_pages_and_static_assets(wu: TestClient) -> None:
    page = wu.get("/dashboards/example_enterprises/overview").text
    assert '"screen": false' in page and "/static/dashboard.js" in page and "http" not in page.split("<body")[1]
    screen = wu.get("/screen/example_enterprises/overview?carousel=map_layers/layers&every=10").text
    assert 'class="screen"' in screen and '"keys": ["example_enterprises/overview", "map_layers/layers"]' in screen
    assert wu.get("/static/..%2F..%2Fserve%2Fapp.py").status_code == 404
    listing = wu.get("/dashboards").text
    assert "/screen/example_enterprises/overview" in listing and "地图" in listing

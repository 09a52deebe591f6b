"""Sign-in over HTTP: cookies, API keys, 401s, and every attempt audited."""

from __future__ import annotations

from fastapi.testclient import TestClient

from lingshu.core.context import Context
from lingshu.serve.app import create_app


def test_login_me_logout_and_keys(ctx: Context) -> None:
    ctx.security.accounts.add_user("wu", ["analyst"], password="0123456789ab", department="应急局")
    client = TestClient(create_app(ctx))
    assert client.get("/api/v1/auth/me").status_code == 401
    bad = client.post("/api/v1/auth/login", json={"username": "wu", "password": "nope-nope-nope"})
    assert bad.status_code == 401 and "Traceback" not in bad.text
    ok = client.post("/api/v1/auth/login", json={"username": "wu", "password": "0123456789ab"})
    assert ok.status_code == 200
    me = client.get("/api/v1/auth/me").json()
    assert me["username"] == "wu" and me["via"] == "session" and "data.read" in me["permissions"]
    client.post("/api/v1/auth/logout")
    assert client.get("/api/v1/auth/me").status_code == 401
    key = ctx.security.accounts.create_key("wu")
    fresh = TestClient(create_app(ctx))
    assert fresh.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {key}"}).json()["via"] == "key"
    assert fresh.get("/api/v1/auth/me", headers={"X-API-Key": key}).status_code == 200
    outcomes = [(r["action"], r["outcome"]) for r in reversed(ctx.security.audit.list())]
    assert outcomes == [("auth.login", "denied"), ("auth.login", "allowed")]
    assert ctx.security.audit.verify().ok


def test_healthz(ctx: Context) -> None:
    body = TestClient(create_app(ctx)).get("/healthz").json()
    assert body["status"] == "ok"


def test_api_explorer_is_served_from_local_assets(ctx: Context) -> None:
    import re

    client = TestClient(create_app(ctx))
    page = client.get("/docs").text
    urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", page)
    assert "/static/swagger/swagger-ui-bundle.js" in urls and "/openapi.json" in page
    assert not [u for u in urls if u.startswith(("http://", "https://", "//"))]
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200

"""OGC-style feature API and the indicator API over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from lingshu.core.context import Context


def h(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_feature_collections_items_bbox_and_properties(client: TestClient, keys: dict[str, str],
                                                       api_ctx: Context) -> None:
    cols = client.get("/api/v1/features/collections", headers=h(keys["officer"])).json()
    assert [c["id"] for c in cols["collections"]] == ["ads.people"]
    url = "/api/v1/features/collections/ads.people/items"
    page = client.get(url, params={"limit": 10, "offset": 5, "properties": "town"}, headers=h(keys["officer"]))
    assert page.headers["content-type"].startswith("application/geo+json")
    body = page.json()
    assert body["numberReturned"] == 10
    assert body["features"][0]["geometry"]["type"] == "Point"
    assert set(body["features"][0]["properties"]) == {"town"}
    boxed = client.get(url, params={"bbox": "121.80,30.85,121.83,30.86", "limit": 1000},
                       headers=h(keys["officer"])).json()
    expected = api_ctx.engine.scalar("SELECT count(*) FROM ads.people WHERE "
                                     "ST_Intersects(geom, ST_MakeEnvelope(121.80, 30.85, 121.83, 30.86))")
    assert boxed["numberReturned"] == expected
    for f in boxed["features"]:
        lng, lat = f["geometry"]["coordinates"]
        assert 121.80 <= lng <= 121.83 and 30.85 <= lat <= 30.86


def test_feature_extent_grant_limits_what_a_consumer_sees(client: TestClient, api_ctx: Context) -> None:
    api_ctx.security.accounts.add_user("twin", ["client"])
    api_ctx.security.grants.add("user:twin", "dataset:ads.people", ["read"], columns=["person_id", "geom"],
                                extent=(121.80, 30.85, 121.82, 30.853))
    key = api_ctx.security.accounts.create_key("twin")
    body = client.get("/api/v1/features/collections/ads.people/items", params={"limit": 1000},
                      headers=h(key)).json()
    assert 0 < body["numberReturned"] < 1000
    for f in body["features"]:
        lng, lat = f["geometry"]["coordinates"]
        assert 121.80 <= lng <= 121.82 and 30.85 <= lat <= 30.853
        assert set(f["properties"]) == {"person_id"}


def test_indicator_api_needs_a_grant_and_returns_the_definition(client: TestClient, api_ctx: Context) -> None:
    api_ctx.security.accounts.add_user("planner", ["analyst"])
    key = api_ctx.security.accounts.create_key("planner")
    assert client.get("/api/v1/indicators", headers=h(key)).json() == {"indicators": []}
    assert client.get("/api/v1/indicators/people_count", headers=h(key)).status_code == 403
    api_ctx.security.grants.add("user:planner", "indicator:people.people_count", ["read"])
    listed = client.get("/api/v1/indicators", headers=h(key)).json()["indicators"]
    assert [i["key"] for i in listed] == ["people.people_count"]
    body = client.get("/api/v1/indicators/people_count", params={"by": "town"}, headers=h(key)).json()
    assert body["name"] == "人数" and body["definition"] == "名录中的人数" and body["version"] == 1
    direct = {r["town"]: r["n"] for r in
              api_ctx.engine.query("SELECT town, count(*) AS n FROM ads.people GROUP BY town").to_pylist()}
    assert {r["town"]: r["value"] for r in body["rows"]} == direct
    monthly = client.get("/api/v1/indicators/people_count", params={"grain": "month", "from": "2024-02-01",
                                                                   "to": "2024-04-01"}, headers=h(key)).json()
    assert [r["period"][:7] for r in monthly["rows"]] == ["2024-02", "2024-03"]
    assert client.get("/api/v1/indicators/people_count", params={"grain": "fortnight"},
                      headers=h(key)).status_code == 400
    assert client.get("/api/v1/indicators/amount_avg", headers=h(key)).status_code == 403
    missing = client.get("/api/v1/indicators/nothing", headers=h(key))
    assert missing.status_code == 400 and "no indicator" in missing.json()["error"]

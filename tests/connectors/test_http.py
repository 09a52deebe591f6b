"""HTTP JSON APIs against a real local server: three pagination styles, a 503 that is retried,
a token from the workspace's secrets, and failures that say what to do."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from ingest_support import data_rows, pack_context, read, source, update_of
from lingshu.connectors import ConnectorError

TOKEN = "tok-lingang-0001"
RECORDS = [{"id": i, "name": f"企业{i}", "updated_at": f"2024-05-{i:02d} 08:00:00"} for i in range(1, 8)]


class Api(BaseHTTPRequestHandler):
    """/page?page=&size=, /offset?offset=&limit=, /cursor?cursor=; /flaky fails once with 503."""

    calls: list[str] = []
    failures_left: dict[str, int] = {}

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body, ensure_ascii=False).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        Api.calls.append(self.path)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}" and q.get("token") != TOKEN:
            return self._send(401, {"code": 401, "msg": "invalid token"})
        records = [r for r in RECORDS if r["updated_at"] > q.get("since", "")]
        if url.path.startswith("/flaky") and Api.failures_left.get(self.path, 1) > 0:
            Api.failures_left[self.path] = 0
            return self._send(503, {"msg": "busy"}, {"Retry-After": "0"})
        if url.path in ("/page", "/flaky"):
            page, size = int(q["page"]), int(q["size"])
            chunk = records[(page - 1) * size: page * size]
            return self._send(200, {"code": 0, "data": {"list": chunk, "total": len(records)}})
        if url.path == "/offset":
            start, limit = int(q["offset"]), int(q["limit"])
            return self._send(200, {"result": records[start:start + limit]})
        if url.path == "/cursor":
            start = int(q.get("cursor", 0))
            chunk = records[start:start + 3]
            nxt = start + 3 if start + 3 < len(records) else None
            return self._send(200, {"items": chunk, "paging": {"next": nxt}})
        if url.path == "/down":
            return self._send(502, {"msg": "bad gateway"})
        if url.path == "/html":
            return self._send(200, b"<html>login</html>")
        return self._send(404, {"msg": "no such api"})


@pytest.fixture
def api() -> Iterator[str]:
    Api.calls = []
    Api.failures_left = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    folder = tmp_path / "secrets"
    folder.mkdir()
    (folder / "city_platform_token").write_text(TOKEN + "\n", encoding="utf-8")
    (folder / "city_platform_token").chmod(0o600)
    return folder


AUTH = {"secret": "city_platform_token", "header": "Authorization", "prefix": "Bearer "}
FAST = {"backoff": 0.01, "timeout": 5}


@pytest.mark.parametrize(("path", "options"), [
    ("/page", {"record_path": "data.list", "pagination": {"type": "page", "page_size": 3}}),
    ("/offset", {"record_path": "result", "pagination": {"type": "offset", "page_size": 2}}),
    ("/cursor", {"record_path": "items", "pagination": {"type": "cursor", "cursor_path": "paging.next"}}),
])
def test_pagination_styles_read_every_record(api: str, secrets: Path, tmp_path: Path, path: str,
                                             options: dict) -> None:
    opts = {"url": api + path, "auth": AUTH, **FAST, **options}
    table = read(source("http", options=opts), tmp_path, secrets=secrets)
    assert [r["id"] for r in data_rows(table)] == [str(i) for i in range(1, 8)]
    assert table.column("_row_number").to_pylist() == list(range(1, 8))
    assert TOKEN not in " ".join(table.column("_source_file").to_pylist())


def test_a_503_is_retried_and_the_run_succeeds(api: str, secrets: Path, tmp_path: Path) -> None:
    opts = {"url": api + "/flaky", "auth": AUTH, "record_path": "data.list", "rate_limit": 200,
            "pagination": {"type": "page", "page_size": 5}, **FAST}
    with pack_context(tmp_path, [source("http", options=opts, columns=[{"name": "id", "type": "BIGINT"}])]) as ctx:
        (ctx.workspace.folder("secrets") / "city_platform_token").write_text(TOKEN, encoding="utf-8")
        (ctx.workspace.folder("secrets") / "city_platform_token").chmod(0o600)
        report = ctx.run("t")
        assert report.status == "success", report.steps[0].error
        assert update_of(ctx, report.run_id)["rows_after"] == 7
    first_page = [c for c in Api.calls if "page=1" in c]
    assert len(first_page) == 2  # the 503, then the retry


def test_token_as_query_parameter_and_env_secret(api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINGSHU_SECRET_CITY_PLATFORM_TOKEN", TOKEN)
    opts = {"url": api + "/offset", "record_path": "result", "auth": {"secret": "city_platform_token", "param": "token"},
            "pagination": {"type": "offset", "page_size": 4}, **FAST}
    assert read(source("http", options=opts), tmp_path).num_rows == 7


def test_watermark_is_sent_as_since_param(api: str, secrets: Path, tmp_path: Path) -> None:
    opts = {"url": api + "/page", "auth": AUTH, "record_path": "data.list", "since_param": "since",
            "pagination": {"type": "page", "page_size": 3}, **FAST,
            "incremental": {"mode": "watermark", "column": "updated_at"}}
    cols = [{"name": "id", "type": "BIGINT"}, {"name": "updated_at", "type": "TIMESTAMP"}]
    with pack_context(tmp_path, [source("http", options=opts, columns=cols)]) as ctx:
        target = ctx.workspace.folder("secrets") / "city_platform_token"
        target.write_text(TOKEN, encoding="utf-8")
        target.chmod(0o600)
        assert update_of(ctx, ctx.run("t").run_id)["rows_read"] == 7
        RECORDS.append({"id": 8, "name": "企业8", "updated_at": "2024-05-08 08:00:00"})
        try:
            second = update_of(ctx, ctx.run("t").run_id)
        finally:
            RECORDS.pop()
        assert (second["rows_read"], second["rows_after"]) == (1, 8)
        assert any("since=2024-05-07" in c for c in Api.calls)


@pytest.mark.parametrize(("path", "auth", "message", "hint"), [
    ("/page", {"secret": "city_platform_token", "prefix": "Bearer wrong-"}, "HTTP 401", "token"),
    ("/down", AUTH, "failed 3 time(s), last: HTTP 502", "retries"),
    ("/html", AUTH, "is not JSON", "url"),
])
def test_failures_are_clear_and_never_show_the_token(api: str, secrets: Path, tmp_path: Path, path: str,
                                                     auth: dict, message: str, hint: str) -> None:
    opts = {"url": api + path, "auth": auth, "retries": 2, **FAST}
    with pytest.raises(ConnectorError) as err:
        read(source("http", options=opts), tmp_path, secrets=secrets)
    assert message in err.value.message and hint in err.value.hint
    assert TOKEN not in str(err.value)


def test_missing_secret_and_refused_connection(tmp_path: Path) -> None:
    opts = {"url": "http://127.0.0.1:1/x", "auth": AUTH, **FAST}
    with pytest.raises(ConnectorError, match="secret 'city_platform_token' is not set"):
        read(source("http", options=opts), tmp_path, secrets=tmp_path)
    with pytest.raises(ConnectorError, match="ConnectError"):
        read(source("http", options={"url": "http://127.0.0.1:1/x", "retries": 1, **FAST}), tmp_path)


def test_an_api_that_never_ends_stops_at_max_pages(api: str, secrets: Path, tmp_path: Path) -> None:
    opts = {"url": api + "/page", "auth": AUTH, "record_path": "data.list", **FAST,
            "pagination": {"type": "page", "page_size": 1, "max_pages": 3}}
    with pytest.raises(ConnectorError, match="still more pages after max_pages=3"):
        read(source("http", options=opts), tmp_path, secrets=secrets)

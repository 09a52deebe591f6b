"""``lingshu docs`` in-process, and the console's /packs/<id>/docs list and downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docs.docs_support import PACK, PASSWORD, example_workspace
from lingshu.cli.common import STATE
from lingshu.cli.main import main
from lingshu.core.context import Context
from lingshu.serve.app import create_app


def _cli(ws: Path, *args: str) -> int:
    try:
        main(["--workspace", str(ws), *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        STATE.workspace = None
    return 0


def test_cli_writes_the_named_documents(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # Its own workspace: a second process-local DuckDB connection to the shared one would clash.
    ctx = example_workspace(tmp_path / "w", run=False)
    root = ctx.workspace.root
    ctx.close()
    out = tmp_path / "out"
    code = _cli(root, "docs", PACK, "--out", str(out), "--format", "html",
                "--kind", "requirements", "--kind", "update_log", "--no-images", "--no-screenshots")
    assert code == 0
    assert sorted(p.name for p in out.glob("*.html")) == ["010_需求确认单.html", "145_数据更新日志.html", "index.html"]
    assert "尚无运行记录" in (out / "145_数据更新日志.html").read_text(encoding="utf-8")
    assert _cli(root, "docs", PACK, "--kind", "list") == 0
    assert "legal_person_indicators" in capsys.readouterr().out
    assert _cli(root, "docs", PACK, "--format", "pdf") == 2
    assert "unknown document format 'pdf'" in capsys.readouterr().err
    bundle = tmp_path / "bundle"
    assert _cli(root, "docs-bundle", "--out", str(bundle), "--format", "docx", "--no-images", "--no-screenshots") == 0
    index = (bundle / "index.html").read_text(encoding="utf-8")
    assert f'href="{PACK}/010_需求确认单.docx"' in index and "示例：临港企业登记统计 · 数据指标清单" in index
    assert (bundle / PACK / "manifest.json").is_file()


def test_console_lists_and_serves_documents_to_permitted_roles(docs_ctx: Context, written: tuple) -> None:
    accounts = docs_ctx.security.accounts
    if not any(u["username"] == "eng" for u in accounts.list_users()):
        accounts.add_user("eng", ["engineer"], password=PASSWORD)
        accounts.add_user("biz", ["analyst"], password=PASSWORD)

    def client(user: str) -> TestClient:
        c = TestClient(create_app(docs_ctx))
        assert c.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD}).status_code == 200
        return c

    eng = client("eng")
    assert 'id="docs-link"' in eng.get(f"/packs/{PACK}").text
    page = eng.get(f"/packs/{PACK}/docs").text
    assert "数据模型设计文档" in page and "DOCX" in page
    name = next(w.files["docx"] for w in written[1] if w.kind == "model_design")
    r = eng.get(f"/packs/{PACK}/docs/{name}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert eng.get(f"/packs/{PACK}/docs/manifest.json").status_code == 404  # only listed documents
    assert eng.get(f"/packs/{PACK}/docs/..%2F..%2Flingshu.yaml").status_code == 404
    denied = client("biz").get(f"/packs/{PACK}/docs")
    assert denied.status_code == 403 and "无权查看" in denied.text

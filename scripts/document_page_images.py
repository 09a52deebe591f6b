"""Write a first-page image of each document kind into docs/images/documents/ (for docs/documents.md).

Builds the example pack in a temporary workspace (an industry copy of it for the 法人库指标设计文档,
a tiny address pack for the address rules report), writes every document as HTML and screenshots
the top of each page with the same offline Chromium the documents use. Run: .venv/bin/python
scripts/document_page_images.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from lingshu.docs import Options, build_documents
from lingshu.docs.raster import Browser
from lingshu.docs.render_html import render_html

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images" / "documents"
ADDRESS_PACK = {
    "pack.yaml": """
        id: address_demo
        name: 示例：地址标准化
        domain: governance
        department: 临港新片区数据局
        sources:
          - {name: places, kind: csv, path: data/places.csv, target: ods.address_demo,
             columns: [{name: place_id, required: true}, {name: address, title: 地址}]}
        models:
          - {name: dwd.address_demo, unique_key: [place_id]}
        """,
    "models/dwd/address_demo.sql": "SELECT place_id, address_standardize(address) AS address_std FROM ods.address_demo\n",
    "data/places.csv": "place_id,address\n1,上海市浦东新区南汇新城镇环湖西二路888号\n2,临港新城申港大道200弄3号楼5楼501房间\n"
                       "3,书院镇丽正路一百二十三号（近地铁站）13800138000\n4,不知道在哪里\n",
}


def workspace(root: Path) -> Context:
    packs = root / "packs"
    shutil.copytree(ROOT / "packs" / "examples" / "example_enterprises", packs / "example_enterprises")
    industry = packs / "legal_demo"
    shutil.copytree(ROOT / "packs" / "examples" / "example_enterprises", industry)
    text = (industry / "pack.yaml").read_text(encoding="utf-8")
    text = text.replace("id: example_enterprises", "id: legal_demo").replace("domain: example", "domain: industry")
    text = text.replace("example_enterprise", "legal_demo_enterprise")
    (industry / "pack.yaml").write_text(text, encoding="utf-8")
    for path in [*industry.rglob("*.sql"), *industry.rglob("*.yaml")]:
        path.write_text(path.read_text(encoding="utf-8").replace("example_enterprise", "legal_demo_enterprise"),
                        encoding="utf-8")
        if "example_enterprise" in path.name:
            path.rename(path.with_name(path.name.replace("example_enterprise", "legal_demo_enterprise")))
    for rel, body in ADDRESS_PACK.items():
        (packs / "address_demo" / rel).parent.mkdir(parents=True, exist_ok=True)
        (packs / "address_demo" / rel).write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    ws = init_workspace(root / "ws", name="文档示例", pack_paths=[str(packs)])
    ws.config.builtin_packs = False
    ctx = Context(ws)
    for pack in ("example_enterprises", "legal_demo", "address_demo"):
        ctx.run(pack)
    return ctx


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, Browser() as browser:
        ctx = workspace(Path(tmp))
        done: set[str] = set()
        for pack in ("example_enterprises", "legal_demo", "address_demo"):
            for doc in build_documents(ctx, pack, options=Options(), browser=browser):
                if doc.kind in done:
                    continue
                context = browser.new_context(900, 1250)
                if context is None:
                    sys.exit(f"no browser: {browser.unavailable}")
                page = context.new_page()
                page.set_content(render_html(doc))
                page.wait_for_timeout(200)
                page.screenshot(path=str(OUT / f"{doc.kind}.png"))
                context.close()
                done.add(doc.kind)
                print(doc.kind, doc.title)
        ctx.close()


if __name__ == "__main__":
    main()

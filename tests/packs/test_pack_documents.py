"""Every pack that exists gets its deliverable documents, with its own names and tables in them."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as Docx

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from lingshu.docs import Options, write_documents
from lingshu.pack.loader import BUILTIN_PACKS, discover, load_pack
from lingshu.synth import SynthConfig, generate


def _text(path: Path) -> str:
    doc = Docx(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.slow
def test_documents_for_every_builtin_pack(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", name="docs-all")
    # Every delivery form (Excel too): some packs read workbooks.
    generate(SynthConfig(scale=0.05, seed=11, traffic_days=4, passenger_days=10), ws.folder("raw") / "synth")
    pack_ids = sorted(load_pack(p).id for p in discover([BUILTIN_PACKS]))
    with Context(ws) as ctx:
        # Dependencies first (congestion reads the road archive), as the scheduler orders them.
        ordered: list[str] = []
        while len(ordered) < len(pack_ids):
            for pid in pack_ids:
                if pid not in ordered and all(d in ordered for d in ctx.catalog.get(pid).spec.depends_on):
                    ordered.append(pid)
        for pid in ordered:
            assert ctx.run(pid).status == "success", pid
        for pid in ordered:
            pack = ctx.catalog.get(pid)
            result = write_documents(ctx, pid, tmp_path / "docs" / pid, formats=("docx",),
                                     options=Options(images=False, screenshots=False))
            files = sorted((tmp_path / "docs" / pid).glob("*.docx"))
            assert len(files) >= 15, (pid, [f.name for f in files])
            everything = "\n".join(_text(f) for f in files)
            assert pack.spec.name in everything, pid
            dictionary = _text(next(f for f in files if "数据库表" in f.name))
            for table in pack.produces():
                assert table in dictionary, (pid, table)
            assert result is not None

"""``lingshu docs PACK``: the pack's deliverable documents (输出物) as HTML and .docx;
``lingshu docs-bundle``: every pack's documents, one folder per pack, with an index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from lingshu.cli.common import console, open_context
from lingshu.docs import Options, ordered, write_bundle, write_documents
from lingshu.docs.writer import Written, parse_formats


def _print(pack_id: str, written: list[Written], out: Path) -> None:
    table = Table(title=f"交付文档 documents · {pack_id} → {out}")
    for col in ("文档 document", "工作内容 work", "文件 files"):
        table.add_column(col)
    for w in written:
        table.add_row(w.title, w.work, "  ".join(w.files.values()))
    console.print(table)


def register(app: typer.Typer) -> None:
    @app.command("docs")
    def docs(
        pack_id: Annotated[str, typer.Argument(help="Pack id / 场景包标识")],
        out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder / 输出目录 (default: docs/<pack>)")] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="html,docx / 输出格式")] = "html,docx",
        kind: Annotated[list[str] | None, typer.Option(
            "--kind", "-k", help="Only these documents (repeatable) / 仅生成指定文档; `--kind list` lists them")] = None,
        images: Annotated[bool, typer.Option(help="Draw diagrams as pictures for .docx (Chromium) / 绘制图片")] = True,
        screenshots: Annotated[bool, typer.Option(help="Screenshot the dashboards (Chromium) / 看板截图")] = True,
    ) -> None:
        """Generate the pack's deliverable documents / 生成场景包交付文档。"""
        if kind == ["list"]:
            for k in ordered():
                console.print(f"{k.name:26} {k.title}（{k.work}）", highlight=False)
            return
        formats = parse_formats(fmt)
        with open_context() as ctx:
            folder = out or ctx.workspace.folder("docs") / pack_id
            with console.status("生成文档 building documents…") as status:
                written = write_documents(ctx, pack_id, folder, formats, kind, options=Options(images, screenshots),
                                          progress=lambda title: status.update(f"生成 {title}…"))
        _print(pack_id, written, folder)

    @app.command("docs-bundle")
    def docs_bundle(
        out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder / 输出目录 (default: docs/)")] = None,
        packs: Annotated[list[str] | None, typer.Option("--pack", "-p", help="Only these packs (repeatable)")] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="html,docx / 输出格式")] = "html,docx",
        images: Annotated[bool, typer.Option(help="Draw diagrams as pictures for .docx (Chromium)")] = True,
        screenshots: Annotated[bool, typer.Option(help="Screenshot the dashboards (Chromium)")] = True,
    ) -> None:
        """Every pack's documents, one folder per pack, and an index / 全部场景包交付文档汇总。"""
        formats = parse_formats(fmt)
        with open_context() as ctx:
            folder = out or ctx.workspace.folder("docs")
            with console.status("生成文档 building documents…") as status:
                result = write_bundle(ctx, folder, packs, formats, options=Options(images, screenshots),
                                      progress=lambda title: status.update(f"生成 {title}…"))
        for pack_id, written in result.items():
            _print(pack_id, written, folder / pack_id)
        console.print(f"索引 index: {folder / 'index.html'}", highlight=False)

"""Workspaces for the document tests and helpers that read .docx files back."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import docx

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace

EXAMPLE = Path(__file__).resolve().parents[2] / "packs" / "examples" / "example_enterprises"
PACK = "example_enterprises"
PASSWORD = "0123456789ab"


def example_workspace(root: Path, *, run: bool = True, edit: Any = None) -> Context:
    """A workspace holding a copy of the example pack only (other packs are written concurrently
    and may be half-done), optionally edited first, optionally run."""
    pack = root / "packs" / PACK
    shutil.copytree(EXAMPLE, pack)
    if edit is not None:
        edit(pack)
    ws = init_workspace(root / "ws", name="docs", pack_paths=[str(root / "packs")])
    ws.config.builtin_packs = False
    config = ws.root / "lingshu.yaml"  # also on disk: the CLI tests open the workspace from its file
    config.write_text(config.read_text(encoding="utf-8").replace("builtin_packs: true", "builtin_packs: false"),
                      encoding="utf-8")
    ctx = Context(ws)
    if run:
        report = ctx.run(PACK)
        assert report.status == "success", report
    return ctx


def open_docx(path: Path) -> Any:
    return docx.Document(str(path))


def table_rows(document: Any, *header: str) -> list[list[str]]:
    """Data rows of the first table whose header starts with the given column titles."""
    for table in document.tables:
        head = [c.text for c in table.rows[0].cells]
        if head[:len(header)] == list(header):
            return [[c.text for c in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table headed {header!r}")


def all_table_rows(document: Any, first_header: str, second_header: str) -> list[list[str]]:
    """Data rows of every table headed by the given column titles, concatenated."""
    out = []
    for table in document.tables:
        head = [c.text for c in table.rows[0].cells]
        if head[:2] == [first_header, second_header]:
            out += [[c.text for c in row.cells] for row in table.rows[1:]]
    return out


def field_value(document: Any, label: str) -> str:
    """The value next to ``label`` in a two-column form table."""
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            if len(cells) == 2 and cells[0].text == label:
                return cells[1].text
    raise AssertionError(f"no field {label!r}")


def headings(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def images(document: Any) -> int:
    return len(document.inline_shapes)

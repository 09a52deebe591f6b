"""The document model: what a builder produces and both renderers (HTML, DOCX) read.

A document is written once, as data: a cover (title, pack, facts), then sections of blocks
(paragraphs, lists, tables, key-value forms, figures, code, signature fields). Builders never
format; renderers never compute. Every figure in a block comes from the pack or the run records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass
class Paragraph:
    text: str
    note: bool = False  # a remark (shown smaller, grey): what is missing and why


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]]
    caption: str = ""
    empty: str = "无"  # said in place of an empty table, so a reader knows it was looked at

    def text_rows(self) -> list[list[str]]:
        return [[cell_text(v) for v in row] for row in self.rows]


@dataclass
class Fields:
    """A two-column form: label -> value (confirmation forms, cover facts)."""

    pairs: list[tuple[str, Any]]


@dataclass
class Figure:
    caption: str
    svg: str | None = None  # inline SVG (HTML)
    png: bytes | None = None  # raster for .docx (python-docx embeds PNG, not SVG)
    width_cm: float = 16.0
    missing: str = ""  # why there is no picture (said in the document instead)


@dataclass
class Code:
    text: str
    language: str = "sql"


@dataclass
class Signatures:
    """Signature fields: one row per party, with blanks for signature and date."""

    parties: list[str]


Block = Union[Paragraph, Bullets, Table, Fields, Figure, Code, Signatures]


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self

    def sub(self, title: str, *blocks: Block) -> Section:
        child = Section(title, list(blocks))
        self.sections.append(child)
        return child


@dataclass
class Document:
    kind: str  # registry name, e.g. data_dictionary
    title: str  # 数据库表（数据字典）
    pack_id: str
    pack_name: str
    cover: list[tuple[str, Any]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def section(self, title: str, *blocks: Block) -> Section:
        sec = Section(title, list(blocks))
        self.sections.append(sec)
        return sec

    def walk(self) -> list[tuple[int, Section]]:
        """Every section with its depth (1 = top level), in reading order."""
        out: list[tuple[int, Section]] = []

        def visit(sec: Section, depth: int) -> None:
            out.append((depth, sec))
            for child in sec.sections:
                visit(child, depth + 1)

        for sec in self.sections:
            visit(sec, 1)
        return out

    def tables(self) -> list[Table]:
        return [b for _, s in self.walk() for b in s.blocks if isinstance(b, Table)]


def cell_text(value: Any) -> str:
    """How a value reads in a table cell: no 'None', floats without noise, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple, set)):
        return "、".join(cell_text(v) for v in value)
    return str(value)

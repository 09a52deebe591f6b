"""Build a pack's documents and write them as HTML and .docx, one folder per pack, with an index.

``build_documents`` returns the document models (tests read them); ``write_documents`` writes a
pack's folder with ``manifest.json`` (what the console lists) and ``index.html``; ``write_bundle``
does it for several packs and writes a top index.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lingshu.core.registry import Registry
from lingshu.docs.errors import DocsError
from lingshu.docs.facts import Facts, Options
from lingshu.docs.model import Document
from lingshu.docs.raster import Browser
from lingshu.docs.registry import DOCUMENTS, ordered
from lingshu.docs.render_docx import render_docx
from lingshu.docs.render_html import render_html

if TYPE_CHECKING:
    from lingshu.core.context import Context

MANIFEST = "manifest.json"

# format -> (file extension, renderer returning bytes)
FORMATS: Registry[tuple[str, Callable[[Document], bytes]]] = Registry("document format")
FORMATS.add("html", ("html", lambda d: render_html(d).encode("utf-8")))
FORMATS.add("docx", ("docx", render_docx))

ProgressFn = Callable[[str], Any]


@dataclass
class Written:
    kind: str
    title: str
    work: str
    files: dict[str, str] = field(default_factory=dict)  # format -> file name in the pack folder


def parse_formats(text: str | Iterable[str]) -> list[str]:
    names = [f.strip().lower() for f in (text.split(",") if isinstance(text, str) else text) if f.strip()]
    for name in names:
        FORMATS.get(name)  # unknown formats fail with the list of formats
    if not names:
        raise DocsError("no document format given", hint=f"use --format with one or more of: {', '.join(FORMATS)}")
    return names


def select_kinds(facts: Facts, kinds: Iterable[str] | None) -> list[Any]:
    """The document kinds to build: the named ones (checked), else every kind that applies."""
    all_kinds = ordered()
    if not kinds:
        return [k for k in all_kinds if k.applies(facts)]
    wanted = list(kinds)
    for name in wanted:
        DOCUMENTS.get(name)
    return [k for k in all_kinds if k.name in wanted]


def build_documents(ctx: Context, pack_id: str, kinds: Iterable[str] | None = None, *,
                    options: Options | None = None, browser: Browser | None = None,
                    progress: ProgressFn | None = None) -> list[Document]:
    pack = ctx.catalog.get(pack_id)
    facts = Facts(ctx, pack, options, browser)
    chosen = select_kinds(facts, kinds)
    for kind in chosen:  # fresh records first, so every document shows the same ones
        if kind.prepare is not None:
            kind.prepare(facts)
    docs = []
    for kind in chosen:
        if progress:
            progress(kind.title)
        docs.append(kind.build(facts))
    return docs


def _file_name(order: int, doc: Document) -> str:
    return f"{order:03d}_{doc.title}".replace("/", "／").replace(" ", "")


def write_documents(ctx: Context, pack_id: str, out: Path, formats: Iterable[str] = ("html", "docx"),
                    kinds: Iterable[str] | None = None, *, options: Options | None = None,
                    browser: Browser | None = None, progress: ProgressFn | None = None) -> list[Written]:
    formats = parse_formats(formats)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DocsError(f"cannot create the documents folder {out}: {exc.strerror}",
                        hint="pass a writable folder with --out") from None
    own_browser = browser is None and (options is None or options.images or options.screenshots)
    browser = Browser() if own_browser else browser
    try:
        docs = build_documents(ctx, pack_id, kinds, options=options, browser=browser, progress=progress)
    finally:
        if own_browser and browser is not None:
            browser.close()
    written = []
    for doc in docs:
        kind = DOCUMENTS.get(doc.kind)
        item = Written(doc.kind, doc.title, kind.work)
        for fmt in formats:
            ext, render = FORMATS.get(fmt)
            name = f"{_file_name(kind.order, doc)}.{ext}"
            (out / name).write_bytes(render(doc))
            item.files[fmt] = name
        written.append(item)
    pack = ctx.catalog.get(pack_id)
    (out / MANIFEST).write_text(json.dumps({"pack": pack_id, "name": pack.spec.name,
                                            "documents": [asdict(w) for w in written]},
                                           ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "index.html").write_text(_index_html(f"{pack.spec.name} 交付文档", [
        (w.title, w.work, w.files) for w in written]), encoding="utf-8")
    return written


def read_manifest(folder: Path) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def write_bundle(ctx: Context, out: Path, pack_ids: Iterable[str] | None = None,
                 formats: Iterable[str] = ("html", "docx"), *, options: Options | None = None,
                 progress: ProgressFn | None = None) -> dict[str, list[Written]]:
    """One folder per pack (all its documents) and an index of them all; one browser for all."""
    ids = list(pack_ids or sorted(ctx.catalog.packs))
    for pack_id in ids:
        ctx.catalog.get(pack_id)  # fail on a typo before writing anything
    result: dict[str, list[Written]] = {}
    with Browser() as browser:
        for pack_id in ids:
            result[pack_id] = write_documents(ctx, pack_id, out / pack_id, formats, options=options,
                                              browser=browser, progress=progress)
    rows = []
    for pack_id, written in result.items():
        name = ctx.catalog.get(pack_id).spec.name
        rows += [(f"{name} · {w.title}", w.work, {f: f"{pack_id}/{n}" for f, n in w.files.items()}) for w in written]
    (out / "index.html").write_text(_index_html("临数 交付文档汇总", rows), encoding="utf-8")
    return result


def _index_html(title: str, rows: list[tuple[str, str, dict[str, str]]]) -> str:
    body = "".join(
        f"<tr><td>{escape(t)}</td><td>{escape(w)}</td><td>"
        + " ".join(f'<a href="{escape(path)}">{escape(fmt.upper())}</a>' for fmt, path in files.items())
        + "</td></tr>" for t, w, files in rows)
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            '<style>body{font-family:"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:24px}'
            'table{border-collapse:collapse}td,th{border:1px solid #b8c2cc;padding:4px 10px}'
            'th{background:#eef3f9}</style></head>'
            f'<body><h1>{escape(title)}</h1><table><tr><th>文档</th><th>工作内容</th><th>文件</th></tr>{body}'
            "</table></body></html>")


# -- serving generated files (the console) ---------------------------------------------------------
# Who may read a pack's documents: those who build, run, check, operate or approve it. They hold
# the data dictionary and masked quality samples, so plain data readers are not enough.
DOCS_PERMISSIONS = ("pack.run", "quality.read", "ops.manage", "pack.approve")
MEDIA_TYPES = {"html": "text/html; charset=utf-8",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def document_file(folder: Path, name: str) -> tuple[Path, str]:
    """A file the manifest lists (nothing else in the folder is reachable) and its media type."""
    from lingshu.docs.errors import DocumentNotFound

    manifest = read_manifest(folder) or {"documents": []}
    listed = {f for d in manifest["documents"] for f in d["files"].values()}
    path = folder / name
    if name not in listed or not path.is_file():
        raise DocumentNotFound(f"no generated document {name!r} for this pack",
                               hint=f"run `lingshu docs {folder.name}` to generate the documents")
    return path, MEDIA_TYPES.get(path.suffix.lstrip("."), "application/octet-stream")

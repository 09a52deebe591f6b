"""Every document builds for the example pack after a run, as HTML and .docx, with figures equal
to the run records; .docx files carry East Asian fonts, a cover, tables and page numbers."""

from __future__ import annotations

import re
import subprocess
import shutil
from pathlib import Path
from typing import get_args

import pytest
import sqlalchemy as sa

from docs.docs_support import PACK, all_table_rows, field_value, headings, images, open_docx, table_rows
from lingshu.core.context import Context
from lingshu.docs import DOCUMENTS, Options, build_documents, ordered
from lingshu.docs.model import Block
from lingshu.docs.raster import chromium_path
from lingshu.docs.render_docx import block_kinds
from lingshu.docs.writer import read_manifest
from lingshu.state.schema import runs, table_updates

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def doc_path(written: tuple[Path, list], kind: str, fmt: str = "docx") -> Path:
    out, items = written
    item = next(w for w in items if w.kind == kind)
    return out / item.files[fmt]


def test_every_applicable_document_is_written_in_both_formats(written: tuple[Path, list]) -> None:
    out, items = written
    expected = {k.name for k in ordered()} - {"legal_person_indicators", "address_rules"}  # not this pack's kind
    assert {w.kind for w in items} == expected
    for w in items:
        assert set(w.files) == {"html", "docx"}
        for name in w.files.values():
            assert (out / name).stat().st_size > 1000, name
    manifest = read_manifest(out)
    assert manifest["pack"] == PACK and len(manifest["documents"]) == len(items)
    assert all(w.title in (out / "index.html").read_text(encoding="utf-8") for w in items)


def test_docx_has_cover_headings_tables_page_numbers_and_east_asian_fonts(written: tuple[Path, list]) -> None:
    for w in written[1]:
        d = open_docx(written[0] / w.files["docx"])
        assert d.paragraphs[6].text == w.title or w.title in [p.text for p in d.paragraphs[:10]]
        assert headings(d), w.kind
        assert d.tables, w.kind
        assert field_value(d, "场景包") == "示例：临港企业登记统计（example_enterprises）"
        styles = d.styles.element
        for name, font in (("Normal", "宋体"), ("Heading 1", "微软雅黑"), ("Heading 2", "微软雅黑")):
            fonts = d.styles[name].element.rPr.find(f"{W}rFonts")
            assert fonts.get(f"{W}eastAsia") == font and fonts.get(f"{W}eastAsiaTheme") is None, (w.kind, name)
        assert styles is not None
        footer = d.sections[0].footer._element.xml
        assert "PAGE" in footer and "NUMPAGES" in footer
        font_table = next(p for p in d.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob
        assert "WenQuanYi Micro Hei".encode() in font_table


def test_html_is_self_contained(written: tuple[Path, list]) -> None:
    for w in written[1]:
        html = (written[0] / w.files["html"]).read_text(encoding="utf-8")
        assert "<link" not in html and "@import" not in html
        refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html) + re.findall(r"url\(([^)]*)\)", html)
        assert all(r.startswith(("data:", "#")) for r in refs), (w.kind, refs)
        assert w.title in html and "示例：临港企业登记统计" in html


def test_update_log_document_equals_the_update_log(written: tuple[Path, list], docs_ctx: Context) -> None:
    d = open_docx(doc_path(written, "update_log"))
    q = (sa.select(table_updates).join(runs, runs.c.id == table_updates.c.run_id).where(runs.c.pack == PACK))
    with docs_ctx.state.engine.connect() as c:
        stored = [dict(r._mapping) for r in c.execute(q)]
    detail = table_rows(d, "运行", "触发")
    assert len(detail) == len(stored) > 0
    assert field_value(d, "更新记录数") == str(len(stored))
    summary = {r[0]: r for r in table_rows(d, "表", "更新次数")}
    for name in {u["table_name"] for u in stored}:
        mine = [u for u in stored if u["table_name"] == name]
        assert summary[name][1] == str(len(mine))
        assert summary[name][7] == f"{mine[-1]['rows_after']:,}"


def test_quality_document_equals_the_stored_results(written: tuple[Path, list], docs_ctx: Context) -> None:
    from lingshu.govern.quality import results

    d = open_docx(doc_path(written, "quality"))
    rows = all_table_rows(d, "规则", "说明")
    latest = results.history(docs_ctx.state, "dwd.example_enterprise", 1)[-1]
    stored = {r["rule_id"]: r for r in results.results_of(docs_ctx.state, latest["id"])}
    assert {r[0] for r in rows} >= set(stored)
    for row in rows:
        if row[0] in stored:
            assert row[5] == f"{stored[row[0]]['checked']:,}" and row[6] == f"{stored[row[0]]['failed']:,}", row


def test_tests_document_records_a_quality_run(written: tuple[Path, list], docs_ctx: Context) -> None:
    d = open_docx(doc_path(written, "tests"))
    quality_runs = [r for r in docs_ctx.state.list_runs(PACK, 50) if r["kind"] == "quality" and r["trigger"] == "docs"]
    assert quality_runs, "the test file runs the pack's quality rules"
    pack = docs_ctx.catalog.get(PACK)
    n_rules = sum(len(rs) for rs in pack.rules.tables.values())
    assert field_value(d, "用例数") == str(n_rules) == str(len(table_rows(d, "编号", "表")))
    assert field_value(d, "测试运行") == f"#{quality_runs[0]['id']}（质量核验）"


def test_data_dictionary_lists_tables_columns_and_counts(written: tuple[Path, list], docs_ctx: Context) -> None:
    d = open_docx(doc_path(written, "data_dictionary"))
    tables = {r[0]: r for r in table_rows(d, "表名", "中文名")}
    for name in ("ods.example_enterprise", "dwd.example_enterprise", "ads.example_enterprise_by_town"):
        layer, table = name.split(".")
        assert tables[name][5] == f"{docs_ctx.engine.row_count(layer, table):,}"
    columns = all_table_rows(d, "序号", "字段名")
    assert ["1", "uscc", "统一社会信用代码"] == columns[0][:3]
    assert any(r[1] == "enterprises" and r[2] == "在册企业数" for r in columns)


def test_indicator_list_and_processing_logic(written: tuple[Path, list]) -> None:
    d = open_docx(doc_path(written, "indicator_list"))
    ids = {r[0]: r for r in table_rows(d, "指标编号", "指标名称")}
    assert ids["enterprise_count"][1] == "在册企业数" and ids["capital_average"][3] == "capital_total / enterprise_count"
    d = open_docx(doc_path(written, "processing_logic"))
    lineage = table_rows(d, "输出字段", "中文名")
    town = next(r for r in lineage if r[0] == "town")
    assert town[2] == "ods.example_enterprise.town" and town[3] == "计算转换"
    assert any(r[0] == "capital_wan" and r[3] == "直接映射" for r in lineage)
    text = "\n".join(p.text for p in d.paragraphs)
    assert "QUALIFY" in text.upper() and "窗口筛选" in text


def test_api_document_comes_from_the_openapi_schema(written: tuple[Path, list]) -> None:
    d = open_docx(doc_path(written, "api_reference"))
    heads = headings(d)
    assert "GET /api/v1/datasets/{dataset_id}/rows" in heads and "数据集 ads.example_enterprise_by_town 各镇企业统计" in heads
    assert any(r[0] == "enterprises" for r in table_rows(d, "字段", "中文名"))


@pytest.mark.skipif(chromium_path() is None, reason="no Chromium: documents say the pictures are missing")
def test_pictures_lineage_layout_and_screenshot(written: tuple[Path, list], docs_ctx: Context) -> None:
    assert images(open_docx(doc_path(written, "model_design"))) == 1
    assert images(open_docx(doc_path(written, "dashboard_design"))) == 2  # layout + screenshot
    html = doc_path(written, "dashboard_design", "html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html
    # The screenshot account's access did not outlive the run.
    assert not [g for g in docs_ctx.security.grants.list() if g["subject"] == "user:docs_renderer"]


def test_a_pack_that_never_ran_gets_documents_that_say_so(tmp_path: Path) -> None:
    from docs.docs_support import example_workspace

    ctx = example_workspace(tmp_path, run=False)
    try:
        docs = build_documents(ctx, PACK, options=Options(images=False, screenshots=False))
        assert len(docs) == len([k for k in ordered() if k.name not in ("legal_person_indicators", "address_rules")])
        from lingshu.docs.render_docx import render_docx
        from lingshu.docs.render_html import render_html

        for doc in docs:
            render_docx(doc)
            html = render_html(doc)
            assert "未运行" in html or "尚无" in html or "尚未" in html, doc.kind
        log = next(d for d in docs if d.kind == "update_log")
        assert "尚无运行记录" in render_html(log)
    finally:
        ctx.close()


def test_every_block_kind_has_a_docx_renderer() -> None:
    assert set(block_kinds()) == set(get_args(Block))


def test_unknown_kind_and_format_say_what_exists(docs_ctx: Context, tmp_path: Path) -> None:
    from lingshu.core.errors import LingshuError
    from lingshu.docs import write_documents

    with pytest.raises(LingshuError, match="unknown document kind 'nope'") as exc:
        build_documents(docs_ctx, PACK, ["nope"])
    assert "data_dictionary" in (exc.value.hint or "")
    with pytest.raises(LingshuError, match="unknown document format 'pdf'"):
        write_documents(docs_ctx, PACK, tmp_path, ["pdf"])
    assert "requirements" in DOCUMENTS


def test_docx_converts_to_pdf_with_chinese_text(written: tuple[Path, list], tmp_path: Path) -> None:
    # scripts/system-deps.sh (run by make) installs LibreOffice and poppler-utils: no skipping.
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    assert exe and shutil.which("pdftotext"), "run `make setup`: LibreOffice and poppler-utils are missing"
    subprocess.run([exe, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(doc_path(written, "requirements"))], check=True, timeout=180, capture_output=True)
    pdf = next(tmp_path.glob("*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "需求确认单" in text and "示例：临港企业登记统计" in text  # Chinese survives, as text not boxes

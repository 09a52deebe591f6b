"""The .docx renderer (python-docx): cover page, headings, tables, figures, page numbers.

Chinese text needs its own font slot: Word picks the font of a CJK character from ``w:eastAsia``
on ``w:rFonts``, and a theme font attribute (``w:eastAsiaTheme``) overrides an explicit name, so
every style we use gets explicit names and loses the theme attributes. Body text is 宋体 and
headings 微软雅黑 (what the bureau's templates use); the font table names WenQuanYi Micro Hei as
their alternative, the CJK font installed on the platform's Linux hosts, so LibreOffice and WPS
there render the same glyphs.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from lingshu.docs.model import Block, Bullets, Code, Document, Fields, Figure, Paragraph, Section, Signatures, Table, cell_text

BODY_FONT = ("Times New Roman", "宋体")  # (Latin, East Asian)
HEAD_FONT = ("Arial", "微软雅黑")
MONO_FONT = ("Consolas", "宋体")
FALLBACK = "WenQuanYi Micro Hei"
HEADER_FILL = "DCE6F2"


def set_fonts(rpr_owner: Any, latin: str, east_asian: str) -> None:
    """Explicit Latin and East Asian font names on a style's or run's rPr (theme fonts removed)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _styles(docx: Any) -> None:
    styles = docx.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    set_fonts(normal.element, *BODY_FONT)
    for level, size in ((1, 16), (2, 14), (3, 12), (4, 11), (5, 10.5)):
        style = styles[f"Heading {level}"]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x2D, 0x3D)
        style.font.bold = True
        set_fonts(style.element, *HEAD_FONT)
    for name in ("Title", "Caption", "List Bullet"):
        if name in [s.name for s in styles]:
            set_fonts(styles[name].element, *(HEAD_FONT if name == "Title" else BODY_FONT))


def _font_table(docx: Any) -> None:
    """Name the installed CJK font as the alternative of 宋体 and 微软雅黑 in word/fontTable.xml."""
    part = next((p for p in docx.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    for name in (BODY_FONT[1], HEAD_FONT[1]):
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), FALLBACK)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "auto")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin/instr/end runs: Word and LibreOffice fill it in."""
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        run = paragraph.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)


def _page_numbers(docx: Any, title: str) -> None:
    section = docx.sections[0]
    section.different_first_page_header_footer = True  # no number on the cover
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE")
    footer.add_run(" 页 / 共 ")
    _field(footer, "NUMPAGES")
    footer.add_run(" 页")
    header = section.header.paragraphs[0]
    header.text = title
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _shade(cell: Any, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _cell(cell: Any, text: str, *, bold: bool = False, size: float = 9) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold


def _grid(docx: Any, header: list[str] | None, rows: list[list[str]], widths: list[float] | None = None) -> Any:
    ncols = len(header) if header else len(rows[0])
    table = docx.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if header:
        cells = table.add_row().cells
        for c, text in zip(cells, header, strict=True):
            _cell(c, text, bold=True)
            _shade(c, HEADER_FILL)
        _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for c, text in zip(cells, row, strict=False):
            _cell(c, text)
    if widths:
        for row in table.rows:
            for c, w in zip(row.cells, widths, strict=False):
                c.width = Cm(w)
    return table


def _caption(docx: Any, text: str) -> None:
    p = docx.add_paragraph()
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(10)


def _table(docx: Any, b: Table) -> None:
    if b.caption:
        _caption(docx, b.caption)
    rows = b.text_rows() or [[b.empty] + [""] * (len(b.columns) - 1)]
    _grid(docx, b.columns, rows)
    docx.add_paragraph()


def _fields(docx: Any, b: Fields) -> None:
    table = _grid(docx, None, [[k, cell_text(v)] for k, v in b.pairs], widths=[4.0, 12.0])
    for row in table.rows:
        _shade(row.cells[0], HEADER_FILL)
    docx.add_paragraph()


def _paragraph(docx: Any, b: Paragraph) -> None:
    p = docx.add_paragraph()
    run = p.add_run(b.text)
    if b.note:
        run.italic = True
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x6B, 0x77, 0x85)


def _bullets(docx: Any, b: Bullets) -> None:
    for item in b.items:
        docx.add_paragraph(item, style="List Bullet")


def _figure(docx: Any, b: Figure) -> None:
    if b.png:
        docx.add_picture(io.BytesIO(b.png), width=Cm(b.width_cm))
        docx.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        _paragraph(docx, Paragraph(b.missing or "图片未生成", note=True))
    p = docx.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(b.caption)
    run.font.size = Pt(9)


def _code(docx: Any, b: Code) -> None:
    for line in b.text.splitlines() or [""]:
        p = docx.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.left_indent = Cm(0.5)
        run = p.add_run(line)
        run.font.size = Pt(8.5)
        set_fonts(run._r, *MONO_FONT)
    docx.add_paragraph()


def _signatures(docx: Any, b: Signatures) -> None:
    table = _grid(docx, ["单位/角色", "签字", "日期"], [[p, "", "　　年　　月　　日"] for p in b.parties],
                  widths=[5.0, 6.0, 5.0])
    for row in table.rows[1:]:
        row.height = Cm(1.4)
    docx.add_paragraph()


BLOCKS = {Paragraph: _paragraph, Bullets: _bullets, Table: _table, Fields: _fields, Figure: _figure, Code: _code,
          Signatures: _signatures}


def _section(docx: Any, sec: Section, depth: int) -> None:
    docx.add_heading(sec.title, level=min(depth, 5))
    for b in sec.blocks:
        BLOCKS[type(b)](docx, b)
    for child in sec.sections:
        _section(docx, child, depth + 1)


def _cover(docx: Any, doc: Document) -> None:
    for _ in range(6):
        docx.add_paragraph()
    title = docx.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(doc.title)
    run.bold = True
    run.font.size = Pt(26)
    set_fonts(run._r, *HEAD_FONT)
    sub = docx.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = sub.add_run(doc.pack_name)
    run.font.size = Pt(16)
    set_fonts(run._r, *HEAD_FONT)
    for _ in range(3):
        docx.add_paragraph()
    _grid(docx, None, [[k, cell_text(v)] for k, v in doc.cover], widths=[4.0, 10.0])
    docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def render_docx(doc: Document) -> bytes:
    docx = new_docx()
    section = docx.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin = section.bottom_margin = Cm(2.5)
    _styles(docx)
    _font_table(docx)
    docx.core_properties.title = doc.title
    docx.core_properties.subject = doc.pack_name
    docx.core_properties.author = "临数 Lingshu"
    docx.core_properties.language = "zh-CN"
    _page_numbers(docx, f"{doc.pack_name} · {doc.title}")
    _cover(docx, doc)
    for sec in doc.sections:
        _section(docx, sec, 1)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def block_kinds() -> list[type[Block]]:
    """Every block type the renderer draws (a test pins it to the model's Block union)."""
    return list(BLOCKS)

"""The Word toolkit shared by every note: page set-up, fonts, headings, paragraphs and tables.

Each note (the committee note, the readiness note, the meeting minutes) composes its sections
from these few functions, so they share one look: Arial, a shaded header row repeated on each
page, French typography (no-break spaces from ``exports.text``), the demonstration mark in the
house orange. A note never reaches into another note's module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from charts.theme import DEMO_HEX, HEADER_FILL_HEX
from exports.text import typography

FONT = "Arial"
HEADER_FILL = HEADER_FILL_HEX
DEMO_COLOUR = RGBColor.from_string(DEMO_HEX)
BLACK = RGBColor(0, 0, 0)
AUTHOR = "Simulateur d'arbitrage NPNRU"


def a4_portrait(document: DocxDocument) -> None:
    """A4 portrait, 2 cm side margins: the page every note is printed on."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)


def style_fonts(document: DocxDocument, sizes: Sequence[tuple[str, float | None]]) -> None:
    """The note's font on each named style, with its size (``None`` keeps it); headings in black."""
    for name, size in sizes:
        style = document.styles[name]
        set_font(style)
        if size is not None:
            style.font.size = Pt(size)
        if name != "Normal":
            style.font.color.rgb = BLACK


def core_properties(document: DocxDocument, title: str, timestamp: datetime, subject: str | None = None) -> None:
    """Title, author, French language and a fixed date, so the same inputs give the same bytes."""
    core = document.core_properties
    core.title = title
    if subject is not None:
        core.subject = subject
    core.author = core.last_modified_by = AUTHOR
    core.language = "fr-FR"
    core.revision = 1
    core.created = core.modified = timestamp


def set_font(style) -> None:  # type: ignore[no-untyped-def]
    """The note's font for every script, theme fonts removed (they would win over it)."""
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def page_number(paragraph: Paragraph) -> None:
    """A PAGE field at the end of ``paragraph`` (Word fills it in)."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def text(
    document: DocxDocument, content: str, *, bold: bool = False, italic: bool = False, style: str | None = None
) -> Paragraph:
    """One paragraph in French typography."""
    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(typography(content))
    run.bold, run.italic = bold, italic
    return paragraph


def heading(document: DocxDocument, content: str, level: int = 1) -> None:
    document.add_heading(typography(content), level=level)


def demo_mark(document: DocxDocument, mark: str) -> None:
    """The demonstration-data warning, bold, in the house orange."""
    run = document.add_paragraph().add_run(typography(mark + "."))
    run.bold = True
    run.font.color.rgb = DEMO_COLOUR


def table(
    document: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    numeric: Sequence[int] = (),
    bold_last: bool = False,
    size: float = 8.5,
) -> Table:
    """A bordered table with a shaded header row repeated on each page; ``numeric`` columns right-aligned."""
    if document.paragraphs:  # the heading or sentence introducing the table stays with it
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for cell, label in zip(grid.rows[0].cells, header, strict=True):
        _cell(cell, label, bold=True, size=size, right=False)
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), HEADER_FILL)
        cell._tc.get_or_add_tcPr().append(shading)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for i, values in enumerate(rows):
        cells = grid.add_row().cells
        last = bold_last and i == len(rows) - 1
        for j, (cell, value) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, value, bold=last, size=size, right=j in numeric)
    # Word reads the cells' widths, LibreOffice the grid's: set both, with a fixed layout.
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    document.add_paragraph()
    return grid


def _cell(cell, content: str, *, bold: bool, size: float, right: bool) -> None:  # type: ignore[no-untyped-def]
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(typography(content))
    run.bold = bold
    run.font.size = Pt(size)

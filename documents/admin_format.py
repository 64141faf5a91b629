"""The state format for administrative documents (Nghị định 30/2020/NĐ-CP) in Word, shared by every
document kind: A4 page and margins, the masthead (issuing body beside the national motto, number and
symbol, place and date), the signature block with the recipients, and the small building blocks.

Every kind lays out its pages with these, so that they look alike: the page setup, the paragraph,
table and heading helpers, the names and dates as documents write them, and the blocks an act of an
authority needs (masthead, signature, dotted lines)."""

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from areas.models import Level

from . import docx_fill

FONT = "Times New Roman"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
RULE_SHORT = "―――――"
RULE_LONG = "―――――――――――――"
BLANK_DATE = "ngày …… tháng …… năm ……"


def in_text(name: str) -> str:
    """A unit's name inside a sentence: “tỉnh Bắc Kạn”, not “Tỉnh Bắc Kạn”."""
    return name[:1].lower() + name[1:]


def place_of(area) -> str:
    if area is None:
        return "Hà Nội"
    province = area
    while province.parent_id is not None:
        province = province.parent
    return province.short_name or province.name


def vietnamese_date(day) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def setup_page(word) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.different_first_page_header_footer = True  # the page number from the second page on
    style = word.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(6)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(header, "PAGE")


def _field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def line(cell_or_doc, text, *, bold=False, italic=False, size=None, align=WD_ALIGN_PARAGRAPH.CENTER, first=False):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return paragraph


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def heading(word, text: str) -> None:
    paragraph = word.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(text).bold = True


def body(word, sentences: list[str]) -> None:
    paragraph = word.add_paragraph(" ".join(sentences))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1)


def table(word, header: list[str], rows: list[list[str]]) -> None:
    grid = word.add_table(rows=1, cols=len(header))
    docx_fill.grid(word, grid)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(11)
    for values in rows:
        cells = grid.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            run = cell.paragraphs[0].add_run(text)
            run.font.size = Pt(11)
            if index:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph()


def place_of_body(area) -> str:
    """The place written before the date: a commune's own name for a commune's act, otherwise the
    province's (Nghị định 30, Phụ lục I)."""
    if area is not None and area.level == Level.COMMUNE:
        return area.short_name or area.name
    return place_of(area)


def masthead(word, *, above: str, body_name: str, number: str, place: str, date_text: str) -> None:
    """The two columns under the top margin: the body (under the body above it, if any) and the
    number and symbol on the left; the national motto and the place and date on the right."""
    grid = word.add_table(rows=1, cols=2)
    no_borders(grid)
    left, right = grid.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10)
    if above:
        line(left, above, size=13, first=True)
        line(left, body_name, bold=True, size=13)
    else:
        line(left, body_name, bold=True, size=13, first=True)
    line(left, RULE_SHORT, size=10)
    line(left, f"Số: {number}", size=13)
    line(right, MOTTO, bold=True, size=13, first=True)
    line(right, MOTTO_LINE, bold=True, size=14)
    line(right, RULE_LONG, size=10)
    line(right, f"{place}, {date_text}", italic=True, size=14)
    word.add_paragraph()


def title_block(word, name: str, subject_lines: list[str]) -> None:
    """The document's name in capitals, its subject under it, and a short rule."""
    line(word, name, bold=True, size=14)
    for text in subject_lines:
        line(word, text, bold=True, size=14)
    line(word, RULE_SHORT, size=10)


def signature(word, *, recipients: list[str], authority: list[str], signer: str) -> None:
    """Recipients on the left; the signing capacity, the signature's place and the signer's name on
    the right. No recipients: the right column only (minutes are signed, not sent)."""
    word.add_paragraph()
    grid = word.add_table(rows=1, cols=2)
    no_borders(grid)
    left, right = grid.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    if recipients:
        heading_line = line(
            left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, first=True
        )
        heading_line.paragraph_format.space_after = Pt(0)
        for text in recipients:
            line(left, text, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for index, text in enumerate(authority):
        line(right, text, bold=True, size=14, first=index == 0)
    line(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12)
    for _blank in range(3):
        line(right, "")
    line(right, signer, bold=True, size=14)


def signatures_side_by_side(word, columns: list[tuple[str, str]]) -> None:
    """Minutes: several people sign, each a capacity above a space for the signature and the name."""
    word.add_paragraph()
    grid = word.add_table(rows=1, cols=len(columns))
    no_borders(grid)
    for cell, (capacity, name) in zip(grid.rows[0].cells, columns, strict=True):
        line(cell, capacity, bold=True, size=13, first=True)
        line(cell, "(Ký, ghi rõ họ tên)", italic=True, size=12)
        for _blank in range(3):
            line(cell, "")
        line(cell, name or "……………………", bold=bool(name), size=13)


def repeat_header(grid) -> None:
    """The table's first row printed again at the top of every page the table runs onto."""
    mark = OxmlElement("w:tblHeader")
    grid.rows[0]._tr.get_or_add_trPr().append(mark)


def page_break(word) -> None:
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def paragraph(word, text: str, *, italic=False, bold=False, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY):
    """One paragraph of running text (justified, first line indented)."""
    made = word.add_paragraph()
    made.alignment = align
    if indent:
        made.paragraph_format.first_line_indent = Cm(1)
    run = made.add_run(text)
    run.italic, run.bold = italic, bold
    return made

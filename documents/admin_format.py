"""The state format for administrative documents (Nghị định 30/2020/NĐ-CP) in Word, shared by every
document kind: A4 page and margins, the masthead (issuing body beside the national motto, number and
symbol, place and date), the signature block with the recipients, and the small building blocks.

The page setup and the paragraph, table and heading helpers are the review report's own (review.py),
used here under public names so that every kind lays out its pages alike; the blocks below
(masthead, signature, dotted lines) are what an act of an authority needs beyond the review's."""

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt

from areas.models import Level

from .review import FONT, MOTTO, MOTTO_LINE, in_text, place_of, vietnamese_date
from .review import _body as body
from .review import _heading as heading
from .review import _line as line
from .review import _no_borders as no_borders
from .review import _setup as setup_page
from .review import _table as table

__all__ = [
    "FONT",
    "MOTTO",
    "MOTTO_LINE",
    "body",
    "heading",
    "in_text",
    "line",
    "masthead",
    "no_borders",
    "page_break",
    "repeat_header",
    "place_of",
    "place_of_body",
    "setup_page",
    "signature",
    "table",
    "vietnamese_date",
]

RULE_SHORT = "―――――"
RULE_LONG = "―――――――――――――"
BLANK_DATE = "ngày …… tháng …… năm ……"


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

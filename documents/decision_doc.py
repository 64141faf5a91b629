"""The recognition decision with its annex: in Word, to edit, sign and stamp (a draft is marked “DỰ
THẢO”), and in PDF, the issued text of a published decision. Both are written from one reading
(decision_text.read_decision), so they say the same."""

from django.utils import translation
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from . import admin_format as fmt
from .decision_text import DecisionText, read_decision
from .pdf import template_to_pdf


def _marks(text: DecisionText) -> list[str]:
    marks = []
    if text.draft:
        marks.append("DỰ THẢO")
    if text.revoked:
        marks.append("QUYẾT ĐỊNH ĐÃ BỊ THU HỒI")
    return marks


def make_docx(document, path: str, progress) -> None:
    with translation.override("vi"):
        text = read_decision(document)
        progress(0.4)
        word = WordDocument()
        fmt.setup_page(word)
        for mark in _marks(text):
            fmt.line(word, mark, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.RIGHT)
        fmt.masthead(
            word, above="", body_name=text.body_name, number=text.number, place=text.place, date_text=text.date_text
        )
        fmt.title_block(word, "QUYẾT ĐỊNH", [text.subject])
        word.add_paragraph()
        fmt.line(word, text.authority, bold=True, size=14)
        word.add_paragraph()
        for ground in text.grounds:
            fmt.paragraph(word, ground, italic=True)
        word.add_paragraph()
        fmt.line(word, "QUYẾT ĐỊNH:", bold=True, size=14)
        for label, article in text.articles:
            made = fmt.paragraph(word, "")
            made.add_run(label + " ").bold = True
            made.add_run(article)
        fmt.signature(word, recipients=text.recipients, authority=text.signing, signer=text.signer)
        progress(0.6)
        _annex(word, text)
        word.core_properties.title = f"Quyết định số {text.number}"
        word.core_properties.author = "khuyenhoc"
        word.save(path)


def _annex(word, text: DecisionText) -> None:
    fmt.page_break(word)
    fmt.line(word, text.annex_title, bold=True, size=14)
    fmt.line(word, text.annex_subtitle, italic=True, size=13)
    if text.partial_note:
        fmt.line(word, text.partial_note, italic=True, size=12)
    word.add_paragraph()
    grid = word.add_table(rows=1, cols=len(text.annex_header))
    grid.style = "Table Grid"
    fmt.repeat_header(grid)
    for cell, label in zip(grid.rows[0].cells, text.annex_header, strict=True):
        run = cell.paragraphs[0].add_run(label)
        run.bold, run.font.size = True, Pt(12)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for group in text.groups:
        merged = grid.add_row().cells
        whole = merged[0].merge(merged[-1])
        run = whole.paragraphs[0].add_run(f"{group.name} ({len(group.rows)})")
        run.bold, run.font.size = True, Pt(12)
        for row in group.rows:
            cells = grid.add_row().cells
            for index, (cell, value) in enumerate(zip(cells, row.cells(), strict=True)):
                run = cell.paragraphs[0].add_run(value)
                run.font.size = Pt(12)
                if index in (0, 3):
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in grid.rows:
        for cell, width in zip(row.cells, (Cm(1.2), Cm(6.8), Cm(3.8), Cm(2), Cm(2.7)), strict=False):
            cell.width = width
    fmt.line(word, f"Tổng số: {text.listed_label}", bold=True, size=13, align=WD_ALIGN_PARAGRAPH.RIGHT)


def make_pdf(document, path: str, progress) -> None:
    with translation.override("vi"):
        text = read_decision(document)
        progress(0.4)
        template_to_pdf("documents/pdf/decision.html", {"text": text, "marks": _marks(text)}, path)

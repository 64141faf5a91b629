"""The recognition decision with its annex: in Word, to edit, sign and stamp (a draft is marked “DỰ
THẢO”), and in PDF, the issued text of a published decision. Both are written from one reading
(decision_text.read_decision), so they say the same.

The Word file is a template with fields (fields.DECISION_FIELDS): the shipped one built below, or the
province's own (template_services.py), its annex a table row repeated per recognised subject. The PDF
stays laid out from HTML (templates/documents/pdf/decision.html)."""

import functools
import io

from django.utils import translation
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from . import admin_format as fmt
from . import template_services
from .decision_text import ANNEX_HEADER, DecisionText, read_decision
from .pdf import template_to_pdf


def _marks(text: DecisionText) -> list[str]:
    marks = []
    if text.draft:
        marks.append("DỰ THẢO")
    if text.revoked:
        marks.append("QUYẾT ĐỊNH ĐÃ BỊ THU HỒI")
    return marks


def template_values(text: DecisionText) -> dict:
    """The values of the template's fields (fields.DECISION_FIELDS), the annex's rows a list of items."""
    annex = []
    for group in text.groups:
        for index, row in enumerate(group.rows):
            annex.append(
                {
                    "annex_group": f"{group.name} ({len(group.rows)})" if index == 0 else "",
                    "annex_number": str(row.number),
                    "annex_name": row.name,
                    "annex_code": row.code,
                    "annex_total": row.total,
                    "annex_result": row.result,
                }
            )
    articles = dict(text.articles)
    return {
        "marks": " – ".join(_marks(text)),
        "issuing_body": text.body_name,
        "number": text.number,
        "place": text.place,
        "date": text.date_text,
        "date_short": text.date_short,
        "subject": text.subject,
        "authority": text.authority,
        "grounds": [{"ground": ground} for ground in text.grounds],
        "article_1": articles.get("Điều 1.", ""),
        "article_2": articles.get("Điều 2.", ""),
        "article_3": articles.get("Điều 3.", ""),
        "recipients": [{"recipient": recipient} for recipient in text.recipients],
        "signing": [{"signing_line": capacity} for capacity in text.signing],
        "signer": text.signer,
        "annex_title": text.annex_title,
        "annex_subtitle": text.annex_subtitle,
        "partial_note": text.partial_note,
        "annex_name_column": text.annex_header[1],
        "annex_count": text.listed_label,
        "annex": annex,
    }


def sample_values(area, years, today) -> dict:
    """Illustrative values of a household decision of the area, for the preview of a template."""
    body = f"ỦY BAN NHÂN DÂN {area.name.upper()}"
    return {
        "marks": "DỰ THẢO",
        "issuing_body": body,
        "number": "12/QĐ-UBND",
        "place": fmt.place_of_body(area),
        "date": fmt.vietnamese_date(today),
        "date_short": today.strftime("%d/%m/%Y"),
        "subject": f"Về việc công nhận danh hiệu “Gia đình học tập” năm {years[-1]}",
        "authority": f"CHỦ TỊCH {body}",
        "grounds": [
            {"ground": "Căn cứ Luật Tổ chức chính quyền địa phương;"},
            {"ground": "Xét đề nghị công nhận danh hiệu “Gia đình học tập” (minh họa)."},
        ],
        "article_1": f"Công nhận danh hiệu “Gia đình học tập” năm {years[-1]} cho 3 hộ gia đình "
        "(có danh sách kèm theo).",
        "article_2": "Quyết định này có hiệu lực kể từ ngày ký.",
        "article_3": "Văn phòng Ủy ban nhân dân và các hộ gia đình có tên tại Điều 1 chịu trách nhiệm thi hành.",
        "recipients": [{"recipient": "- Như Điều 3;"}, {"recipient": "- Lưu: VT."}],
        "signing": [{"signing_line": "TM. ỦY BAN NHÂN DÂN"}, {"signing_line": "CHỦ TỊCH"}],
        "signer": "Nguyễn Văn An",
        "annex_title": f"DANH SÁCH HỘ GIA ĐÌNH ĐẠT DANH HIỆU “GIA ĐÌNH HỌC TẬP” NĂM {years[-1]}",
        "annex_subtitle": "(Kèm theo Quyết định số 12/QĐ-UBND — minh họa)",
        "partial_note": "",
        "annex_name_column": "Họ và tên chủ hộ",
        "annex_count": "3",
        "annex": [
            {"annex_group": "Thôn Minh Họa (2)", "annex_number": "1", "annex_name": "Nguyễn Văn Bình"},
            {"annex_number": "2", "annex_name": "Trần Thị Cúc"},
            {"annex_group": "Thôn Ví Dụ (1)", "annex_number": "3", "annex_name": "Lê Văn Dũng"},
        ],
    }


def _tag(name: str) -> str:
    return "{{ " + name + " }}"


@functools.cache
def shipped_template() -> bytes:
    """The shipped template of the decision: the state format, every varying word a field, the annex a
    table whose group and subject rows are repeated."""
    word = WordDocument()
    fmt.setup_page(word)
    fmt.line(word, "{{ marks }}", bold=True, size=13, align=WD_ALIGN_PARAGRAPH.RIGHT)
    fmt.masthead(
        word,
        above="",
        body_name="{{ issuing_body }}",
        number="{{ number }}",
        place="{{ place }}",
        date_text="{{ date }}",
    )
    fmt.title_block(word, "QUYẾT ĐỊNH", ["{{ subject }}"])
    word.add_paragraph()
    fmt.line(word, "{{ authority }}", bold=True, size=14)
    word.add_paragraph()
    fmt.paragraph(word, "{{ ground }}", italic=True)
    word.add_paragraph()
    fmt.line(word, "QUYẾT ĐỊNH:", bold=True, size=14)
    for number in (1, 2, 3):
        made = fmt.paragraph(word, "")
        made.add_run(f"Điều {number}. ").bold = True
        made.add_run(_tag(f"article_{number}"))
    fmt.signature(word, recipients=["{{ recipient }}"], authority=["{{ signing_line }}"], signer="{{ signer }}")
    _annex(word)
    word.core_properties.author = "khuyenhoc"
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def make_docx(document, path: str, progress) -> None:
    with translation.override("vi"):
        text = read_decision(document)
        progress(0.4)
        word = template_services.fill_for(document, template_values(text), {})
        progress(0.8)
        word.core_properties.title = f"Quyết định số {text.number}"
        word.core_properties.author = "khuyenhoc"
        word.save(path)


def _annex(word) -> None:
    fmt.page_break(word)
    fmt.line(word, "{{ annex_title }}", bold=True, size=14)
    fmt.line(word, "{{ annex_subtitle }}", italic=True, size=13)
    fmt.line(word, "{{ partial_note }}", italic=True, size=12)
    word.add_paragraph()
    header = list(ANNEX_HEADER)
    header[1] = "{{ annex_name_column }}"
    grid = word.add_table(rows=3, cols=len(header))
    grid.style = "Table Grid"
    fmt.repeat_header(grid)
    for cell, label in zip(grid.rows[0].cells, header, strict=True):
        run = cell.paragraphs[0].add_run(label)
        run.bold, run.font.size = True, Pt(12)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    merged = grid.rows[1].cells
    whole = merged[0].merge(merged[-1])
    run = whole.paragraphs[0].add_run("{{ annex_group }}")
    run.bold, run.font.size = True, Pt(12)
    fields = ["annex_number", "annex_name", "annex_code", "annex_total", "annex_result"]
    for index, (cell, name) in enumerate(zip(grid.rows[2].cells, fields, strict=True)):
        cell.paragraphs[0].add_run(_tag(name)).font.size = Pt(12)
        if index in (0, 3):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in grid.rows:
        for cell, width in zip(row.cells, (Cm(1.2), Cm(6.8), Cm(3.8), Cm(2), Cm(2.7)), strict=False):
            cell.width = width
    fmt.line(word, "Tổng số: {{ annex_count }}", bold=True, size=13, align=WD_ALIGN_PARAGRAPH.RIGHT)


def make_pdf(document, path: str, progress) -> None:
    with translation.override("vi"):
        text = read_decision(document)
        progress(0.4)
        template_to_pdf("documents/pdf/decision.html", {"text": text, "marks": _marks(text)}, path)

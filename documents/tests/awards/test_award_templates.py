"""The award decision from Bắc Kạn's own Word template: once in use, Chợ Đồn's decision is that template
with the decision's number and one row of the list per recipient, and the document names the version;
out of use, the shipped template writes the same list. A template without the list's name field is
refused at upload."""

import io

import docx
import pytest
from django.core.exceptions import ValidationError

from conftest import unit
from documents import award_docs, template_services
from documents.models import DocumentStatus

pytestmark = pytest.mark.django_db

NAMES = ["Hội Khuyến học xã Bản Thi", "Hoàng Văn Thắng", "Nông Thị Mỹ Dung"]


def _own_template() -> bytes:
    word = docx.Document()
    word.add_paragraph("HỘI KHUYẾN HỌC TỈNH BẮC KẠN – MẪU KHEN THƯỞNG")
    word.add_paragraph("Quyết định số {{ number }} về việc tặng {{ award }}")
    word.add_paragraph("Điều 1. {{ article_1 }}")
    table = word.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["STT", "Được khen", "Nơi"], strict=True):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ["{{ awardee_number }}", "{{ awardee_name }}", "{{ awardee_place }}"], strict=True
    ):
        cell.text = text
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _made(personas, decision, capture):
    with capture(execute=True):
        document = award_docs.document_request_for_award(
            actor=personas["district_officer"], kind="award_decision", decision=decision
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.message
    return document, docx.Document(io.BytesIO(document.file.read()))


def test_a_province_template_makes_the_award_decision_one_row_per_recipient(
    published, personas, django_capture_on_commit_callbacks
):
    officer = personas["old_province_officer"]
    template = template_services.template_upload(
        actor=officer, province=unit("pre2025", "06"), kind="award_decision", name="khen.docx", data=_own_template()
    )
    template_services.template_activate(actor=officer, template=template)

    document, word = _made(personas, published, django_capture_on_commit_callbacks)
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "HỘI KHUYẾN HỌC TỈNH BẮC KẠN – MẪU KHEN THƯỞNG"
    assert texts[1] == "Quyết định số 15/QĐ-HKH về việc tặng Giấy khen của Hội Khuyến học cấp huyện"
    assert "cho 1 tập thể, 1 gia đình và 1 cá nhân" in texts[2]
    rows = [[cell.text for cell in row.cells] for row in word.tables[0].rows]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    for name in NAMES:  # a family is listed as “Gia đình ông (bà) …”
        assert sum(name in row[1] for row in rows[1:]) == 1, name
    assert document.template_version == template.key

    template_services.template_deactivate(actor=officer, template=template)
    document, word = _made(personas, published, django_capture_on_commit_callbacks)
    listed = [row.cells[1].text for row in word.tables[-1].rows[1:]]
    assert len(listed) == 3 and all(any(name in text for text in listed) for name in NAMES)
    assert document.template_version == "shipped:award_decision:1"


def test_an_award_template_without_the_list_is_refused(personas):
    word = docx.Document()
    word.add_paragraph("Quyết định số {{ number }}")
    word.add_paragraph("Điều 1. {{ article_1 }}")
    out = io.BytesIO()
    word.save(out)
    with pytest.raises(ValidationError) as caught:
        template_services.template_upload(
            actor=personas["old_province_officer"],
            province=unit("pre2025", "06"),
            kind="award_decision",
            name="khen.docx",
            data=out.getvalue(),
        )
    assert "Mẫu thiếu trường bắt buộc {{ awardee_name }}." in caught.value.messages

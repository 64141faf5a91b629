"""The recognition decision from a province's own Word template: checked at upload (its listed fields
only, the annex's subject fields in a table row, the required ones present), then, once in use, the
ward's decision in Word is that template with the decision's number, articles and one annex row per
recognised household — their names and totals — and the document names the version that made it; with
no template in use, the shipped one makes the same annex."""

import io

import docx
import pytest
from django.core.exceptions import ValidationError

from conftest import unit
from documents import template_services
from documents.models import Document

from .helpers import docx_lines, make, word_file

pytestmark = pytest.mark.django_db

# Each recognised household's name and total, in the annex's order (by village, then as listed).
ANNEX = [("Hoàng Văn An", "100"), ("Lý Thị Bình", "79"), ("Nông Thị Dung", "98"), ("Triệu Văn Ém", "91")]


OWN = word_file(
    "UBND PHƯỜNG BẮC KẠN – MẪU RIÊNG",
    "Số: {{ number }} – {{ place }}, {{ date }}",
    "{{ ground }}",
    "Điều 1. {{ article_1 }}",
    "Người ký: {{ signer }}",
    rows=[
        ["TT", "{{ annex_name_column }}", "Điểm"],
        ["{{ annex_group }}", "", ""],
        ["{{ annex_number }}", "{{ annex_name }}", "{{ annex_total }}"],
    ],
)


def _upload(people, data, name="mau-quyet-dinh.docx"):
    return template_services.template_upload(
        actor=people["province_officer"], province=unit("2025", "19"), kind="decision", name=name, data=data
    )


def _annex_rows(path) -> list[tuple[str, str]]:
    table = docx.Document(path).tables[-1]
    return [(row.cells[1].text, row.cells[-1].text) for row in table.rows[1:] if row.cells[0].text.strip().isdigit()]


def test_the_shipped_template_makes_the_annex_one_row_per_household(households_decision, tmp_path):
    decision, _evaluations = households_decision
    path = make("decision", decision, tmp_path, "shipped.docx")
    lines = docx_lines(path)
    assert "QUYẾT ĐỊNH" in lines and "DỰ THẢO" in lines
    assert any(
        line.startswith("Điều 1. Công nhận danh hiệu “Gia đình học tập”") and "4 hộ gia đình" in line for line in lines
    )
    assert "Luật Tổ chức chính quyền địa phương năm 2025;" in lines
    assert [(name, points) for name, points in _annex_rows(path)] == [(n, "Đạt") for n, _t in ANNEX]
    table = docx.Document(path).tables[-1]
    assert [row.cells[3].text for row in table.rows[1:] if row.cells[0].text.isdigit()] == [t for _n, t in ANNEX]
    groups = [row.cells[0].text for row in table.rows[1:] if not row.cells[0].text.isdigit()]
    assert len(groups) == 2 and all(group.endswith("(2)") for group in groups)
    assert "Tổng số: 4" in lines and not any("{{" in line for line in lines)
    assert Document.objects.latest("pk").template_version == "shipped:decision:1"


def test_a_province_template_in_use_makes_the_decision_and_the_document_names_it(households_decision, people, tmp_path):
    decision, _evaluations = households_decision
    template = _upload(people, OWN)
    assert "annex_name" in template.fields_used
    template_services.template_activate(actor=people["province_officer"], template=template)

    path = make("decision", decision, tmp_path, "own.docx")
    texts = [p.text for p in docx.Document(path).paragraphs]
    assert texts[0] == "UBND PHƯỜNG BẮC KẠN – MẪU RIÊNG"
    assert texts[1].startswith("Số: 12/QĐ-UBND – ") and "ngày 20 tháng 03 năm" in texts[1]
    # One paragraph per legal ground, the decision's own wording after them.
    assert texts[2:5] == [
        "Luật Tổ chức chính quyền địa phương năm 2025;",
        "Quyết định 448/QĐ-KHVN;",
        texts[4],
    ] and texts[4].startswith("Xét đề nghị công nhận")
    assert texts[5].startswith("Điều 1. Công nhận") and "4 hộ gia đình" in texts[5]
    assert texts[6] == "Người ký: Nguyễn Văn Bình"
    rows = [[cell.text for cell in row.cells] for row in docx.Document(path).tables[0].rows]
    assert rows[0] == ["TT", "Họ và tên chủ hộ", "Điểm"]
    listed = [(row[1], row[2]) for row in rows if row[0].isdigit()]
    assert listed == ANNEX
    assert sum(1 for row in rows if row[0].endswith("(2)")) == 2
    assert Document.objects.latest("pk").template_version == template.key

    # Out of use: the shipped template makes it again, with the same annex.
    template_services.template_deactivate(actor=people["province_officer"], template=template)
    again = make("decision", decision, tmp_path, "again.docx")
    assert [name for name, _result in _annex_rows(again)] == [name for name, _total in ANNEX]
    assert Document.objects.latest("pk").template_version == "shipped:decision:1"


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (
            word_file("Số: {{ number }}", "Điều 1. {{ article_1 }}"),
            "a.docx",
            "Mẫu thiếu trường bắt buộc {{ annex_name }}.",
        ),
        (
            word_file("{{ ''.__class__ }}", rows=[["{{ annex_name }}"]]),
            "a.docx",
            "không được dùng “{{ ''.__class__ }}”",
        ),
        (
            word_file("{{ number }} {{ article_1 }}", "{{ annex_name }}"),
            "a.docx",
            "trường {{ annex_name }} được lặp lại theo từng dòng: hãy đặt nó vào một dòng của bảng.",
        ),
        (
            word_file("{{ number }} {{ article_1 }}", rows=[["{{ annex_name }}", "{{ recipient }}"]]),
            "a.docx",
            "không thể chung một dòng của bảng",
        ),
        (
            word_file("{{ number }} {{ article_1 }}", rows=[["{{ annex_name }}"]]),
            "mau.pdf",
            "không phải là văn bản Word",
        ),
        (b"not a word file", "mau.docx", "không phải là văn bản Word"),
    ],
)
def test_a_decision_template_that_does_not_fit_is_refused_in_vietnamese(people, data, name, expected):
    with pytest.raises(ValidationError) as caught:
        _upload(people, data, name)
    assert expected in "\n".join(caught.value.messages)


def test_the_preview_fills_the_template_with_an_illustrative_annex(people):
    """Before it is put in use, an uploaded decision template is previewed with illustrative values: the
    annex's rows repeated, the group heading on the first subject of each village."""
    data = template_services.preview("decision", unit("2025", "19"), OWN)
    rows = [[cell.text for cell in row.cells] for row in docx.Document(io.BytesIO(data)).tables[0].rows]
    assert [row[1] for row in rows if row[0].isdigit()] == ["Nguyễn Văn Bình", "Trần Thị Cúc", "Lê Văn Dũng"]
    assert [row[0] for row in rows if not row[0].isdigit()][1:] == ["Thôn Minh Họa (2)", "Thôn Ví Dụ (1)"]

"""The recognition decision with its annex, opened and read: in Word (the state format, the annex grouped
by village, a revoked decision marked) and in PDF (the same number, date, articles and annex, from a
published decision only), read in a few queries whatever its length."""

import docx
import pytest
from django.core.management import CommandError
from docx.oxml.ns import qn
from pypdf import PdfReader

from documents.models import Document, DocumentStatus
from evaluations import decisions

from .helpers import RECOGNISED, docx_lines, make, pdf_text, publish, squash

pytestmark = pytest.mark.django_db

# The decision ------------------------------------------------------------------------------------


def test_the_decision_in_word_has_the_state_format_and_its_annex_grouped_by_village(
    households_decision, people, tmp_path, reform_year
):
    decision, _evaluations = households_decision
    word = docx.Document(make("decision", decision, tmp_path, "qd.docx"))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == "DỰ THẢO"  # not published yet

    masthead = word.tables[0].rows[0].cells
    assert masthead[0].text.splitlines() == ["ỦY BAN NHÂN DÂN PHƯỜNG BẮC KẠN", "―――――", "Số: 12/QĐ-UBND"]
    assert masthead[1].text.splitlines() == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "―――――――――――――",
        f"Bắc Kạn, ngày 20 tháng 03 năm {reform_year + 1}",
    ]
    assert "QUYẾT ĐỊNH" in paragraphs
    assert f"Về việc công nhận danh hiệu “Gia đình học tập” năm {reform_year}" in paragraphs
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BẮC KẠN" in paragraphs
    assert "Luật Tổ chức chính quyền địa phương năm 2025;" in paragraphs
    assert "Quyết định 448/QĐ-KHVN;" in paragraphs
    assert (
        f"Điều 1. Công nhận danh hiệu “Gia đình học tập” năm {reform_year} cho 4 hộ gia đình "
        "(có danh sách kèm theo)." in paragraphs
    )
    assert any(p.startswith("Điều 3. Văn phòng Ủy ban nhân dân phường Bắc Kạn") for p in paragraphs)
    signature = word.tables[1].rows[0].cells
    assert signature[0].text.splitlines()[:2] == ["Nơi nhận:", "- Như Điều 3;"]
    assert "- Lưu: VT." in signature[0].text
    signing = signature[1].text.splitlines()
    assert signing[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"] and signing[-1] == "Nguyễn Văn Bình"

    # The annex: the title, the decision it goes with, households grouped by village with their totals.
    assert f"DANH SÁCH HỘ GIA ĐÌNH ĐẠT DANH HIỆU “GIA ĐÌNH HỌC TẬP” NĂM {reform_year}" in paragraphs
    assert (
        f"(Kèm theo Quyết định số 12/QĐ-UBND ngày 20/03/{reform_year + 1} của Chủ tịch Ủy ban nhân dân "
        "phường Bắc Kạn)" in paragraphs
    )
    annex = word.tables[2]
    rows = [[cell.text for cell in row.cells] for row in annex.rows]
    assert rows[0] == ["STT", "Họ và tên chủ hộ", "Mã số", "Tổng điểm", "Kết quả"]
    assert annex.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert rows[1][0] == "Tổ dân phố 1, Phường Bắc Kạn (2)"  # a merged row naming the village
    assert [r[1] for r in rows[2:4]] == ["Hoàng Văn An", "Lý Thị Bình"]
    assert [r[3] for r in rows[2:4]] == ["100", "79"]
    assert rows[4][0] == "Tổ dân phố 2, Phường Bắc Kạn (2)"
    assert [r[1] for r in rows[5:7]] == ["Nông Thị Dung", "Triệu Văn Ém"]
    assert [r[0] for r in rows[2:4] + rows[5:7]] == ["1", "2", "3", "4"]
    assert "Đàm Văn Cường" not in "\n".join(docx_lines(tmp_path / "qd.docx"))
    assert paragraphs[-1] == "Tổng số: 4"


def test_the_pdf_is_made_from_a_published_decision_only_and_says_what_the_word_file_says(
    households_decision, people, tmp_path, reform_year
):
    decision, _evaluations = households_decision
    with pytest.raises(CommandError, match="chưa được ban hành|is not published"):
        make("decision_pdf", decision, tmp_path, "nhap.pdf")
    assert not (tmp_path / "nhap.pdf").exists()
    assert not Document.objects.filter(kind="decision_pdf", status=DocumentStatus.DONE).exists()

    decision = publish(decision, people)
    pdf = make("decision_pdf", decision, tmp_path, "qd.pdf")
    reader = PdfReader(pdf)
    text = squash(pdf_text(pdf))
    fonts = {
        str(font["/BaseFont"]): font.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("Noto-Serif" in name for name in fonts), fonts
    for font in fonts.values():  # every font is carried in the file
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in descendant["/FontDescriptor"] or "/FontFile3" in descendant["/FontDescriptor"]

    word_lines = [squash(line) for line in docx_lines(make("decision", decision, tmp_path, "qd.docx"))]
    assert "DỰ THẢO" not in word_lines and "DỰ THẢO" not in text
    # Every line of the decision and its annex in Word is in the PDF, in the same words and numbers.
    for line in word_lines:
        for part in (p.strip() for p in line.replace("\n", " | ").split(" | ")):
            if part and set(part) != {"―"}:
                assert part in text, part
    for name in RECOGNISED:
        assert name in text
    assert (
        text.index("Tổ dân phố 1, Phường Bắc Kạn (2)")
        < text.index("Hoàng Văn An")
        < text.index("Tổ dân phố 2, Phường Bắc Kạn (2)")
        < text.index("Nông Thị Dung")
    )
    assert "Đàm Văn Cường" not in text
    assert "Số: 12/QĐ-UBND" in text and f"Bắc Kạn, ngày 20 tháng 03 năm {reform_year + 1}" in text


def test_a_communes_decision_lists_it_under_its_province_and_names_the_committee_that_decides(
    commune_decision, tmp_path, reform_year
):
    decision, _evaluation = commune_decision
    word = docx.Document(make("decision", decision, tmp_path, "qd-xa.docx"))
    paragraphs = [p.text for p in word.paragraphs]
    assert f"Về việc công nhận danh hiệu “Cộng đồng học tập” cấp xã năm {reform_year}" in paragraphs
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN" in paragraphs
    assert word.tables[0].rows[0].cells[0].text.splitlines()[0] == "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"
    assert (
        word.tables[0].rows[0].cells[1].text.splitlines()[-1] == f"Thái Nguyên, ngày 02 tháng 04 năm {reform_year + 1}"
    )
    assert (
        f"Điều 1. Công nhận danh hiệu “Cộng đồng học tập” cấp xã năm {reform_year} cho 1 xã, phường, đặc khu "
        "(có danh sách kèm theo)." in paragraphs
    )
    rows = [[c.text for c in row.cells] for row in word.tables[2].rows]
    assert rows[0][1] == "Xã, phường"
    assert rows[1][0] == "Tỉnh Thái Nguyên (1)"
    assert rows[2] == ["1", "Phường Bắc Kạn", "01843", "77", "Đạt"]


def test_a_revoked_decision_prints_in_word_marked_as_revoked_and_not_in_pdf(households_decision, people, tmp_path):
    decision, _evaluations = households_decision
    decision = publish(decision, people)
    decisions.decision_revoke(actor=people["commune_officer"], decision=decision, reason="Sai số liệu")
    word = docx.Document(make("decision", decision, tmp_path, "thu-hoi.docx"))
    assert word.paragraphs[0].text == "QUYẾT ĐỊNH ĐÃ BỊ THU HỒI"
    with pytest.raises(CommandError, match="chưa được ban hành"):
        make("decision_pdf", decision, tmp_path, "thu-hoi.pdf")


def test_the_annex_is_read_in_a_few_queries_whatever_its_length(households_decision, people):
    """The annex reads each subject with its village in the same query: adding households to the
    decision adds no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents.decision_text import read_decision

    decision, evaluations = households_decision
    short = decisions.decision_update(
        actor=people["commune_officer"],
        decision=decision,
        title="household",
        year=decision.year,
        issuing_area=decision.issuing_area,
        number=decision.number,
        date=decision.date,
        issuing_body=decision.issuing_body,
        signer=decision.signer,
        legal_basis=decision.legal_basis,
        evaluations=[evaluations["Hoàng Văn An"]],
    )
    read_decision(
        Document(kind="decision", decision=short, first_year=short.year, last_year=short.year)
    )  # the issuing unit's parent, read once
    counted = {}
    for size, chosen in (("one", [evaluations["Hoàng Văn An"]]), ("four", [evaluations[n] for n in RECOGNISED])):
        short.evaluations.set(chosen)
        document = Document(kind="decision", decision=short, first_year=short.year, last_year=short.year)
        with CaptureQueriesContext(connection) as queries:
            text = read_decision(document)
        assert text.listed == len(chosen)
        counted[size] = len(queries)
    assert counted["four"] == counted["one"], counted

"""The dossiers behind a decision, opened and read: the village meeting's minutes with their scoring grid,
and a commune's request, self-check minutes and scoring sheet; a dossier of the wrong title, or from a
decision recognising no one, is refused with a Vietnamese message."""

from decimal import Decimal

import docx
import pytest
from django.core.management import CommandError

from documents.models import Document
from evaluations import decisions

from .helpers import LEAVES, MARKS, docx_lines, make

pytestmark = pytest.mark.django_db

# The village meeting's minutes --------------------------------------------------------------------


def test_the_minutes_have_one_meeting_per_village_with_its_scoring_grid(households_decision, tmp_path, reform_year):
    decision, _evaluations = households_decision
    path = make("meeting_minutes", decision, tmp_path, "bien-ban.docx")
    word = docx.Document(path)
    text = "\n".join(docx_lines(path))
    assert text.count("BIÊN BẢN") == 2
    assert f"Họp bình xét danh hiệu “Gia đình học tập” năm {reform_year}" in text
    mastheads = [t for t in word.tables if t.rows[0].cells[1].text.startswith("CỘNG HÒA")]
    assert [t.rows[0].cells[0].text.splitlines()[:2] for t in mastheads] == [
        ["ỦY BAN NHÂN DÂN PHƯỜNG BẮC KẠN", "TỔ DÂN PHỐ 1"],
        ["ỦY BAN NHÂN DÂN PHƯỜNG BẮC KẠN", "TỔ DÂN PHỐ 2"],
    ]
    grids = [t for t in word.tables if t.rows[0].cells[0].text == "STT"]
    assert len(grids) == 2
    header = [c.text for c in grids[0].rows[0].cells]
    assert header == ["STT", "Họ và tên chủ hộ", *LEAVES, "Tổng điểm", "Kết quả", "Đề nghị"]
    first = {row.cells[1].text: [c.text for c in row.cells] for row in grids[0].rows[1:]}
    # The first village scored three households, the one not achieved among them, not proposed.
    assert list(first) == ["Đàm Văn Cường", "Hoàng Văn An", "Lý Thị Bình"]
    for name, cells in first.items():
        assert cells[2:9] == [str(mark) for mark in MARKS[name]], name
        assert cells[9] == str(sum(MARKS[name]))
    assert first["Đàm Văn Cường"][10] == "Không đạt" and first["Đàm Văn Cường"][11] == ""
    assert first["Hoàng Văn An"][10] == "Đạt" and first["Hoàng Văn An"][11] == "x"
    second = [row.cells[1].text for row in grids[1].rows[1:]]
    assert second == ["Nông Thị Dung", "Triệu Văn Ém"]
    assert (
        f"công nhận danh hiệu “Gia đình học tập” năm {reform_year} cho 2 hộ gia đình: Hoàng Văn An, Lý Thị Bình."
        in text
    )
    assert "Số hộ được bình xét, chấm điểm: 3 hộ." in text
    assert "- Chủ trì hội nghị: ……………………, Tổ trưởng tổ dân phố;" in text  # a residential group's meeting
    lines = docx_lines(path)
    assert sum(1 for line in lines if line.startswith("THƯ KÝ") and "| CHỦ TRÌ HỘI NGHỊ" in line) == 2


def test_a_communes_dossier_holds_its_request_self_check_and_scoring_sheet(commune_decision, tmp_path, reform_year):
    decision, evaluation = commune_decision
    assert evaluation.total == Decimal(77)
    path = make("commune_dossier", decision, tmp_path, "ho-so.docx")
    word = docx.Document(path)
    lines = docx_lines(path)
    text = "\n".join(lines)
    # The request (tờ trình) to the province, in the state format of the ward's People's Committee.
    assert "TỜ TRÌNH" in lines
    assert f"Đề nghị công nhận danh hiệu “Cộng đồng học tập” cấp xã năm {reform_year}" in lines
    assert "Kính gửi: Ủy ban nhân dân tỉnh Thái Nguyên." in lines
    masthead = word.tables[0].rows[0].cells
    assert masthead[0].text.splitlines()[0] == "ỦY BAN NHÂN DÂN PHƯỜNG BẮC KẠN"
    assert "Số: ……/TTr-UBND" in masthead[0].text
    assert masthead[1].text.splitlines()[-1].startswith("Bắc Kạn, ngày ")
    assert "Tổng số điểm tự đánh giá đạt 80/100 điểm; kết quả: Đạt." in text
    # The self-check minutes, per standard.
    assert f"Tự kiểm tra, đánh giá kết quả xây dựng “Cộng đồng học tập” cấp xã năm {reform_year}" in lines
    assert "- 1. Tiêu chuẩn về học tập: đạt 40/50 điểm." in lines
    assert "- 2. Trung tâm học tập cộng đồng: đạt 40/50 điểm." in lines
    # The scoring sheet by criterion: self-assessed and verified marks, group sums and the total.
    sheet = next(t for t in word.tables if t.rows[0].cells[0].text == "Mã")
    rows = [[c.text for c in row.cells] for row in sheet.rows]
    assert rows[0] == [
        "Mã",
        "Tiêu chuẩn, tiêu chí, chỉ số",
        "Điểm tối đa",
        "Điểm tự chấm",
        "Điểm sau thẩm định",
        "Ghi chú",
    ]
    assert [r[0] for r in rows[1:]] == ["1", "1.1", "1.2", "2", ""]
    assert rows[1][2:5] == ["50", "40", "37"]
    assert rows[2][2:5] == ["30", "25", "25"]
    assert rows[3][2:5] == ["20", "15", "12"]
    assert rows[4][2:5] == ["50", "40", "40"]
    assert rows[5][1:5] == ["TỔNG CỘNG", "100", "80", "77"]
    assert "Tổng điểm sau thẩm định ghi trong hồ sơ: 77 điểm; kết quả: Đạt." in lines


def test_a_dossier_of_the_wrong_title_or_a_decision_recognising_no_one_is_refused(
    commune_decision, households_decision, people, tmp_path, reform_year
):
    decision, _evaluation = commune_decision
    with pytest.raises(CommandError, match="Không lập “Biên bản họp thôn.*“Cộng đồng học tập cấp xã”"):
        make("meeting_minutes", decision, tmp_path, "x.docx")
    households, _evaluations = households_decision
    with pytest.raises(CommandError, match="Không lập “Hồ sơ đề nghị của xã"):
        make("commune_dossier", households, tmp_path, "y.docx")
    empty = decisions.decision_update(
        actor=people["commune_officer"],
        decision=households,
        title="household",
        year=reform_year,
        issuing_area=households.issuing_area,
        number=households.number,
        date=households.date,
        issuing_body=households.issuing_body,
        signer=households.signer,
        legal_basis=households.legal_basis,
        evaluations=[],
    )
    with pytest.raises(CommandError, match="12/QĐ-UBND"):
        make("decision", empty, tmp_path, "z.docx")
    assert not Document.objects.exists()
    assert not list(tmp_path.iterdir())

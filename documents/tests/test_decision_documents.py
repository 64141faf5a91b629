"""Documents made from a recognition decision, opened and read: the decision with its annex in Word and
in PDF (the same number, date, articles and annex), the village meeting's minutes with their scoring
grid, and a commune's dossier (request, self-check minutes, scoring sheet). Each is asked for from the
decision's page as the personas, scoped like the decision: a village officer's file names their own
village's households only; outside the scope, 404; a draft for the PDF, a decision of the wrong title
or one recognising no one: a Vietnamese message and no document."""

import datetime
import io
import re
from decimal import Decimal

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx.oxml.ns import qn
from pypdf import PdfReader

from accounts.models import User
from accounts.roles import Role
from conftest import PASSWORD, unit
from criteria.models import CriteriaSet, Node, NodeKind, ResultRule, Scoring, Title
from criteria.tests.helpers import completed_household_set
from documents.models import Document, DocumentStatus
from evaluations import decisions, services
from registry import services as registry_services

pytestmark = pytest.mark.django_db

LEAVES = ["1.1", "1.2", "1.3", "2.1", "2.2", "3", "4"]
# Each household's marks, in the order of LEAVES (the illustration set asks for 70 of 100).
MARKS = {
    "Hoàng Văn An": [10, 10, 10, 10, 20, 20, 20],
    "Lý Thị Bình": [8, 9, 10, 7, 15, 18, 12],
    "Đàm Văn Cường": [5, 5, 5, 5, 10, 5, 5],  # 40: not achieved, scored at the meeting, not proposed
    "Nông Thị Dung": [10, 10, 9, 10, 20, 19, 20],
    "Triệu Văn Ém": [10, 10, 10, 10, 18, 17, 16],
}
VILLAGE_OF = {
    "Hoàng Văn An": "song_cau_1",
    "Lý Thị Bình": "song_cau_1",
    "Đàm Văn Cường": "song_cau_1",
    "Nông Thị Dung": "song_cau_2",
    "Triệu Văn Ém": "song_cau_2",
}
RECOGNISED = ["Hoàng Văn An", "Lý Thị Bình", "Nông Thị Dung", "Triệu Văn Ém"]


def _account(username, role, *, tree=None, code=None, village=None):
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit(tree, code) if code else None, village=village
    )


@pytest.fixture
def people(db, villages):
    """The suite's personas (conftest.py) on the shared villages (documents' conftest has its own on the demo)."""
    return {
        "province_officer": _account("p.thainguyen", Role.PROVINCE_OFFICER, tree="2025", code="19"),
        "commune_officer": _account("c.backan", Role.COMMUNE_OFFICER, tree="2025", code="01843"),
        "other_commune_officer": _account("c.ducxuan", Role.COMMUNE_OFFICER, tree="2025", code="01840"),
        "village_officer": _account("v.songcau1", Role.VILLAGE_OFFICER, village=villages["song_cau_1"]),
        "viewer": _account("viewer.thainguyen", Role.VIEWER, tree="2025", code="19"),
    }


def _evaluate(actor, title, year, subject, criteria_set, marks, *, approver=None, adjust=None):
    evaluation = services.evaluation_register(
        actor=actor, title=title, year=year, subject=subject, criteria_set=criteria_set
    )
    evaluation = services.evaluation_marks_save(
        actor=actor, evaluation=evaluation, version=evaluation.version, marks=marks
    )
    evaluation = services.evaluation_submit(actor=actor, evaluation=evaluation, version=evaluation.version)
    approver = approver or actor
    if adjust:
        evaluation = services.evaluation_adjust(
            actor=approver, evaluation=evaluation, version=evaluation.version, marks=adjust, reason="Thiếu minh chứng"
        )
    return services.evaluation_approve(actor=approver, evaluation=evaluation, version=evaluation.version)


@pytest.fixture
def households_decision(people, villages, admin_user, reform_year):
    """Five households of Phường Bắc Kạn's two villages scored; four recognised by the ward's decision
    12/QĐ-UBND (a draft), one not achieved."""
    officer = people["commune_officer"]
    household_set = completed_household_set(admin_user)
    evaluations = {}
    for name, marks in MARKS.items():
        household = registry_services.household_create(
            actor=admin_user, village=villages[VILLAGE_OF[name]], head_name=name, members=4
        )
        evaluations[name] = _evaluate(
            officer, "household", reform_year, household, household_set, dict(zip(LEAVES, marks, strict=True))
        )
    decision = decisions.decision_create(
        actor=officer,
        title="household",
        year=reform_year,
        issuing_area=unit("2025", "01843"),
        number="12/QĐ-UBND",
        date=datetime.date(reform_year + 1, 3, 20),
        issuing_body="UBND Phường Bắc Kạn",
        signer="Nguyễn Văn Bình",
        legal_basis="Luật Tổ chức chính quyền địa phương năm 2025\nQuyết định 448/QĐ-KHVN",
        evaluations=[evaluations[name] for name in RECOGNISED],
    )
    return decision, evaluations


def _publish(decision, people):
    return decisions.decision_publish(actor=people["commune_officer"], decision=decision)


def _make(kind, decision, tmp_path, name):
    out = tmp_path / name
    call_command("make_document", kind, "--decision", str(decision.pk), "--out", str(out), stdout=io.StringIO())
    return out


def _docx_lines(path) -> list[str]:
    """Every paragraph and table cell's text in reading order, one line each."""
    document = docx.Document(path)
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif child.tag.endswith("}tbl"):
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = [c for c in row if c.tag.endswith("}tc")]
                    lines.append(
                        " | ".join(
                            "\n".join(
                                "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                for p in c
                                if p.tag.endswith("}p")
                            )
                            for c in cells
                        )
                    )
    return lines


def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# The decision ------------------------------------------------------------------------------------


def test_the_decision_in_word_has_the_state_format_and_its_annex_grouped_by_village(
    households_decision, people, tmp_path, reform_year
):
    decision, _evaluations = households_decision
    word = docx.Document(_make("decision", decision, tmp_path, "qd.docx"))
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
    assert "Đàm Văn Cường" not in "\n".join(_docx_lines(tmp_path / "qd.docx"))
    assert paragraphs[-1] == "Tổng số: 4"


def test_the_pdf_is_made_from_a_published_decision_only_and_says_what_the_word_file_says(
    households_decision, people, tmp_path, reform_year
):
    decision, _evaluations = households_decision
    with pytest.raises(CommandError, match="chưa được ban hành|is not published"):
        _make("decision_pdf", decision, tmp_path, "nhap.pdf")
    assert not (tmp_path / "nhap.pdf").exists()
    assert not Document.objects.filter(kind="decision_pdf", status=DocumentStatus.DONE).exists()

    decision = _publish(decision, people)
    pdf = _make("decision_pdf", decision, tmp_path, "qd.pdf")
    reader = PdfReader(pdf)
    text = _squash(_pdf_text(pdf))
    fonts = {
        str(font["/BaseFont"]): font.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("Noto-Serif" in name for name in fonts), fonts
    for font in fonts.values():  # every font is carried in the file
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in descendant["/FontDescriptor"] or "/FontFile3" in descendant["/FontDescriptor"]

    word_lines = [_squash(line) for line in _docx_lines(_make("decision", decision, tmp_path, "qd.docx"))]
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


# The village meeting's minutes --------------------------------------------------------------------


def test_the_minutes_have_one_meeting_per_village_with_its_scoring_grid(households_decision, tmp_path, reform_year):
    decision, _evaluations = households_decision
    path = _make("meeting_minutes", decision, tmp_path, "bien-ban.docx")
    word = docx.Document(path)
    text = "\n".join(_docx_lines(path))
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
    lines = _docx_lines(path)
    assert sum(1 for line in lines if line.startswith("THƯ KÝ") and "| CHỦ TRÌ HỘI NGHỊ" in line) == 2


# A commune's dossier -------------------------------------------------------------------------------


@pytest.fixture
def commune_decision(people, reform_year):
    """Phường Bắc Kạn's self-assessment against a small illustration set (a standard of two criteria
    and a criterion of its own), one mark lowered by the province, recognised by the province's draft."""
    criteria_set = CriteriaSet.objects.create(
        title=Title.COMMUNE,
        name="Cộng đồng học tập cấp xã (minh hoạ)",
        legal_number="QĐ 1234/QĐ-minh-hoạ",
        valid_from=2015,
        rule=ResultRule.THRESHOLD,
        pass_total=Decimal(60),
        recognised_results=["achieved"],
        is_illustration=True,
    )
    standard = Node.objects.create(
        criteria_set=criteria_set,
        position=0,
        kind=NodeKind.STANDARD,
        code="1",
        name="Tiêu chuẩn về học tập",
        scoring=Scoring.GROUP,
    )
    for position, (code, name, most) in enumerate(
        [("1.1", "Tỷ lệ gia đình học tập", 30), ("1.2", "Tỷ lệ dòng họ học tập", 20)]
    ):
        Node.objects.create(
            criteria_set=criteria_set,
            parent=standard,
            position=position,
            kind=NodeKind.CRITERION,
            code=code,
            name=name,
            scoring=Scoring.POINTS,
            max_points=most,
        )
    Node.objects.create(
        criteria_set=criteria_set,
        position=1,
        kind=NodeKind.CRITERION,
        code="2",
        name="Trung tâm học tập cộng đồng",
        scoring=Scoring.POINTS,
        max_points=50,
    )
    evaluation = _evaluate(
        people["commune_officer"],
        Title.COMMUNE,
        reform_year,
        unit("2025", "01843"),
        criteria_set,
        {"1.1": 25, "1.2": 15, "2": 40},
        approver=people["province_officer"],
        adjust={"1.2": 12},
    )
    decision = decisions.decision_create(
        actor=people["province_officer"],
        title=Title.COMMUNE,
        year=reform_year,
        issuing_area=unit("2025", "19"),
        number="45/QĐ-UBND",
        date=datetime.date(reform_year + 1, 4, 2),
        issuing_body="Ủy ban nhân dân Tỉnh Thái Nguyên",
        signer="Trần Thị Hoa",
        legal_basis="",
        evaluations=[evaluation],
    )
    return decision, evaluation


def test_a_communes_dossier_holds_its_request_self_check_and_scoring_sheet(commune_decision, tmp_path, reform_year):
    decision, evaluation = commune_decision
    assert evaluation.total == Decimal(77)
    path = _make("commune_dossier", decision, tmp_path, "ho-so.docx")
    word = docx.Document(path)
    lines = _docx_lines(path)
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
        _make("meeting_minutes", decision, tmp_path, "x.docx")
    households, _evaluations = households_decision
    with pytest.raises(CommandError, match="Không lập “Hồ sơ đề nghị của xã"):
        _make("commune_dossier", households, tmp_path, "y.docx")
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
        _make("decision", empty, tmp_path, "z.docx")
    assert not Document.objects.exists()
    assert not list(tmp_path.iterdir())


# From the pages, as the personas -----------------------------------------------------------------


def _ask(client, decision, kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("documents:for_decision", args=[decision.pk]), {"kind": kind})


def test_the_decisions_page_offers_its_documents_and_a_request_leads_to_the_file(
    households_decision, people, client, django_capture_on_commit_callbacks
):
    decision, _evaluations = households_decision
    client.force_login(people["commune_officer"])
    page = client.get(reverse("evaluations:decision", args=[decision.pk])).content.decode()
    assert "Quyết định công nhận kèm danh sách (.docx)" in page
    assert "Biên bản họp thôn" in page
    assert "Hồ sơ đề nghị" not in page  # a households' decision has no commune dossier
    assert "made once the decision is published" not in page and "khi quyết định đã được ban hành" in page

    response = _ask(client, decision, "decision", django_capture_on_commit_callbacks)
    document = Document.objects.get(kind="decision")
    assert response.url == reverse("documents:detail", args=[document.pk])
    assert document.status == DocumentStatus.DONE and document.decision == decision
    detail = client.get(response.url).content.decode()
    assert "12/QĐ-UBND" in detail
    download = client.get(reverse("documents:download", args=[document.pk]))
    word = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "Nông Thị Dung" in "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)

    # A draft's PDF is refused with the reason, on the page; nothing is made.
    response = _ask(client, decision, "decision_pdf", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    follow = client.get(response.url).content.decode()
    assert "chưa được ban hành" in follow
    assert not Document.objects.filter(kind="decision_pdf").exists()


def test_a_village_officers_file_names_their_own_villages_households_only(
    households_decision, people, client, django_capture_on_commit_callbacks
):
    decision, _evaluations = households_decision
    _publish(decision, people)
    client.force_login(people["village_officer"])
    for kind in ("decision_pdf", "meeting_minutes"):
        response = _ask(client, decision, kind, django_capture_on_commit_callbacks)
        assert response.status_code == 302, kind
    made = {d.kind: d for d in Document.objects.filter(requested_by=people["village_officer"])}
    assert set(made) == {"decision_pdf", "meeting_minutes"}
    pdf = _squash(_pdf_text(made["decision_pdf"].file.path))
    assert "Hoàng Văn An" in pdf and "Lý Thị Bình" in pdf
    assert "Nông Thị Dung" not in pdf and "Triệu Văn Ém" not in pdf
    assert "Trích danh sách: 2 trong tổng số 4 hộ gia đình được công nhận" in pdf
    assert "cho 4 hộ gia đình" in pdf  # the decision's own article counts them all
    minutes = "\n".join(_docx_lines(made["meeting_minutes"].file.path))
    assert "Hoàng Văn An" in minutes and "Nông Thị Dung" not in minutes
    # The commune's whole file is the commune's: the village officer does not reach it.
    client.force_login(people["commune_officer"])
    _ask(client, decision, "decision", django_capture_on_commit_callbacks)
    whole = Document.objects.get(kind="decision", requested_by=people["commune_officer"])
    client.force_login(people["village_officer"])
    assert client.get(reverse("documents:detail", args=[whole.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[whole.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["other_commune_officer"])
def test_a_decision_outside_the_scope_is_not_found(households_decision, people, client, persona):
    decision, _evaluations = households_decision
    client.force_login(people[persona])
    assert client.get(reverse("documents:for_decision", args=[decision.pk])).status_code == 404
    assert client.post(reverse("documents:for_decision", args=[decision.pk]), {"kind": "decision"}).status_code == 404
    assert not Document.objects.exists()


def test_anonymous_is_sent_to_the_login_page(households_decision, client):
    decision, _evaluations = households_decision
    response = client.post(reverse("documents:for_decision", args=[decision.pk]), {"kind": "decision"})
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert not Document.objects.exists()


def test_the_viewer_may_ask_for_the_decision_from_the_api(
    households_decision, people, client, django_capture_on_commit_callbacks, tmp_path
):
    decision, _evaluations = households_decision
    _publish(decision, people)
    client.force_login(people["viewer"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/documents/", {"kind": "decision_pdf", "decision": decision.pk}, content_type="application/json"
        )
    assert answer.status_code in (201, 202), answer.content
    document = Document.objects.get(kind="decision_pdf")
    assert document.status == DocumentStatus.DONE
    assert "Triệu Văn Ém" in _pdf_text(document.file.path)


def test_a_communes_decision_lists_it_under_its_province_and_names_the_committee_that_decides(
    commune_decision, tmp_path, reform_year
):
    decision, _evaluation = commune_decision
    word = docx.Document(_make("decision", decision, tmp_path, "qd-xa.docx"))
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
    decision = _publish(decision, people)
    decisions.decision_revoke(actor=people["commune_officer"], decision=decision, reason="Sai số liệu")
    word = docx.Document(_make("decision", decision, tmp_path, "thu-hoi.docx"))
    assert word.paragraphs[0].text == "QUYẾT ĐỊNH ĐÃ BỊ THU HỒI"
    with pytest.raises(CommandError, match="chưa được ban hành"):
        _make("decision_pdf", decision, tmp_path, "thu-hoi.pdf")


def test_a_communes_decision_offers_its_dossier_and_not_the_village_minutes(commune_decision, people, client):
    decision, _evaluation = commune_decision
    client.force_login(people["province_officer"])
    page = client.get(reverse("documents:for_decision", args=[decision.pk])).content.decode()
    assert "Hồ sơ đề nghị của xã: tờ trình, biên bản tự kiểm tra, bảng chấm điểm (.docx)" in page
    assert "Biên bản họp thôn" not in page
    assert 'name="kind" value="commune_dossier"' in page and 'value="decision_pdf"' not in page  # a draft


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

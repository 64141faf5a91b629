"""The dossiers behind a decision from a province's own Word template: the village meeting's minutes and a
commune's dossier are checked at upload like every template (listed fields only, the drafted grid or sheet
alone in its paragraph, the required fields present), then, once in use, filled once per village or per
commune with the province's wording around the scoring grid or sheet drafted from the evaluation records;
the document names the version that made it, and with no template in use the shipped one applies again."""

import html
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import unit
from documents import template_services
from documents.models import Document
from documents.template_models import DocumentTemplate

from .helpers import LEAVES, MARKS, docx_lines, make, word_file

pytestmark = pytest.mark.django_db


OWN_MINUTES = word_file(
    "{{ issuing_body_above }}",
    "BIÊN BẢN BÌNH XÉT – MẪU CỦA TỈNH THÁI NGUYÊN",
    "Hội nghị {{ village_kind }} {{ village }}, {{ commune_in_text }}, bình xét năm {{ year }}.",
    "{{ scoring_grid }}",
    "Đề nghị công nhận {{ proposed_count }}/{{ scored_count }} hộ: {{ proposed_names }}.",
    "Người chủ trì: {{ chair }}",
)

OWN_DOSSIER = word_file(
    "TỜ TRÌNH CỦA {{ issuing_body }} – MẪU CỦA TỈNH THÁI NGUYÊN",
    "Kính trình {{ addressee }} công nhận {{ commune_in_text }} năm {{ year }}.",
    "Tự chấm {{ own_total }}/{{ max_total }} điểm; sau thẩm định {{ verified_total }} điểm ({{ result }}).",
    "+ {{ standard_code }} {{ standard_name }} – {{ standard_score }}",
    "Bảng chấm điểm của {{ commune }}:",
    "{{ scoring_sheet }}",
    "Nơi lập: {{ place }}, {{ request_date }}",
)


def _upload(people, kind, data, name="mau.docx"):
    return template_services.template_upload(
        actor=people["province_officer"], province=unit("2025", "19"), kind=kind, name=name, data=data
    )


def _in_use(people, kind, data):
    template = _upload(people, kind, data)
    return template_services.template_activate(actor=people["province_officer"], template=template)


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_provinces_minutes_template_is_filled_per_village_around_the_real_scoring_grid(
    households_decision, people, tmp_path, reform_year
):
    decision, _evaluations = households_decision
    template = _in_use(people, "meeting_minutes", OWN_MINUTES)

    path = make("meeting_minutes", decision, tmp_path, "bien-ban.docx")
    word = docx.Document(path)
    texts = [p.text for p in word.paragraphs]
    # One copy of the province's wording per village, the first village's page first.
    assert texts.count("BIÊN BẢN BÌNH XÉT – MẪU CỦA TỈNH THÁI NGUYÊN") == 2
    assert texts.count("ỦY BAN NHÂN DÂN PHƯỜNG BẮC KẠN") == 2
    assert f"Hội nghị tổ dân phố Tổ dân phố 1, phường Bắc Kạn, bình xét năm {reform_year}." in texts
    assert "Đề nghị công nhận 2/3 hộ: Hoàng Văn An, Lý Thị Bình." in texts
    assert "Đề nghị công nhận 2/2 hộ: Nông Thị Dung, Triệu Văn Ém." in texts
    assert texts.count("Người chủ trì: Tổ trưởng tổ dân phố") == 2
    assert texts.index("Đề nghị công nhận 2/3 hộ: Hoàng Văn An, Lý Thị Bình.") < texts.index(
        f"Hội nghị tổ dân phố Tổ dân phố 2, phường Bắc Kạn, bình xét năm {reform_year}."
    )
    # The grids drafted from the evaluation records, in the template's block field: every mark in force.
    grids = [_rows(t) for t in word.tables if t.rows[0].cells[0].text == "STT"]
    assert len(grids) == 2
    assert grids[0][0] == ["STT", "Họ và tên chủ hộ", *LEAVES, "Tổng điểm", "Kết quả", "Đề nghị"]
    scored = {row[1]: row for grid in grids for row in grid[1:]}
    assert list(scored) == ["Đàm Văn Cường", "Hoàng Văn An", "Lý Thị Bình", "Nông Thị Dung", "Triệu Văn Ém"]
    for name, row in scored.items():
        assert row[2:9] == [str(mark) for mark in MARKS[name]], name
        assert row[9] == str(sum(MARKS[name])), name
    assert scored["Đàm Văn Cường"][10:] == ["Không đạt", ""]
    assert scored["Lý Thị Bình"][10:] == ["Đạt", "x"]
    assert not any("{{" in line for line in docx_lines(path))
    assert Document.objects.latest("pk").template_version == template.key

    # Out of use: the shipped template applies again.
    template_services.template_deactivate(actor=people["province_officer"], template=template)
    again = docx_lines(make("meeting_minutes", decision, tmp_path, "again.docx"))
    assert "BIÊN BẢN BÌNH XÉT – MẪU CỦA TỈNH THÁI NGUYÊN" not in again
    assert again.count("BIÊN BẢN") == 2
    assert Document.objects.latest("pk").template_version == "shipped:minutes:1"


def test_the_provinces_commune_dossier_template_holds_the_real_scoring_sheet(
    commune_decision, people, tmp_path, reform_year
):
    decision, _evaluation = commune_decision
    template = _in_use(people, "commune_dossier", OWN_DOSSIER)

    path = make("commune_dossier", decision, tmp_path, "ho-so.docx")
    word = docx.Document(path)
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "TỜ TRÌNH CỦA ỦY BAN NHÂN DÂN PHƯỜNG BẮC KẠN – MẪU CỦA TỈNH THÁI NGUYÊN"
    assert f"Kính trình Ủy ban nhân dân tỉnh Thái Nguyên công nhận phường Bắc Kạn năm {reform_year}." in texts
    assert "Tự chấm 80/100 điểm; sau thẩm định 77 điểm (Đạt)." in texts
    # One paragraph per standard, in the set's order.
    assert [t for t in texts if t.startswith("+ ")] == [
        "+ 1 Tiêu chuẩn về học tập – đạt 40/50 điểm",
        "+ 2 Trung tâm học tập cộng đồng – đạt 40/50 điểm",
    ]
    assert "Bảng chấm điểm của Phường Bắc Kạn:" in texts
    assert any(t.startswith("Nơi lập: Bắc Kạn, ngày ") for t in texts)
    rows = _rows(word.tables[0])
    assert rows[0] == [
        "Mã",
        "Tiêu chuẩn, tiêu chí, chỉ số",
        "Điểm tối đa",
        "Điểm tự chấm",
        "Điểm sau thẩm định",
        "Ghi chú",
    ]
    assert [(r[0], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("1", "50", "40", "37"),
        ("1.1", "30", "25", "25"),
        ("1.2", "20", "15", "12"),
        ("2", "50", "40", "40"),
        ("", "100", "80", "77"),
    ]
    assert rows[2][1].strip() == "Tỷ lệ gia đình học tập"
    # The sheet stands where the template put its field: after the standards, before the place.
    body = [child.tag.rsplit("}", 1)[-1] for child in word.element.body]
    assert body.index("tbl") == len([t for t in texts if not t.startswith("Nơi lập")])
    assert Document.objects.latest("pk").template_version == template.key


def test_the_shipped_dossier_templates_leave_no_field_unfilled(households_decision, commune_decision, tmp_path):
    households, _evaluations = households_decision
    minutes = docx_lines(make("meeting_minutes", households, tmp_path, "bien-ban.docx"))
    assert Document.objects.latest("pk").template_version == "shipped:minutes:1"
    assert "Tổ trưởng tổ dân phố" in "\n".join(minutes)
    assert any("Hộ đạt danh hiệu khi có tổng điểm từ 70 điểm trở lên. Kết quả chấm điểm như sau:" in m for m in minutes)
    communes, _evaluation = commune_decision
    dossier = docx_lines(make("commune_dossier", communes, tmp_path, "ho-so.docx"))
    assert Document.objects.latest("pk").template_version == "shipped:commune-dossier:1"
    assert "(Bộ tiêu chí “Cộng đồng học tập cấp xã (minh hoạ)” (QĐ 1234/QĐ-minh-hoạ))" in dossier
    assert "Hồ sơ kèm theo: Biên bản tự kiểm tra; Bảng chấm điểm theo tiêu chí; 0 tệp minh chứng." in dossier
    assert not any("{{" in line or "}}" in line for line in minutes + dossier)


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        (
            "meeting_minutes",
            word_file("{{ village }} {{ proposed_names }}", "{{ scoring_grid }}", "Trưởng thôn: {{ village_head }}"),
            "loại văn bản này không có trường “{{ village_head }}”",
        ),
        (
            "meeting_minutes",
            word_file("{{ village }} {{ proposed_names }}", "{{ scoring_grid }}", "{{ ''.__class__ }}"),
            "không được dùng “{{ ''.__class__ }}”",
        ),
        (
            "meeting_minutes",
            word_file("Biên bản của {{ village }}"),
            "Mẫu thiếu trường bắt buộc {{ proposed_names }}, {{ scoring_grid }}.",
        ),
        (
            "meeting_minutes",
            word_file("{{ village }} {{ proposed_names }}", rows=[["Bảng điểm: {{ scoring_grid }}"]]),
            "trường {{ scoring_grid }} phải đứng một mình trong một đoạn riêng",
        ),
        (
            "commune_dossier",
            word_file("{{ commune }}", "{{ scoring_sheet }}", "Chủ tịch: {{ chairman }}"),
            "loại văn bản này không có trường “{{ chairman }}”",
        ),
        (
            "commune_dossier",
            word_file("{{ commune }}", "{{ scoring_sheet }}", "{{ ''.__class__ }}"),
            "không được dùng “{{ ''.__class__ }}”",
        ),
        (
            "commune_dossier",
            word_file("Tờ trình của {{ issuing_body }}"),
            "Mẫu thiếu trường bắt buộc {{ commune }}, {{ scoring_sheet }}.",
        ),
        (
            "commune_dossier",
            word_file("{{ commune }}", "{{ scoring_sheet }}", "{% for x in y %}"),
            "không được dùng câu lệnh",
        ),
    ],
)
def test_a_dossier_template_that_does_not_fit_is_refused_in_vietnamese(people, kind, data, expected):
    with pytest.raises(ValidationError) as caught:
        _upload(people, kind, data)
    assert expected in "\n".join(caught.value.messages)
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("meeting_minutes", OWN_MINUTES, ["Nguyễn Văn Bình", "Trần Thị Cúc", "Lê Văn Dũng"]),
        ("meeting_minutes", None, ["Nguyễn Văn Bình", "Trần Thị Cúc", "Lê Văn Dũng"]),
        ("commune_dossier", OWN_DOSSIER, ["Tiêu chuẩn về học tập", "   Tỷ lệ gia đình học tập (minh họa)"]),
        ("commune_dossier", None, ["Tiêu chuẩn về học tập", "   Tỷ lệ gia đình học tập (minh họa)"]),
    ],
)
def test_the_preview_fills_a_dossier_template_with_an_illustrative_grid(people, kind, data, expected):
    """Before it is put in use, a dossier template — the province's or the shipped one — is previewed with
    illustrative values, its grid or sheet an illustrative table of the same columns."""
    made = docx.Document(io.BytesIO(template_services.preview(kind, unit("2025", "19"), data)))
    table = next(t for t in made.tables if t.rows[0].cells[0].text in ("STT", "Mã"))
    names = [row.cells[1].text for row in table.rows[1:]]
    assert names[: len(expected)] == expected
    lines = [p.text for p in made.paragraphs]
    assert not any("{{" in line for line in lines)


def test_a_logo_in_the_provinces_template_is_on_every_villages_minutes(households_decision, people, tmp_path):
    """Each village's copy keeps the template's picture, and Word finds every drawing's id unique."""
    logo = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(logo, format="PNG")
    word = docx.Document(io.BytesIO(OWN_MINUTES))
    word.paragraphs[0].insert_paragraph_before().add_run().add_picture(io.BytesIO(logo.getvalue()))
    data = io.BytesIO()
    word.save(data)
    decision, _evaluations = households_decision
    _in_use(people, "meeting_minutes", data.getvalue())

    made = docx.Document(make("meeting_minutes", decision, tmp_path, "bien-ban.docx"))
    assert len(made.inline_shapes) == 2
    assert {shape._inline.graphic.graphicData.pic.blipFill.blip.embed for shape in made.inline_shapes} == {
        made.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    }
    ids = [shape._inline.docPr.id for shape in made.inline_shapes]
    assert len(set(ids)) == 2


@pytest.mark.parametrize("kind", ["meeting_minutes", "commune_dossier"])
def test_the_province_officer_finds_the_dossiers_among_its_templates_and_uploads_one(people, client, kind):
    client.force_login(people["province_officer"])
    listing = html.unescape(client.get("/documents/templates/2025/19/").content.decode())
    assert f"/documents/templates/2025/19/{kind}/upload/" in listing
    page = html.unescape(client.get(f"/documents/templates/2025/19/{kind}/upload/").content.decode())
    block = {"meeting_minutes": "scoring_grid", "commune_dossier": "scoring_sheet"}[kind]
    assert f"{{{{ {block} }}}}" in page
    # The shipped template to start from, and its preview as the province's documents would look.
    shipped = client.get(f"/documents/templates/2025/19/{kind}/shipped/")
    assert "{{ " + block + " }}" in [p.text for p in docx.Document(io.BytesIO(shipped.content)).paragraphs]
    preview = client.get(f"/documents/templates/2025/19/{kind}/shipped/?preview=1")
    assert not any("{{" in p.text for p in docx.Document(io.BytesIO(preview.content)).paragraphs)
    # A bad template is refused on the page, in Vietnamese, and nothing is kept.
    refused = client.post(
        f"/documents/templates/2025/19/{kind}/upload/",
        {"file": SimpleUploadedFile("mau.docx", word_file("{{ ''.__class__ }}")), "note": ""},
    )
    assert refused.status_code == 200
    assert "không được dùng “{{ ''.__class__ }}”" in html.unescape(refused.content.decode())
    assert not DocumentTemplate.objects.exists()
    own = OWN_MINUTES if kind == "meeting_minutes" else OWN_DOSSIER
    kept = client.post(
        f"/documents/templates/2025/19/{kind}/upload/",
        {"file": SimpleUploadedFile("mau.docx", own), "note": "Mẫu của tỉnh"},
    )
    assert kept.status_code == 302
    assert DocumentTemplate.objects.get().kind == kind

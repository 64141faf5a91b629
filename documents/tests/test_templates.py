"""A province's own Word template: checked at upload (only the listed fields, nothing a template language
would run, a real .docx holding {{ body }}), previewed, put in use, then used for the province's
documents — its issuing body and signer in the file — with the document naming the version that made it;
out of use, the shipped template applies again, and old versions stay to explain old files."""

import html
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from documents import docx_fill, template_services
from documents.fields import templated
from documents.models import Document
from documents.template_models import DocumentTemplate

pytestmark = pytest.mark.django_db

SPEC = templated("review").spec


def _docx(*paragraphs, table=None, header=None, runs=None) -> bytes:
    """A Word file with these paragraphs (and a one-row table, a header line, a paragraph of runs)."""
    word = docx.Document()
    if header is not None:
        word.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        word.add_paragraph(text)
    if runs is not None:
        paragraph = word.add_paragraph()
        for text in runs:
            paragraph.add_run(text).bold = True
    if table is not None:
        cells = word.add_table(rows=1, cols=len(table)).rows[0].cells
        for cell, text in zip(cells, table, strict=True):
            cell.text = text
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


GOOD = _docx(
    "HỘI KHUYẾN HỌC TỈNH BẮC KẠN – BAN THƯỜNG TRỰC",
    "{{ place }}, {{ date }}",
    "BÁO CÁO {{ subject }}",
    "{{ body }}",
    "- {{ parent_association }} (để báo cáo);",
    "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
    "Nguyễn Thị Hoa",
)


def _problems(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        docx_fill.check(docx_fill.open_docx(data), SPEC)
    return "\n".join(caught.value.messages)


# The check, case by case ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_docx("{{ ''.__class__ }}", "{{ body }}"), "không được dùng “{{ ''.__class__ }}”"),
        (_docx("{{ area_name.upper() }}", "{{ body }}"), "không được dùng “{{ area_name.upper() }}”"),
        (_docx("{{ area_name|upper }}", "{{ body }}"), "không được dùng “{{ area_name|upper }}”"),
        (_docx("{{ config }}", "{{ body }}"), "loại văn bản này không có trường “{{ config }}”"),
        (_docx("{% for x in y %}{{ area_name }}{% endfor %}", "{{ body }}"), "không được dùng câu lệnh {% … %}"),
        (_docx("{{ area_name", "{{ body }}"), "có trường chưa đóng"),
        (_docx("{{ area_name }}"), "Mẫu thiếu trường bắt buộc {{ body }}."),
        (_docx("Nội dung: {{ body }}"), "phải đứng một mình trong một đoạn riêng"),
        (_docx("x", table=["{{ body }}", "y"]), "phải đứng một mình trong một đoạn riêng"),
        (_docx("{{ body }}", "{{ body }}"), "Trường {{ body }} được dùng 2 lần"),
        (_docx("{{ body }}", header="{{ __import__ }}"), "Ở đầu trang, đoạn “{{ __import__ }}”: không được dùng"),
    ],
)
def test_a_template_using_anything_but_the_listed_fields_is_refused(data, expected):
    assert expected in _problems(data)


@pytest.mark.parametrize(
    "data",
    [b"not a word file", b"PK\x03\x04 broken zip", _docx("x")[:200]],
)
def test_a_file_that_is_not_a_docx_is_refused(data):
    with pytest.raises(ValidationError) as caught:
        docx_fill.open_docx(data)
    assert caught.value.code == "not_docx"


def test_a_field_split_over_runs_is_filled_and_nothing_is_evaluated():
    data = _docx("{{ body }}", runs=["Tại {{ pla", "ce }}, {{ da", "te }} – {{ area_name }}"])
    values = {"place": "Bắc Kạn", "date": "ngày 01 tháng 02 năm 2026", "area_name": "{{ place }}.__class__"}
    word = docx_fill.fill(data, SPEC, values, {"body": lambda w: w.add_paragraph("THÂN BÀI")})
    texts = [p.text for p in word.paragraphs]
    # A value is written as it is, never read again as a template.
    assert "Tại Bắc Kạn, ngày 01 tháng 02 năm 2026 – {{ place }}.__class__" in texts
    assert texts.index("THÂN BÀI") == 0 and "{{ body }}" not in texts
    assert all(run.bold for run in word.paragraphs[-1].runs)


def test_a_line_whose_fields_are_all_empty_is_left_out():
    data = _docx("{{ body }}", "- {{ parent_association }} (để báo cáo);", "- Lưu: VT.")
    word = docx_fill.fill(data, SPEC, {"parent_association": ""}, {})
    assert [p.text for p in word.paragraphs] == ["- Lưu: VT."]


# Upload, preview, use -----------------------------------------------------------------------------


def _upload(client, data, name="mau-bao-cao.docx", province="pre2025/06", kind="review"):
    return client.post(
        f"/documents/templates/{province}/{kind}/upload/",
        {"file": SimpleUploadedFile(name, data), "note": "Chủ tịch mới"},
    )


def test_upload_refuses_each_bad_template_with_a_vietnamese_message_and_keeps_nothing(seed_world, personas, client_for):
    client = client_for(personas["old_province_officer"])
    for data, name, expected in (
        (_docx("{{ ''.__class__ }}", "{{ body }}"), "mau.docx", "không được dùng “{{ ''.__class__ }}”"),
        (_docx("{{ ho_ten_chu_tich }}", "{{ body }}"), "mau.docx", "không có trường “{{ ho_ten_chu_tich }}”"),
        (_docx("{{ area_name }}"), "mau.docx", "Mẫu thiếu trường bắt buộc {{ body }}"),
        (b"%PDF-1.7 not a word file", "mau.pdf", "không phải là văn bản Word (.docx)"),
        (b"plain text", "mau.docx", "không phải là văn bản Word (.docx)"),
    ):
        response = _upload(client, data, name)
        assert response.status_code == 200
        assert expected in html.unescape(response.content.decode()), expected
    assert not DocumentTemplate.objects.exists()


def test_a_province_template_makes_the_review_and_the_document_names_its_version(
    seed_world, personas, client_for, make_file
):
    officer = personas["old_province_officer"]
    client = client_for(officer)
    page = client.get("/documents/templates/")
    assert page.status_code == 302 and page.url == "/documents/templates/pre2025/06/"
    assert "Tải lên phiên bản mới" in client.get(page.url).content.decode()

    response = _upload(client, GOOD)
    template = DocumentTemplate.objects.get()
    assert response.status_code == 302 and response.url == f"/documents/templates/{template.pk}/"
    assert (template.version, template.is_active, template.province.code) == (1, False, "06")
    assert template.fields_used == ["place", "date", "subject", "body", "parent_association"]
    assert AuditEntry.objects.filter(action="document_template.upload", object_id=str(template.pk)).exists()

    # Not in use yet: the review is the shipped one.
    shipped = docx.Document(make_file("review", "pre2025:06", "2016-2018", "a.docx"))
    assert shipped.tables[0].rows[0].cells[0].text.splitlines()[1] == "HỘI KHUYẾN HỌC TỈNH BẮC KẠN"
    assert Document.objects.get().template_version == "shipped:review:1"

    # The preview: the province's values and an illustrative body, the template's own words.
    preview = client.get(f"/documents/templates/{template.pk}/file/?preview=1")
    assert preview.status_code == 200 and preview["Content-Type"].endswith("wordprocessingml.document")
    previewed = [p.text for p in docx.Document(io.BytesIO(preview.content)).paragraphs]
    assert previewed[0] == "HỘI KHUYẾN HỌC TỈNH BẮC KẠN – BAN THƯỜNG TRỰC"
    assert previewed[1].startswith("Bắc Kạn, ngày ")
    assert any("1.234" in text for text in previewed) and "{{ body }}" not in previewed

    assert client.post(f"/documents/templates/{template.pk}/activate/").status_code == 302
    report = docx.Document(make_file("review", "pre2025:06", "2016-2018", "b.docx"))
    texts = [p.text for p in report.paragraphs]
    assert texts[0] == "HỘI KHUYẾN HỌC TỈNH BẮC KẠN – BAN THƯỜNG TRỰC"
    assert texts[1].startswith("Bắc Kạn, ngày ")
    assert texts[2] == "BÁO CÁO Sơ kết 3 năm xây dựng các mô hình học tập, giai đoạn 2016 – 2018"
    assert texts[-3:] == ["- Hội Khuyến học Việt Nam (để báo cáo);", "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH", "Nguyễn Thị Hoa"]
    # The drafted sections sit where {{ body }} was, with their numbers.
    assert texts[3] == "I. KẾT QUẢ THỰC HIỆN"
    assert any("155.235 lượt hộ gia đình" in text for text in texts)
    assert "CHỦ TỊCH" not in "\n".join(cell.text for t in report.tables for row in t.rows for cell in row.cells)
    made = Document.objects.latest("pk")
    assert made.template_version == "province:pre2025:06:review:1"

    # A second version in use; the first is kept and still explains the file it made.
    _upload(client, _docx("{{ body }}", "CHỦ TỊCH", "Trần Văn Bình"))
    newer = DocumentTemplate.objects.get(version=2)
    client.post(f"/documents/templates/{newer.pk}/activate/")
    template.refresh_from_db()
    newer.refresh_from_db()
    assert not template.is_active and newer.is_active
    third = docx.Document(make_file("review", "pre2025:06", "2016-2018", "c.docx"))
    assert [p.text for p in third.paragraphs][-1] == "Trần Văn Bình"
    assert Document.objects.latest("pk").template_version == "province:pre2025:06:review:2"
    first_page = html.unescape(client.get(f"/documents/templates/{template.pk}/").content.decode())
    assert f"/documents/{made.pk}/" in first_page and "province:pre2025:06:review:1" in first_page
    detail = client.get(f"/documents/{made.pk}/").content.decode()
    assert "Mẫu của Tỉnh Bắc Kạn, phiên bản 1" in detail

    # Out of use: the shipped template again.
    client.post(f"/documents/templates/{newer.pk}/deactivate/")
    again = docx.Document(make_file("review", "pre2025:06", "2016-2018", "d.docx"))
    assert again.tables[0].rows[0].cells[0].text.splitlines()[:2] == [
        "HỘI KHUYẾN HỌC VIỆT NAM",
        "HỘI KHUYẾN HỌC TỈNH BẮC KẠN",
    ]
    assert Document.objects.latest("pk").template_version == "shipped:review:1"
    assert DocumentTemplate.objects.count() == 2


def test_the_2025_province_template_serves_the_old_provinces_merged_into_it(
    seed_world, personas, client_for, make_file
):
    client = client_for(personas["province_officer"])
    assert (
        _upload(
            client, _docx("HỘI KHUYẾN HỌC TỈNH THÁI NGUYÊN", "{{ body }}"), province="2025/19", kind="final_review"
        ).status_code
        == 302
    )
    template = DocumentTemplate.objects.get()
    client.post(f"/documents/templates/{template.pk}/activate/")
    report = docx.Document(make_file("final_review", "pre2025:064", "2017-2018", "e.docx"))
    assert report.paragraphs[0].text == "HỘI KHUYẾN HỌC TỈNH THÁI NGUYÊN"
    assert Document.objects.get().template_version == "province:2025:19:final_review:1"
    # The interim review of the same province still uses the shipped template.
    assert template_services.active_template("review", Document.objects.get().area) is None


def test_only_the_provinces_officers_manage_its_templates(seed_world, personas, client_for):
    owner = client_for(personas["old_province_officer"])
    _upload(owner, GOOD)
    template = DocumentTemplate.objects.get()
    urls = [
        "/documents/templates/pre2025/06/",
        "/documents/templates/pre2025/06/review/upload/",
        "/documents/templates/pre2025/06/review/shipped/",
        f"/documents/templates/{template.pk}/",
        f"/documents/templates/{template.pk}/file/",
    ]
    for url in urls:
        assert owner.get(url).status_code == 200, url
    # Another province and a district (it does not see the province) do not find it; a viewer may not manage it.
    from accounts.models import User
    from accounts.roles import Role
    from conftest import PASSWORD, unit

    other = User.objects.create_user(
        "p.caobang", password=PASSWORD, role=Role.PROVINCE_OFFICER, unit=unit("2025", "04")
    )
    for persona, status in ((other, 404), (personas["district_officer"], 404), (personas["viewer"], 403)):
        client = client_for(persona)
        for url in urls:
            assert client.get(url).status_code == status, (persona, url)
        assert client.post(f"/documents/templates/{template.pk}/activate/").status_code == status
    assert client_for(None).get(urls[0]).status_code == 302
    template.refresh_from_db()
    assert not template.is_active
    # The menu shows the entry to those who may use it only.
    assert 'href="/documents/templates/"' not in client_for(personas["viewer"]).get("/documents/").content.decode()
    owner = client_for(personas["old_province_officer"])
    assert 'href="/documents/templates/"' in owner.get("/documents/").content.decode()
    # The shipped template offered to start from holds the fields it lists.
    shipped = owner.get("/documents/templates/pre2025/06/review/shipped/")
    assert docx_fill.check(docx.Document(io.BytesIO(shipped.content)), SPEC)[:2] == [
        "issuing_body_above",
        "issuing_body",
    ]

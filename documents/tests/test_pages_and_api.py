"""Asking for a document, following it and downloading it, on the pages and through the API, for each
persona: a document is seen by those who see its area (404 for the others), and a bad request — an area
outside the scope, years across the reform on the old tree, years without data — is refused with a
clear Vietnamese message and leaves nothing listed."""

import io

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from core.limits import Ending
from documents import services
from documents.models import Document, DocumentStatus

pytestmark = pytest.mark.django_db


def _ask(client, capture, **data):
    with capture(execute=True):
        return client.post("/documents/new/", {"kind": "workbook", "area": "pre2025:06", "years": "2016-2018", **data})


def test_an_officer_asks_for_a_workbook_follows_it_and_downloads_it(
    seed_world, personas, client_for, django_capture_on_commit_callbacks
):
    officer = personas["old_province_officer"]
    client = client_for(officer)
    form = client.get("/documents/new/")
    assert form.status_code == 200
    assert 'value="pre2025:06"' in form.content.decode()
    response = _ask(client, django_capture_on_commit_callbacks)
    document = Document.objects.get()
    assert response.status_code == 302 and response.url == f"/documents/{document.pk}/"
    assert document.status == DocumentStatus.DONE and document.progress == 100
    assert (document.area.code, document.tree, document.first_year, document.last_year) == ("06", "pre2025", 2016, 2018)
    assert document.requested_by == officer and document.data_as_of is not None
    assert document.template_version == "shipped:workbook:1"
    page = client.get(f"/documents/{document.pk}/").content.decode()
    for shown in (
        "Sẵn sàng",
        "Tải về",
        "Tỉnh Bắc Kạn",
        "2016–2018",
        "Mẫu có sẵn của hệ thống",
        "bao-cao-thong-ke-06-2016-2018.xlsx",
    ):
        assert shown in page, shown
    download = client.get(f"/documents/{document.pk}/download/")
    assert download.status_code == 200
    assert 'filename="bao-cao-thong-ke-06-2016-2018.xlsx"' in download["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book["Gia đình học tập"]["L4"].value == 155_235
    listing = client.get("/documents/").content.decode()
    assert f'href="/documents/{document.pk}/download/"' in listing

    # Who else sees it: those who see the province (the 2025 province it merged into), nobody else.
    for persona, expected in (
        ("viewer", 200),
        ("province_officer", 200),
        ("district_officer", 404),
        ("commune_officer", 404),
        ("village_officer", 404),
    ):
        other = client_for(personas[persona])
        assert other.get(f"/documents/{document.pk}/").status_code == expected, persona
        assert other.get(f"/documents/{document.pk}/download/").status_code == expected, persona
        listed = f"/documents/{document.pk}/" in other.get("/documents/").content.decode()
        assert listed == (expected == 200), persona
    assert client_for(None).get(f"/documents/{document.pk}/").status_code == 302


def test_bad_requests_are_refused_in_vietnamese_and_leave_nothing_listed(
    seed_world, personas, client_for, django_capture_on_commit_callbacks
):
    # An area outside the scope: not found, as for an area that does not exist.
    district = client_for(personas["district_officer"])
    assert _ask(district, django_capture_on_commit_callbacks).status_code == 404
    assert _ask(district, django_capture_on_commit_callbacks, area="pre2025:99").status_code == 404
    officer = client_for(personas["old_province_officer"])
    for years, message in (
        ("2024-2025", "Từ năm 2025, số liệu chỉ được ghi trên cây đơn vị 2025"),
        ("2005", "Chưa có số liệu năm 2005"),
        ("2018-2016", "Ghi năm đầu trước"),
        ("năm ngoái", "Ghi một năm hoặc một khoảng năm, ví dụ 2016-2018."),
    ):
        response = _ask(officer, django_capture_on_commit_callbacks, years=years)
        assert response.status_code == 200, years
        assert message in response.content.decode(), years
    assert not Document.objects.exists()


def test_a_job_stopped_half_way_keeps_no_file_and_says_why(seed_world, personas, client_for):
    officer = personas["old_province_officer"]
    document = services.document_request(
        actor=officer, kind="review", area=officer.unit, period=services.parse_period("2016-2018")
    )
    services.document_stopped(document.pk, Ending.MEMORY)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED and not document.file
    client = client_for(officer)
    assert "cần nhiều hơn" in client.get(f"/documents/{document.pk}/").content.decode()
    assert client.get(f"/documents/{document.pk}/download/").status_code == 404
    assert "/download/" not in client.get("/documents/").content.decode()


def test_the_api_asks_follows_and_downloads(seed_world, personas, client_for, django_capture_on_commit_callbacks):
    client = client_for(personas["old_province_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            "/api/v1/documents/",
            {"kind": "review", "area": "pre2025:06", "years": "2016-2018"},
            content_type="application/json",
        )
    assert asked.status_code == 202, asked.content
    assert asked.json()["status"] == "queued"
    pk = asked.json()["id"]
    status = client.get(f"/api/v1/documents/{pk}/").json()
    assert (status["status"], status["progress"], status["area"], status["kind"]) == (
        "done",
        100,
        "pre2025:06",
        "review",
    )
    assert status["download"].endswith(f"/api/v1/documents/{pk}/download/")
    assert status["data_as_of"] and status["template_version"] == "shipped:review:1"
    download = client.get(f"/api/v1/documents/{pk}/download/")
    report = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert any("155.235 lượt hộ gia đình" in p.text for p in report.paragraphs)
    assert [d["id"] for d in client.get("/api/v1/documents/", {"kind": "review"}).json()["results"]] == [pk]

    other = client_for(personas["commune_officer"])
    assert other.get(f"/api/v1/documents/{pk}/").status_code == 404
    assert other.get(f"/api/v1/documents/{pk}/download/").status_code == 404
    assert other.get("/api/v1/documents/").json()["results"] == []
    refused = other.post(
        "/api/v1/documents/",
        {"kind": "review", "area": "pre2025:06", "years": "2016-2018"},
        content_type="application/json",
    )
    assert refused.status_code == 404
    client = client_for(personas["old_province_officer"])
    bad = client.post(
        "/api/v1/documents/",
        {"kind": "review", "area": "pre2025:06", "years": "2016-2025"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "Từ năm 2025" in bad.json()["years"][0]
    unreadable = client.post(  # several messages at once (found by the schema fuzzer: it was a 500)
        "/api/v1/documents/",
        {"kind": "review", "area": "pre2025:06", "years": "\x1d\x07"},
        content_type="application/json",
    )
    assert unreadable.status_code == 400 and len(unreadable.json()["years"]) == 2
    for made_from_a_decision in ("certificates", "award_certificates"):  # asked for as an area's: refused
        wrong = client.post(
            "/api/v1/documents/",
            {"kind": made_from_a_decision, "area": "pre2025:06", "years": "2018"},
            content_type="application/json",
        )
        assert wrong.status_code == 400 and {"kind", "decision"} & set(wrong.json())
    assert Document.objects.count() == 1
    assert client_for(None).get("/api/v1/documents/").status_code in (401, 403)


def test_the_command_refuses_bad_input_with_a_message(seed_world, tmp_path):
    out = tmp_path / "x.docx"
    with pytest.raises(CommandError, match="Từ năm 2025"):
        call_command("make_document", "review", "--area", "pre2025:06", "--years", "2023-2025", "--out", str(out))
    with pytest.raises(CommandError, match="pre2025:99"):
        call_command("make_document", "review", "--area", "pre2025:99", "--years", "2018", "--out", str(out))
    assert not out.exists() and not Document.objects.exists()

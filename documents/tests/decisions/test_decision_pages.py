"""The documents of a decision asked for from its page as the personas, scoped like the decision: a
village officer's file names their own village's households only; outside the scope, 404; anonymous, the
login page; the viewer through the API."""

import io

import docx
import pytest
from django.urls import reverse

from documents.models import Document, DocumentStatus

from .helpers import ask, docx_lines, pdf_text, publish, squash

pytestmark = pytest.mark.django_db

# From the pages, as the personas -----------------------------------------------------------------


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

    response = ask(client, decision, "decision", django_capture_on_commit_callbacks)
    document = Document.objects.get(kind="decision")
    assert response.url == reverse("documents:detail", args=[document.pk])
    assert document.status == DocumentStatus.DONE and document.decision == decision
    detail = client.get(response.url).content.decode()
    assert "12/QĐ-UBND" in detail
    download = client.get(reverse("documents:download", args=[document.pk]))
    word = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "Nông Thị Dung" in "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)

    # A draft's PDF is refused with the reason, on the page; nothing is made.
    response = ask(client, decision, "decision_pdf", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    follow = client.get(response.url).content.decode()
    assert "chưa được ban hành" in follow
    assert not Document.objects.filter(kind="decision_pdf").exists()


def test_a_village_officers_file_names_their_own_villages_households_only(
    households_decision, people, client, django_capture_on_commit_callbacks
):
    decision, _evaluations = households_decision
    publish(decision, people)
    client.force_login(people["village_officer"])
    for kind in ("decision_pdf", "meeting_minutes"):
        response = ask(client, decision, kind, django_capture_on_commit_callbacks)
        assert response.status_code == 302, kind
    made = {d.kind: d for d in Document.objects.filter(requested_by=people["village_officer"])}
    assert set(made) == {"decision_pdf", "meeting_minutes"}
    pdf = squash(pdf_text(made["decision_pdf"].file.path))
    assert "Hoàng Văn An" in pdf and "Lý Thị Bình" in pdf
    assert "Nông Thị Dung" not in pdf and "Triệu Văn Ém" not in pdf
    assert "Trích danh sách: 2 trong tổng số 4 hộ gia đình được công nhận" in pdf
    assert "cho 4 hộ gia đình" in pdf  # the decision's own article counts them all
    minutes = "\n".join(docx_lines(made["meeting_minutes"].file.path))
    assert "Hoàng Văn An" in minutes and "Nông Thị Dung" not in minutes
    # The commune's whole file is the commune's: the village officer does not reach it.
    client.force_login(people["commune_officer"])
    ask(client, decision, "decision", django_capture_on_commit_callbacks)
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
    publish(decision, people)
    client.force_login(people["viewer"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/documents/", {"kind": "decision_pdf", "decision": decision.pk}, content_type="application/json"
        )
    assert answer.status_code in (201, 202), answer.content
    document = Document.objects.get(kind="decision_pdf")
    assert document.status == DocumentStatus.DONE
    assert "Triệu Văn Ém" in pdf_text(document.file.path)


def test_a_communes_decision_offers_its_dossier_and_not_the_village_minutes(commune_decision, people, client):
    decision, _evaluation = commune_decision
    client.force_login(people["province_officer"])
    page = client.get(reverse("documents:for_decision", args=[decision.pk])).content.decode()
    assert "Hồ sơ đề nghị của xã: tờ trình, biên bản tự kiểm tra, bảng chấm điểm (.docx)" in page
    assert "Biên bản họp thôn" not in page
    assert 'name="kind" value="commune_dossier"' in page and 'value="decision_pdf"' not in page  # a draft


def test_the_files_name_keeps_the_decisions_number_and_its_page_has_a_title(
    households_decision, people, client, django_capture_on_commit_callbacks
):
    """“12/QĐ-UBND” names the file “…-12-qd-ubnd” (Đ is not dropped); the page's heading is the
    document's title, not the button that asked for it."""
    decision, _evaluations = households_decision
    client.force_login(people["commune_officer"])
    ask(client, decision, "decision", django_capture_on_commit_callbacks)
    document = Document.objects.get(decision=decision, kind="decision")
    assert document.file_name == "quyet-dinh-cong-nhan-01843-12-qd-ubnd.docx"
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "<h1>Quyết định công nhận kèm danh sách (bản Word)</h1>" in page

"""An award decision printed: its text with the list (.docx), its certificates of merit (.pdf, one page
per recipient, the Noto font embedded with every character printed), and the review report's section
on awards. Each file is opened and read."""

import io
import subprocess

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from areas.models import AdministrativeUnit, Tree
from awards import decisions
from documents import award_docs, review
from documents.models import Document, DocumentStatus
from documents.services import run_document

pytestmark = pytest.mark.django_db


def _docx_text(word) -> str:
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _made(personas, kind, decision, capture) -> Document:
    with capture(execute=True):  # the tests' worker makes it at once, when the request commits
        document = award_docs.document_request_for_award(
            actor=personas["district_officer"], kind=kind, decision=decision
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.message
    return document


def test_the_decision_docx_names_its_number_kind_and_every_recipient(
    published, personas, django_capture_on_commit_callbacks
):
    document = _made(personas, "award_decision", published, django_capture_on_commit_callbacks)
    assert document.award_decision == published and document.area.code == "064"
    word = docx.Document(io.BytesIO(document.file.read()))
    text = _docx_text(word)
    masthead = word.tables[0].rows[0].cells
    assert "HỘI KHUYẾN HỌC HUYỆN CHỢ ĐỒN" in masthead[0].text
    assert "Số: 15/QĐ-HKH" in masthead[0].text
    assert "ngày 28 tháng 11 năm 2018" in masthead[1].text
    assert "Về việc tặng Giấy khen của Hội Khuyến học cấp huyện" in text
    assert "cho 1 tập thể, 1 gia đình và 1 cá nhân" in text
    assert "giai đoạn 2016–2018" in text
    for name in ("Hội Khuyến học xã Bản Thi", "Hoàng Văn Thắng", "Nông Thị Mỹ Dung", "Ma Văn Tường"):
        assert name in text, name
    assert "Kèm theo Quyết định số 15/QĐ-HKH" in text


def test_certificates_one_page_per_recipient_with_embedded_font(
    published, personas, django_capture_on_commit_callbacks, tmp_path
):
    document = _made(personas, "award_certificates", published, django_capture_on_commit_callbacks)
    reader = PdfReader(io.BytesIO(document.file.read()))
    assert len(reader.pages) == 3
    pages = [page.extract_text() for page in reader.pages]
    names = ["Hội Khuyến học xã Bản Thi", "Hoàng Văn Thắng", "Nông Thị Mỹ Dung"]
    for name in names:
        assert sum(name in page for page in pages) == 1, name
    for page in pages:
        assert "GIẤY KHEN" in page and "15/QĐ-HKH" in page and "Ma Văn Tường" in page
    # The fonts are carried in the file, and cover every character printed.
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = (
                font.get_object().get("/FontDescriptor")
                or font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            data = descriptor.get_object().get("/FontFile2") or descriptor.get_object().get("/FontFile3")
            assert data is not None, "a font is not embedded"
            fonts.append(TTFont(io.BytesIO(data.get_object().get_data())))
    covered = set()
    for font in fonts:
        covered |= set(font.getBestCmap() or {})
    printed = {ord(c) for name in names for c in name if not c.isspace()}
    assert printed <= covered, {chr(c) for c in printed - covered}
    # The first page as an image: a landscape page with ink on it (the text was drawn, not left blank).
    pdf = tmp_path / "giay-khen.pdf"
    pdf.write_bytes(document.file.open("rb").read())
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert image.width > image.height
    dark = sum(image.histogram()[:128])
    assert dark > 0.005 * image.width * image.height


def test_certificates_are_refused_for_a_draft_and_nothing_is_listed(nominate, family, personas):
    nomination = nominate(family)
    from awards import services

    services.nomination_submit(nomination=nomination, actor=nomination.created_by)
    services.nomination_select(nomination=nomination, actor=personas["district_officer"])
    import datetime

    draft = decisions.award_decision_create(
        actor=personas["district_officer"],
        kind=nomination.kind,
        issuing_area=nomination.awarding_area,
        nominations=[nomination],
        number="20/QĐ-HKH",
        date=datetime.date(2018, 12, 2),
        issuing_body="Hội Khuyến học huyện Chợ Đồn",
        signer="Ma Văn Tường",
        signer_title="Chủ tịch",
    )
    with pytest.raises(ValidationError) as refused:
        award_docs.document_request_for_award(
            actor=personas["district_officer"], kind="award_certificates", decision=draft
        )
    assert "20/QĐ-HKH" in refused.value.messages[0]
    assert not Document.objects.filter(award_decision=draft).exists()


def test_the_print_button_queues_the_file_and_another_district_gets_404(
    published, personas, client, django_capture_on_commit_callbacks
):
    client.force_login(personas["other_district_officer"])
    url = reverse("documents:award_print", args=[published.pk])
    assert client.post(url, {"kind": "award_decision"}).status_code == 404
    client.force_login(personas["district_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "award_certificates"})
    document = Document.objects.get(award_decision=published)
    assert document.status == DocumentStatus.DONE, document.message
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[document.pk])
    assert document.file_name.endswith(".pdf")


def test_the_review_report_lists_the_certificates_of_merit_of_its_period(published, tmp_path):
    cho_don = AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code="064")
    document = Document(kind="review", area=cho_don, tree=Tree.PRE_2025, first_year=2016, last_year=2018)
    path = tmp_path / "review.docx"
    review.make_interim(document, str(path), lambda share: None)
    text = _docx_text(docx.Document(str(path)))
    assert "6. Công tác khen thưởng" in text
    assert "đã có 1 tập thể, 1 gia đình và 1 cá nhân được khen thưởng theo 1 quyết định" in text
    assert "Quyết định số 15/QĐ-HKH ngày 28/11/2018" in text
    for name in ("Hội Khuyến học xã Bản Thi", "Nông Thị Mỹ Dung"):
        assert name in text
    # A period without a published award says so.
    document.first_year = document.last_year = 2017
    review.make_interim(document, str(path), lambda share: None)
    assert "chưa ghi nhận quyết định khen thưởng nào" in _docx_text(docx.Document(str(path)))


def test_revoked_awards_leave_the_review(published, personas, tmp_path):
    decisions.award_decision_revoke(actor=personas["district_officer"], decision=published, reason="Sai sót")
    cho_don = AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code="064")
    document = Document(kind="review", area=cho_don, tree=Tree.PRE_2025, first_year=2018, last_year=2018)
    path = tmp_path / "review.docx"
    review.make_interim(document, str(path), lambda share: None)
    assert "15/QĐ-HKH" not in _docx_text(docx.Document(str(path)))


def test_run_document_without_a_decision_fails_cleanly(published):
    cho_don = published.issuing_area
    document = Document.objects.create(
        kind="award_decision", area=cho_don, tree=cho_don.tree, first_year=2018, last_year=2018
    )
    run_document(document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED and not document.file
    assert "quyết định khen thưởng" in document.message or "award decision" in document.message

"""The certificates' PDF, opened as a reader opens it: one page per recognised household with its name,
the decision's number and date; the fonts embedded and covering every character printed, with real
outlines for the Vietnamese letters; a QR code holding the page's own check address; and page one
drawn as a reference image shows it (pdftoppm, compared in grey at a small size within a tolerance)."""

import io
import os
import subprocess
from pathlib import Path

import pytest
import segno
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops
from pypdf import PdfReader

from conftest import unit
from documents import services
from documents.certificates import NAME_SIZES, QR_MASK, SMALLEST, check_url, size_class
from documents.models import Document
from evaluations.certificate_models import Certificate
from evaluations.certificates import NAME_MAX_CHARS
from evaluations.tests.certificate_helpers import (
    ISSUING_BODY,
    NUMBER,
    SIGNER,
    approved_households,
    decision_of,
    unit_decision,
)

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "certificate_reference.png"
PUBLIC_URL = "https://khuyenhoc.example.vn"
NAMES = ["Nguyễn Thị Ngọc Ánh", "Hoàng Văn Thụ", "Triệu Thị Lự", "Đặng Ỷ Nhữ"]
# A unit's name long enough for the smallest size, on two lines, and at the limit.
LONG = ("Trường Phổ thông Dân tộc Nội trú Trung học cơ sở và Trung học phổ thông huyện Chợ Đồn tỉnh Bắc Kạn " * 2)[
    : NAME_MAX_CHARS - 1
].strip() + "ữ"


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.KHUYENHOC_PUBLIC_URL = PUBLIC_URL


@pytest.fixture
def officer(db, villages):
    from conftest import _account

    return _account("c.backan", "commune_officer", tree="2025", code="01843")


@pytest.fixture
def decision(officer, admin_user, villages, reform_year):
    recognised = approved_households(officer, admin_user, villages["song_cau_1"], NAMES, reform_year)
    return decision_of(officer, recognised, reform_year, issuing_area=unit("2025", "01843"))


def made(decision, tmp_path, name="giay.pdf") -> Path:
    out = tmp_path / name
    call_command(
        "make_document", "certificates", "--decision", str(decision.pk), "--out", str(out), stdout=io.StringIO()
    )
    return out


def page_fonts(resources):
    """The fonts a page draws with, its background form's included."""
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from page_fonts(xobject["/Resources"].get_object())


def test_one_page_per_household_with_name_number_and_date(decision, tmp_path, reform_year):
    reader = PdfReader(made(decision, tmp_path))
    assert len(reader.pages) == len(NAMES)
    certificates = list(
        Certificate.objects.filter(decision=decision).order_by("evaluation__area__path", "evaluation_id")
    )
    for page, name, certificate in zip(reader.pages, NAMES, certificates, strict=True):
        text = " ".join(page.extract_text().split())
        assert certificate.name == name
        assert name in text
        assert f"Quyết định số {NUMBER} ngày 05/12/{reform_year}" in text
        assert f"ngày 05 tháng 12 năm {reform_year}" in text
        assert f"“Gia đình học tập” năm {reform_year}" in text
        assert "Tổ dân phố 1, phường Bắc Kạn, tỉnh Thái Nguyên" in text
        assert ISSUING_BODY.upper() in text and SIGNER in text
        assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
        assert check_url(certificate.token) in text.replace(" ", "")


def test_every_character_printed_is_an_embedded_glyph(decision, tmp_path):
    reader = PdfReader(made(decision, tmp_path))
    for page in reader.pages:
        printed = {ch for ch in page.extract_text() if not ch.isspace()}
        covered, outlined = set(), set()
        for font in page_fonts(page["/Resources"].get_object()):
            assert "Noto" in font["/BaseFont"]
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            embedded = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))  # embedded, not named
            cmap = embedded.getBestCmap()
            glyphs = embedded["glyf"]
            for code, glyph_name in cmap.items():
                covered.add(chr(code))
                if glyphs[glyph_name].numberOfContours != 0:
                    outlined.add(chr(code))
        assert printed <= covered, printed - covered
        vietnamese = {ch for ch in printed if ord(ch) > 127 and ch.isalpha()}
        assert {"ễ", "ọ", "Á", "ậ", "Ộ", "ư", "Đ"} & vietnamese  # the page does print marked letters
        assert vietnamese <= outlined  # each one drawn by its own outline, not a blank or a box


def drawn_images(page):
    """The images the page's own content draws (its resources may list a whole chunk's)."""
    from pypdf.generic import ContentStream

    xobjects = page["/Resources"].get_object()["/XObject"].get_object()
    names = [ops[0] for ops, op in ContentStream(page.get_contents(), page.pdf).operations if op == b"Do"]
    drawn = {xobjects.raw_get(name).idnum for name in names if xobjects[name].get_object()["/Subtype"] == "/Image"}
    return [image.image for image in page.images if image.indirect_reference.idnum in drawn]


def test_the_qr_code_holds_the_page_own_check_address(decision, tmp_path):
    reader = PdfReader(made(decision, tmp_path))
    certificates = list(
        Certificate.objects.filter(decision=decision).order_by("evaluation__area__path", "evaluation_id")
    )
    for page, certificate in zip(reader.pages, certificates, strict=True):
        (image,) = drawn_images(page)
        drawn = image.convert("1")
        out = io.BytesIO()
        segno.make(check_url(certificate.token), error="m", micro=False, mask=QR_MASK).save(
            out, kind="png", scale=1, border=4
        )
        expected = Image.open(out).convert("1")
        assert drawn.size == expected.size
        assert ImageChops.difference(drawn, expected).getbbox() is None


def test_page_one_looks_like_the_reference(decision, tmp_path):
    """Drawn at 40 dpi in grey and shrunk to 240×170 (1.2 mm a pixel): the mean difference from the
    committed reference stays under 0.4 of 255 and at most 0.25 % of the pixels differ by more than 64.
    Anti-aliasing and hinting change edges by less than a pixel at that size; a missing name (mean 1.0,
    0.65 % far), a missing decision line (0.55, 0.44 %) or the layout moved by a pixel (6.3, 4.2 %)
    fail, as measured when the reference was made."""
    pdf = made(decision, tmp_path)
    certificate = Certificate.objects.filter(decision=decision).order_by("evaluation__area__path", "evaluation_id")[0]
    # The QR code and its address hold the random code: drawn over with the reference's own.
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")], check=True
    )
    (drawn_path,) = tmp_path.glob("p*.png")
    drawn = _comparable(Image.open(drawn_path), certificate.token)
    if os.environ.get("KHUYENHOC_WRITE_REFERENCE"):  # after a deliberate change of the layout, looked at first
        drawn.save(REFERENCE)
    reference = Image.open(REFERENCE).convert("L")
    assert drawn.size == reference.size
    difference = ImageChops.difference(drawn, reference)
    pixels = list(difference.get_flattened_data())
    mean = sum(pixels) / len(pixels)
    far = sum(1 for p in pixels if p > 64) / len(pixels)
    assert mean < 0.4, mean
    assert far < 0.0025, far


SIZE = (240, 170)
# Where the random parts are (QR code, its address), as a share of the page: blanked before comparing.
RANDOM_BOX = (15 / 297, 155 / 210, 150 / 297, 195 / 210)


def _comparable(image, token):
    image = image.convert("L")
    width, height = image.size
    box = tuple(int(v * (width if i % 2 == 0 else height)) for i, v in enumerate(RANDOM_BOX))
    image.paste(255, box)
    return image.resize(SIZE, Image.Resampling.BOX)


def test_a_long_name_is_printed_smaller_on_its_one_page(officer, reform_year, tmp_path):
    decision, _school = unit_decision(officer, LONG, reform_year, issuing_area=unit("2025", "01843"))
    assert size_class(LONG) == SMALLEST and size_class("Lò Văn A") == NAME_SIZES[0][1]
    reader = PdfReader(made(decision, tmp_path))
    assert len(reader.pages) == 1  # nothing pushed onto a page of its own
    text = " ".join(reader.pages[0].extract_text().split())
    assert " ".join(LONG.split()) in text and "“Đơn vị học tập”" in text


def test_a_name_too_long_is_refused_when_asked_for_and_nothing_is_listed(officer, reform_year):
    decision, school = unit_decision(officer, LONG + " và Mầm non", reform_year, issuing_area=unit("2025", "01843"))
    with pytest.raises(ValidationError) as error:
        services.document_request_for_decision(actor=officer, kind="certificates", decision=decision)
    assert school.code in error.value.messages[0]
    assert not Document.objects.exists() and not Certificate.objects.exists()


def test_a_draft_or_revoked_decision_gives_no_certificates(officer, admin_user, villages, reform_year):
    from evaluations import decisions

    recognised = approved_households(officer, admin_user, villages["song_cau_1"], ["Lò Văn A"], reform_year)
    draft = decision_of(officer, recognised, reform_year, issuing_area=unit("2025", "01843"), publish=False)
    with pytest.raises(ValidationError) as error:
        services.document_request_for_decision(actor=officer, kind="certificates", decision=draft)
    assert "chưa ban hành" in error.value.messages[0]
    published = decisions.decision_publish(actor=officer, decision=draft)
    revoked = decisions.decision_revoke(actor=officer, decision=published, reason="Sai danh sách")
    with pytest.raises(ValidationError) as error:
        services.document_request_for_decision(actor=officer, kind="certificates", decision=revoked)
    assert "đã bị thu hồi" in error.value.messages[0]
    assert not Document.objects.exists()


def test_a_decision_revoked_after_the_request_fails_the_job_without_a_file(
    decision, officer, django_capture_on_commit_callbacks
):
    from evaluations import decisions

    document = services.document_request_for_decision(actor=officer, kind="certificates", decision=decision)
    decisions.decision_revoke(actor=officer, decision=decision, reason="Sai danh sách")
    services.run_document(document.pk)
    document.refresh_from_db()
    assert document.status == "failed" and not document.file
    assert "đã bị thu hồi" in document.message


def _ask(client, decision, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("documents:for_decision", args=[decision.pk]), {"kind": "certificates"})


def test_the_published_decisions_page_prints_its_certificates(
    decision, officer, client, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    page = client.get(reverse("evaluations:decision", args=[decision.pk])).content.decode()
    assert "In giấy chứng nhận" in page
    response = _ask(client, decision, django_capture_on_commit_callbacks)
    document = Document.objects.get(kind="certificates", decision=decision)
    assert response.url == reverse("documents:detail", args=[document.pk])
    detail = client.get(response.url).content.decode()
    assert "<h1>Giấy chứng nhận theo quyết định công nhận</h1>" in detail  # the title, not the button
    download = client.get(reverse("documents:download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages) == len(NAMES)


def test_a_name_too_long_is_said_on_the_decisions_page(
    officer, reform_year, client, django_capture_on_commit_callbacks
):
    decision, school = unit_decision(officer, LONG + " và Mầm non", reform_year, issuing_area=unit("2025", "01843"))
    client.force_login(officer)
    response = _ask(client, decision, django_capture_on_commit_callbacks)
    page = client.get(response.url).content.decode()
    assert school.code in page and "rút gọn tên" in page
    assert not Document.objects.exists()


def test_a_draft_offers_no_certificates_yet(officer, admin_user, villages, reform_year, client):
    recognised = approved_households(officer, admin_user, villages["song_cau_1"], ["Lò Văn A"], reform_year)
    draft = decision_of(officer, recognised, reform_year, issuing_area=unit("2025", "01843"), publish=False)
    client.force_login(officer)
    page = client.get(reverse("evaluations:decision", args=[draft.pk])).content.decode()
    assert 'value="certificates"' not in page


def test_the_api_refuses_a_name_too_long_with_a_400_naming_the_subject(officer, reform_year, client):
    decision, school = unit_decision(officer, LONG + " và Mầm non", reform_year, issuing_area=unit("2025", "01843"))
    client.force_login(officer)
    response = client.post(
        "/api/v1/documents/", {"kind": "certificates", "decision": decision.pk}, content_type="application/json"
    )
    assert response.status_code == 400
    (message,) = response.json()["decision"]
    assert school.code in message and "rút gọn tên" in message
    assert not Document.objects.exists()


def test_each_title_states_its_place(villages):
    from types import SimpleNamespace

    from documents.certificates import where

    phuong = unit("2025", "01843")
    village = villages["song_cau_1"]
    provinces: dict = {}
    household = SimpleNamespace(title="household", area=phuong, subject=SimpleNamespace(village=village))
    assert where(household, provinces) == "Tổ dân phố 1, phường Bắc Kạn, tỉnh Thái Nguyên"
    for title in ("clan", "village", "unit"):
        assert where(SimpleNamespace(title=title, area=phuong, subject=None), provinces) == (
            "Phường Bắc Kạn, tỉnh Thái Nguyên"
        )
    assert where(SimpleNamespace(title="commune", area=phuong, subject=None), provinces) == "Tỉnh Thái Nguyên"
    province = unit("2025", "19")
    assert where(SimpleNamespace(title="unit", area=province, subject=None), provinces) == "Tỉnh Thái Nguyên"

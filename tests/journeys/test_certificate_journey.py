"""Certificates in a real browser: the commune officer publishes a decision and prints its certificates;
a visitor who is not logged in opens the address of a certificate's QR code on a phone and sees it
confirmed; the officer revokes the decision, and the same address then says the certificate was revoked.

The QR code is read back from the PDF and compared module by module with the code of the address
printed under it, so the visitor opens what a phone scanning the paper would open."""

import io
import os
import tempfile
from pathlib import Path

import pytest
import segno
from django.conf import settings
from PIL import Image, ImageChops
from pypdf import PdfReader

from conftest import put_back_what_migrations_bring
from documents.certificates import QR_MASK
from documents.models import Document
from evaluations.certificate_models import Certificate
from evaluations.models import DecisionStatus, RecognitionDecision
from evaluations.tests.certificate_helpers import approved_households, decision_of

from .helpers import sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]
SCREENS = {"phone": {"width": 360, "height": 740}, "office": {"width": 1366, "height": 768}}
NAMES = ["Hoàng Thị Thu", "Đặng Văn Lực"]


FOLDER = Path(os.environ.get("KHUYENHOC_WALK_SCREENSHOTS") or tempfile.mkdtemp(prefix="khuyenhoc-certificates-"))


def fits(page, name="page"):
    page.screenshot(path=str(FOLDER / f"certificate-{name}-{page.viewport_size['width']}.png"), full_page=True)
    overflow = sideways_overflow(page)
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"
    assert "msgid" not in page.content()


def scanned(pdf: bytes, page_number: int) -> str:
    """The address printed under the page's QR code, after checking that the code drawn holds it."""
    page = PdfReader(io.BytesIO(pdf)).pages[page_number]
    text = "".join(page.extract_text().split())
    start = text.index(settings.KHUYENHOC_PUBLIC_URL)
    url = text[start : text.index("/", text.index("giay-chung-nhan/") + len("giay-chung-nhan/")) + 1]
    expected = io.BytesIO()
    segno.make(url, error="m", micro=False, mask=QR_MASK).save(expected, kind="png", scale=1, border=4)
    expected = Image.open(expected).convert("1")
    assert any(
        image.image.size == expected.size
        and ImageChops.difference(image.image.convert("1"), expected).getbbox() is None
        for image in page.images
    )
    return url


def test_publish_print_check_revoke(browser, live_server, commune_officer, settings):
    put_back_what_migrations_bring()  # the shipped criteria sets and approving levels
    settings.KHUYENHOC_PUBLIC_URL = live_server.url
    from areas.models import AdministrativeUnit, Village

    year = settings.KHUYENHOC_REFORM_YEAR
    village = Village.objects.get(name="Tổ dân phố Sông Cầu 1")
    recognised = approved_households(commune_officer, commune_officer, village, NAMES, year)
    phuong = AdministrativeUnit.objects.get(tree="2025", code="01843")
    draft = decision_of(commune_officer, recognised, year, issuing_area=phuong, publish=False)

    office = browser.new_page(viewport=SCREENS["office"])
    office.goto(f"{live_server.url}/")
    office.fill("input[name=username]", "xa.backan")
    office.fill("input[name=password]", "mat-khau-xa-1")
    with office.expect_navigation():
        office.click("main button[type=submit]")
    office.goto(f"{live_server.url}/evaluations/decisions/{draft.pk}/")
    with office.expect_navigation():
        office.click("main button:text-is('Ban hành')")
    assert RecognitionDecision.objects.get().status == DecisionStatus.PUBLISHED

    office.click("main button:text-is('In giấy chứng nhận (.pdf)')")
    office.wait_for_url("**/documents/*/")
    document = Document.objects.get(kind="certificates")
    office.reload()
    fits(office, "document")
    with office.expect_download() as download:
        office.click("main a[href$='/download/']")
    pdf = open(download.value.path(), "rb").read()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(NAMES) == Certificate.objects.count()
    document.refresh_from_db()
    assert document.status == "done"
    url = scanned(pdf, 1)

    visitor = browser.new_context(viewport=SCREENS["phone"])  # no login, no cookies
    phone = visitor.new_page()
    response = phone.goto(url)
    assert response.status == 200 and response.headers["x-robots-tag"].startswith("noindex")
    body = phone.locator("main").inner_text()
    assert "Giấy chứng nhận này có giá trị." in body
    assert "Đặng Văn Lực" in body and "Hoàng Thị Thu" not in body
    assert "Gia đình học tập" in body and "12/QĐ-UBND" in body
    assert phone.locator("meta[name=robots]").get_attribute("content").startswith("noindex")
    fits(phone, "check")
    wide = visitor.new_page()
    wide.set_viewport_size(SCREENS["office"])
    wide.goto(url)
    fits(wide, "check")

    office.goto(f"{live_server.url}/evaluations/decisions/{draft.pk}/")
    office.fill("textarea[name=reason]", "Lập sai danh sách")
    with office.expect_navigation():
        office.click("main button:text-is('Thu hồi quyết định')")
    assert RecognitionDecision.objects.get().status == DecisionStatus.REVOKED

    phone.goto(url)
    body = phone.locator("main").inner_text()
    assert "đã bị thu hồi" in body
    assert "có giá trị." not in body
    fits(phone, "revoked")
    visitor.close()

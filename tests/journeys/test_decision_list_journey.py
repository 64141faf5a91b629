"""Journey: on a phone, the commune officer drafts a decision from a long list of households. Every one
is ticked; she finds Vi Thị Hoa by typing "thi hoa" without accents, unticks the rows found, clears the
search, and saves: the draft recognises everyone else. Screenshots in $JOURNEY_ARTEFACTS (a temporary
folder when unset)."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from areas.models import Village
from conftest import put_back_what_migrations_bring
from evaluations.models import RecognitionDecision
from evaluations.tests.certificate_helpers import approved_households

from .helpers import SCREENS, log_in, sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]
NAMES = ["Lò Văn Hạnh", "Vi Thị Hoa", "Hoàng Văn Hoà", "Nguyễn Thị Lan"]


def test_the_officer_finds_households_in_a_long_list_without_accents_and_unticks_them(
    browser, live_server, commune_officer, tmp_path
):
    put_back_what_migrations_bring()  # the shipped criteria sets and approving levels
    folder = Path(os.environ.get("JOURNEY_ARTEFACTS") or tmp_path) / "decision-list"
    folder.mkdir(parents=True, exist_ok=True)
    year = settings.KHUYENHOC_REFORM_YEAR
    village = Village.objects.get(name="Tổ dân phố Sông Cầu 1")
    approved_households(commune_officer, commune_officer, village, NAMES, year)

    page = browser.new_page(viewport=SCREENS["phone"])
    path = f"/evaluations/decisions/new/?title=household&year={year}&area=2025:01843"
    log_in(page, live_server, path, "xa.backan", "mat-khau-xa-1")
    status = page.locator("[data-filter-status]")
    assert status.inner_text() == "Đã chọn 4 / 4. Đang hiện 4."

    page.fill("input[name=number]", "15/QĐ-UBND")
    page.fill("input[name=signer]", "Nguyễn Văn Bình")
    page.fill("#candidate-filter", "thi hoa")  # every word, any order, no accents
    assert status.inner_text() == "Đã chọn 4 / 4. Đang hiện 1."
    page.press("#candidate-filter", "Enter")  # finds; does not send the draft before the ticks are done
    page.wait_for_timeout(500)
    assert page.input_value("#candidate-filter") == "thi hoa" and status.inner_text().endswith("Đang hiện 1.")
    shown = page.locator("main table tbody tr:visible")
    assert shown.count() == 1 and "Vi Thị Hoa" in shown.inner_text()
    assert "Tổ dân phố Sông Cầu 1 · Phường Bắc Kạn" in shown.inner_text()
    page.click("button:text-is('Bỏ chọn các dòng đang hiện')")
    assert status.inner_text() == "Đã chọn 3 / 4. Đang hiện 1."
    assert sideways_overflow(page) == 0
    page.screenshot(path=str(folder / "1-found-and-unticked.png"), full_page=True)

    page.fill("#candidate-filter", "")
    assert status.inner_text() == "Đã chọn 3 / 4. Đang hiện 4."
    with page.expect_navigation():
        page.click("main button:text-is('Lưu dự thảo')")
    decision = RecognitionDecision.objects.get()
    assert sorted(e.subject.head_name for e in decision.evaluations.all()) == sorted(set(NAMES) - {"Vi Thị Hoa"})
    page.screenshot(path=str(folder / "2-saved.png"), full_page=True)
    page.close()

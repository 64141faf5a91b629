"""Journey: a province officer publishes a commune's figures for the year on an office screen; an
anonymous visitor on a phone finds the commune from the portal's first page, reads the figure, and
downloads the open data holding the same number. Screenshots of each step are kept in
$KHUYENHOC_JOURNEY_SCREENSHOTS (by default the test's temporary folder, which pytest keeps).
"""

import csv
import io
import json
import os
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import User
from accounts.roles import Role
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree
from stats import services as stats_services

from .helpers import SCREENS, sideways_overflow
from .test_statistics_journey import log_in

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def folder(tmp_path):
    chosen = Path(os.environ.get("KHUYENHOC_JOURNEY_SCREENSHOTS") or tmp_path) / "portal"
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


@pytest.fixture
def entered_total():
    """Phường Bắc Kạn's paper total of recognised learning households for the reform year."""
    load_administrative_units()
    province = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="19")
    officer = User.objects.create_user(
        "tinh.thainguyen", password="mat-khau-tinh-1", role=Role.PROVINCE_OFFICER, unit=province
    )
    stats_services.aggregate_save(
        actor=officer,
        year=settings.KHUYENHOC_REFORM_YEAR,
        title="household",
        measure="recognised",
        value=1234,
        unit=AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843"),
    )


def test_a_visitor_reads_the_communes_published_figures_and_downloads_them(
    browser,
    live_server,
    entered_total,
    folder,
):
    year = settings.KHUYENHOC_REFORM_YEAR
    office = browser.new_page(viewport=SCREENS["office"])
    log_in(office, live_server.url, "tinh.thainguyen", "mat-khau-tinh-1")
    office.goto(f"{live_server.url}/cong-khai/cong-bo/")
    office.locator("main form.card .picker input:not([type=hidden])").fill("bac kan")
    option = office.locator(".picker-option", has_text="Phường Bắc Kạn").first
    option.wait_for()
    option.click()
    office.fill("input[name=year]", str(year))
    with office.expect_navigation():
        office.click("main form.card button[type=submit]")
    assert "Phường Bắc Kạn" in office.locator("main table").inner_text()
    office.screenshot(path=str(folder / "1-published-office.png"), full_page=True)
    office.close()

    phone = browser.new_context(viewport=SCREENS["phone"], accept_downloads=True).new_page()
    phone.goto(f"{live_server.url}/cong-khai/")
    phone.screenshot(path=str(folder / "2-portal-phone.png"), full_page=True)
    with phone.expect_navigation():
        phone.click("a:text('Tỉnh Thái Nguyên')")
    with phone.expect_navigation():
        phone.click("a:text('Phường Bắc Kạn')")
    assert "Phường Bắc Kạn" in phone.locator("h1").inner_text()
    phone.screenshot(path=str(folder / "3-commune-phone.png"), full_page=True)
    with phone.expect_navigation():
        phone.click(f"main a:text-is('{year}')")
    households = phone.locator("table.portal-figures tr", has_text="Gia đình học tập").inner_text()
    assert "1.234" in households
    overflow = sideways_overflow(phone)
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
    phone.screenshot(path=str(folder / "4-commune-year-phone.png"), full_page=True)

    with phone.expect_download() as download:
        phone.click("text=Tải CSV")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    recognised = next(r for r in rows if r["key"] == "household.recognised")
    assert (recognised["area_code"], recognised["value"], recognised["licence"]) == ("01843", "1234", "CC BY 4.0")
    with phone.expect_download() as download:
        phone.click("text=Tải JSON")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert {r["title"]: r["recognised"] for r in data["titles"]}["household"] == 1234
    phone.close()

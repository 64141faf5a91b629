"""Journey: a commune officer enters last year's paper total on a phone; the province officer, on an
office screen, sees it in the province's figures at once (marked as partly entered), drills down to
the commune, and downloads the figures as Excel holding the same number.

A live server empties the database when the test ends: the test loads the units it needs itself.
"""

import io

import openpyxl
import pytest
from django.conf import settings

from accounts.models import User
from accounts.roles import Role
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree

from .helpers import SCREENS, sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officers():
    load_administrative_units()
    commune = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843")
    province = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="19")
    User.objects.create_user("xa.backan", password="mat-khau-xa-1", role=Role.COMMUNE_OFFICER, unit=commune)
    User.objects.create_user("tinh.thainguyen", password="mat-khau-tinh-1", role=Role.PROVINCE_OFFICER, unit=province)


def log_in(page, url, username, password):
    """Open the home page signed out, sign in on the login page it leads to, and wait to be brought back
    to the home page: waiting for the load state alone could return before the sign-in's navigation
    began, and the next goto would then interrupt it."""
    page.goto(f"{url}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_a_total_entered_on_a_phone_shows_at_once_in_the_provinces_figures(browser, live_server, officers):
    year = settings.KHUYENHOC_REFORM_YEAR
    phone = browser.new_page(viewport=SCREENS["phone"])
    log_in(phone, live_server.url, "xa.backan", "mat-khau-xa-1")
    phone.goto(f"{live_server.url}/statistics/entered/")
    phone.click("summary")
    phone.fill("input[name=year]", str(year))
    # The area is picked by name, as an officer does (the year given first: it reads the year's tree).
    phone.locator("form.card .picker[data-picker=unit] input:not([type=hidden])").fill("bac kan")
    option = phone.locator(".picker-option", has_text="Phường Bắc Kạn").first
    option.wait_for()
    option.click()
    phone.select_option("select[name=title]", "clan")
    phone.select_option("select[name=measure]", "recognised")
    phone.fill("input[name=value]", "12")
    phone.fill("textarea[name=note]", "Báo cáo giấy của phường")
    with phone.expect_navigation():
        phone.click("form.card button[type=submit]")
    assert "Báo cáo giấy của phường" in phone.locator("table").inner_text()
    overflow = sideways_overflow(phone)
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
    phone.close()

    office = browser.new_page(viewport=SCREENS["office"])
    log_in(office, live_server.url, "tinh.thainguyen", "mat-khau-tinh-1")
    office.goto(f"{live_server.url}/statistics/?year={year}")
    clans = office.locator("table").first.locator("tr", has_text="Dòng họ học tập")
    assert "12" in clans.inner_text() and "một phần nhập tổng hợp" in clans.inner_text()
    with office.expect_navigation():
        office.click("a:text('Phường Bắc Kạn')")
    assert "Phường Bắc Kạn" in office.locator("h1").inner_text()
    assert "nhập tổng hợp" in office.locator("table").first.locator("tr", has_text="Dòng họ học tập").inner_text()

    with office.expect_download() as download:
        office.click("text=Tải Excel")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active  # noqa: SIM115
    values = {(row[0], row[4], row[5]): row[6] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[("01843", "Dòng họ học tập", "Được công nhận")] == 12
    office.close()

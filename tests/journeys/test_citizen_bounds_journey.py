"""A province officer sets the age bounds of the learning citizens' base in a real browser (Debian's
Chromium, headless), on a phone (360 px) and an office screen: the page explains what the base is and
that it is unknown without bounds, a wrong pair of ages is refused in Vietnamese, the bounds saved are
listed; no English for a Vietnamese user, nothing scrolls sideways."""

import os

import pytest

from accounts.models import User
from accounts.roles import Role
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree

from .helpers import sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]
SCREENS = {"phone": {"width": 360, "height": 780}, "office": {"width": 1366, "height": 768}}
SHOTS = os.environ.get("KHUYENHOC_SHOTS")


@pytest.fixture
def province_officer():
    load_administrative_units()
    return User.objects.create_user(
        "tinh.thainguyen",
        password="mat-khau-tinh-1",
        role=Role.PROVINCE_OFFICER,
        unit=AdministrativeUnit.objects.get(tree=Tree.Y2025, code="19"),
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_a_province_officer_sets_the_age_bounds(browser, live_server, province_officer, screen, tmp_path):
    page = browser.new_page(viewport=SCREENS[screen])
    page.goto(f"{live_server.url}/statistics/citizen-base/")
    page.fill("input[name=username]", "tinh.thainguyen")
    page.fill("input[name=password]", "mat-khau-tinh-1")
    page.click("main button[type=submit]")
    # The whole address: a pattern ending in the path would match the login page's ?next= at once.
    page.wait_for_url(f"{live_server.url}/statistics/citizen-base/")
    assert page.locator("h1").inner_text() == "Độ tuổi tính vào tổng số công dân học tập"
    assert "chưa biết ở mọi năm" in page.locator("#bounds").inner_text()

    page.fill("input[name=from_year]", "2025")
    page.fill("input[name=min_age]", "60")
    page.fill("input[name=max_age]", "15")
    with page.expect_navigation():  # the form shown again with its error, not the one it replaces
        page.click("main form button[type=submit]:not(.link)")
    assert "Tuổi tối đa không được nhỏ hơn tuổi tối thiểu" in page.locator("main").inner_text()

    page.fill("input[name=min_age]", "15")
    page.fill("input[name=max_age]", "")
    with page.expect_navigation():  # saved, it leads back to the same address: its URL cannot tell
        page.click("main form button[type=submit]:not(.link)")
    row = page.locator("#bounds tbody tr").first
    assert "Thái Nguyên" in row.inner_text() and "15 tuổi trở lên" in row.inner_text()
    assert "2025" in row.inner_text()  # a year, not 2.025
    text = page.locator("main").inner_text()
    for english in ("Age bounds", "Minimum age", "Learning citizens", "Remove", "Save"):
        assert english not in text
    overflow = sideways_overflow(page)
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on the {screen} screen"
    page.screenshot(path=f"{SHOTS or tmp_path}/citizen-bounds-{screen}.png", full_page=True)

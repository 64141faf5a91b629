"""A village officer keeps their village's learning citizens in a real browser (Debian's Chromium,
headless), on a phone (360 px) and on an office screen: the list states its purpose, a person is added
through the form, opened, and the list holds no English for a Vietnamese user and never scrolls sideways."""

import os

import pytest

from accounts.models import User
from accounts.roles import Role

from .helpers import log_in, sideways_overflow, village_moved_into_backan

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]
SCREENS = {"phone": {"width": 360, "height": 780}, "office": {"width": 1366, "height": 768}}
SHOTS = os.environ.get("KHUYENHOC_SHOTS")  # a folder to keep the screenshots in, when asked


@pytest.fixture
def village_officer():
    _admin, village = village_moved_into_backan()
    return User.objects.create_user(
        "thon.songcau1", password="mat-khau-thon-1", role=Role.VILLAGE_OFFICER, village=village
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_a_village_officer_adds_a_learning_citizen(browser, live_server, village_officer, screen, tmp_path):
    page = browser.new_page(viewport=SCREENS[screen])
    log_in(page, live_server, "/registry/citizens/", "thon.songcau1", "mat-khau-thon-1")
    assert page.locator("h1").inner_text() == "Công dân học tập"
    assert "13/2023/NĐ-CP" in page.locator("main").inner_text()

    page.locator("main a.button", has_text="Thêm người").click()
    page.wait_for_url("**/registry/citizens/new/**")
    page.locator("main form .picker input:not([type=hidden])").first.fill("song cau")  # no diacritics
    page.locator(".picker-option", has_text="Tổ dân phố Sông Cầu 1").click()
    page.fill("input[name=full_name]", "Hoàng Thị Mai")
    page.fill("input[name=birth_year]", "1985")
    page.select_option("select[name=sex]", "female")
    page.click("main form button[type=submit]:not([name])")
    page.wait_for_url("**/registry/citizens/?village=01837-001")
    row = page.locator("tbody tr").first
    assert "Hoàng Thị Mai" in row.inner_text() and "Nữ" in row.inner_text()
    assert "1985" in row.inner_text()  # a year, not a number with a thousands separator
    text = page.locator("main").inner_text()
    for english in ("Female", "Learning citizens", "Year of birth", "Target group"):
        assert english not in text
    overflow = sideways_overflow(page)
    assert overflow <= 0, f"the list scrolls sideways by {overflow}px on the {screen} screen"
    folder = SHOTS or str(tmp_path)
    page.screenshot(path=f"{folder}/citizens-{screen}.png", full_page=True)

    row.locator("a").first.click()
    page.wait_for_url("**/registry/citizens/01837-001-CD-0001/")
    assert "Hoàng Thị Mai" in page.locator("h1").inner_text()
    history = page.locator("main").inner_text()
    assert "Lịch sử thay đổi" in history and "Thêm công dân học tập" in history
    overflow = sideways_overflow(page)
    assert overflow <= 0, f"the record scrolls sideways by {overflow}px on the {screen} screen"
    page.screenshot(path=f"{folder}/citizen-{screen}.png", full_page=True)
    page.close()

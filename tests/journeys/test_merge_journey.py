"""A commune officer merges a household typed twice, in a real browser (Debian's Chromium, headless), on
a phone (360 px) and on an office screen: the list leads to the duplicates, the pair is compared, the
officer keeps one and gives a reason, and the one merged leads to the one kept; no English reaches the
officer and no page scrolls sideways."""

import os

import pytest

from accounts.models import User
from accounts.roles import Role
from registry import services as registry_services

from .helpers import log_in, sideways_overflow, village_moved_into_backan

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]
SCREENS = {"phone": {"width": 360, "height": 780}, "office": {"width": 1366, "height": 768}}
SHOTS = os.environ.get("KHUYENHOC_SHOTS")  # a folder to keep the screenshots in, when asked
ENGLISH = ("Households that may be duplicates", "likely", "possible", "Merge households", "Reason", "Keep")


@pytest.fixture
def commune_officer():
    admin, village = village_moved_into_backan()
    for name in ("Hoàng Văn An", "HOÀNG VĂN AN", "Lý Thị Bình", "Ly Thi Binh"):
        registry_services.household_create(actor=admin, village=village, head_name=name, members=4)
    return User.objects.create_user(
        "xa.backan", password="mat-khau-xa-1", role=Role.COMMUNE_OFFICER, unit=village.placements.last().commune
    )


def no_english_nor_sideways_scroll(page, screen, what):
    text = page.locator("main").inner_text()
    assert not [english for english in ENGLISH if english in text], what
    overflow = sideways_overflow(page)
    assert overflow <= 0, f"{what} scrolls sideways by {overflow}px on the {screen} screen"


@pytest.mark.parametrize("screen", SCREENS)
def test_a_commune_officer_merges_a_household_typed_twice(browser, live_server, commune_officer, screen, tmp_path):
    folder = SHOTS or str(tmp_path)
    page = browser.new_page(viewport=SCREENS[screen])
    log_in(page, live_server, "/registry/households/", "xa.backan", "mat-khau-xa-1")
    page.locator("main a.button", has_text="Tìm bản ghi trùng").click()
    page.wait_for_url("**/registry/households/duplicates/")
    assert page.locator("h1").inner_text() == "Hộ có thể trùng nhau"
    cards = page.locator("main .card")
    assert cards.count() == 2
    assert "nhiều khả năng" in cards.nth(0).inner_text() and "có thể" in cards.nth(1).inner_text()
    no_english_nor_sideways_scroll(page, screen, "the duplicates")
    page.screenshot(path=f"{folder}/duplicates-{screen}.png", full_page=True)

    cards.nth(0).locator("a.button").click()
    page.wait_for_url("**/registry/households/merge/**")
    assert page.locator("h1").inner_text() == "Gộp hộ"
    no_english_nor_sideways_scroll(page, screen, "the merge")
    page.fill("textarea[name=reason]", "Một hộ nhập hai lần")
    page.screenshot(path=f"{folder}/merge-{screen}.png", full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/registry/households/01837-001-0001/")
    assert "Đã gộp 1 bản ghi" in page.locator("body").inner_text()

    page.goto(f"{live_server.url}/registry/households/01837-001-0002/")
    notice = page.locator("main .notice")
    assert "đã được gộp vào" in notice.inner_text()
    no_english_nor_sideways_scroll(page, screen, "the merged household")
    page.screenshot(path=f"{folder}/merged-{screen}.png", full_page=True)
    notice.locator("a").click()
    page.wait_for_url("**/registry/households/01837-001-0001/")
    page.close()

"""Villages in bulk and the clans and units after the reform, in a real browser on a phone and on an office
screen: a commune officer uploads villages, sees the warning for a name that differs only by its
diacritics, ticks it and saves; then brings the old commune's clan into the new commune from the clans
list. No page scrolls sideways on the phone."""

import os

import pytest
import xlsxwriter

from accounts.models import User
from areas.models import AdministrativeUnit, Tree, Village
from registry import services as registry_services
from registry.models import Clan

from .helpers import sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

SCREENS = {"phone": {"width": 360, "height": 780}, "office": {"width": 1366, "height": 768}}
HEADER = ["Mã thôn", "Mã xã", "Tên xã", "Tên thôn", "Loại", "Từ năm"]


def villages_file(path):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Thôn")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, ["", "01843", "Phường Bắc Kạn", "Thôn Nà Cù", "Thôn", ""])
    sheet.write_row(2, 0, ["", "01843", "Phường Bắc Kạn", "Thôn Na Cu", "Thôn", ""])
    book.close()
    return path


def shot(page, tmp_path, name):
    folder = os.environ.get("KHUYENHOC_WALK_SCREENSHOTS") or str(tmp_path)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("screen", SCREENS)
def test_an_officer_imports_villages_confirms_a_warning_and_brings_a_clan_over(
    browser,
    live_server,
    commune_officer,
    screen,
    tmp_path,
):
    admin = User.objects.get(username="admin")
    registry_services.clan_save(
        actor=admin,
        clan=None,
        commune=AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code="01837"),
        name="Họ Hoàng",
        head_name="",
        member_households=30,
        has_board=True,
        villages=[],
    )
    page = browser.new_page(viewport=SCREENS[screen])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "xa.backan")
    page.fill("input[name=password]", "mat-khau-xa-1")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")  # signed in: going on at once would cut the answer off
    page.goto(f"{live_server.url}/imports/villages/new/")
    # The file field in the site's words, not the browser's ("Choose File", "No file chosen").
    picker = page.locator(".file-picker")
    assert picker.locator("label").inner_text() == "Chọn tệp"
    assert picker.locator(".file-chosen").inner_text() == "Chưa chọn tệp nào"
    page.set_input_files("input[type=file]", str(villages_file(tmp_path / "thon.xlsx")))
    assert picker.locator(".file-chosen").inner_text() == "thon.xlsx"
    assert sideways_overflow(page) <= 0
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Cảnh báo cần kiểm tra trước khi lưu")
    assert page.locator("text=chỉ khác").count() >= 1
    assert sideways_overflow(page) <= 0
    shot(page, tmp_path, f"villages-checked-{screen}")
    page.check("input[name=warnings_confirmed]")
    page.click("text=Lưu các thay đổi này")
    page.wait_for_selector("text=Các bản ghi lần nhập này đã thay đổi", timeout=20000)
    assert set(Village.objects.filter(name__startswith="Thôn N").values_list("name", flat=True)) == {
        "Thôn Nà Cù",
        "Thôn Na Cu",
    }
    page.goto(f"{live_server.url}/registry/clans/")
    page.click("text=Chuyển về từ các xã cũ")
    page.wait_for_selector("text=Họ Hoàng")
    assert sideways_overflow(page) <= 0
    shot(page, tmp_path, f"bring-over-{screen}")
    page.click("text=Chuyển các mục đã chọn")
    page.wait_for_selector("text=nay thuộc Phường Bắc Kạn")
    assert Clan.objects.get(name="Họ Hoàng").commune.code == "01843"
    assert sideways_overflow(page) <= 0

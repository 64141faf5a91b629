"""An officer creates accounts from a spreadsheet in a real browser, on a phone and on an office screen:
from the accounts page to the import pipeline, the file checked, saved, and the temporary passwords
downloaded once. No page scrolls sideways on the phone."""

import io

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from accounts.models import User

from .helpers import sideways_overflow

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

SCREENS = {"phone": {"width": 360, "height": 780}, "office": {"width": 1366, "height": 768}}
HEADER = ["Tên đăng nhập", "Họ và tên", "Vai trò", "Mã đơn vị hành chính", "Cây đơn vị", "Mã thôn"]


def accounts_file(path):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Tài khoản")
    for r, row in enumerate([HEADER, ["xem.mot", "Hà Văn Một", "Người xem", "01843", "2025", ""]]):
        sheet.write_row(r, 0, row)
    sheet.write_row(2, 0, ["xem.hai", "Lục Thị Hai", "Người xem", "01843", "2025", ""])
    book.close()
    return path


@pytest.mark.parametrize("screen", SCREENS)
def test_an_officer_imports_accounts_and_downloads_their_passwords_once(
    browser,
    live_server,
    commune_officer,
    screen,
    tmp_path,
):
    page = browser.new_page(viewport=SCREENS[screen])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "xa.backan")
    page.fill("input[name=password]", "mat-khau-xa-1")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")  # signed in: going on at once would cut the answer off
    page.goto(f"{live_server.url}/accounts/")
    page.click("text=Tạo nhiều tài khoản từ bảng tính")
    page.wait_for_url(f"{live_server.url}/imports/accounts/new/")  # page.url alone could still be the list's
    page.set_input_files("input[type=file]", str(accounts_file(tmp_path / "tai-khoan.xlsx")))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Lưu các thay đổi này")
    assert sideways_overflow(page) <= 0
    page.screenshot(path=str(tmp_path / f"checked-{screen}.png"), full_page=True)
    assert not User.objects.filter(username="xem.mot").exists()
    page.click("text=Lưu các thay đổi này")
    page.wait_for_selector("text=Tải mật khẩu tạm thời (.xlsx)")
    assert sideways_overflow(page) <= 0
    page.screenshot(path=str(tmp_path / f"saved-{screen}.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=Tải mật khẩu tạm thời (.xlsx)")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(open(download.value.path(), "rb").read()))
    rows = sheet.get_sheet_by_index(0).to_python()
    assert [row[0] for row in rows[1:3]] == ["xem.mot", "xem.hai"] and all(len(row[3]) == 12 for row in rows[1:3])
    assert User.objects.get(username="xem.hai").must_change_password
    page.click("text=Tải mật khẩu tạm thời (.xlsx)")  # again: already taken
    page.wait_for_selector("text=đã được tải về, hoặc đã bị xoá")

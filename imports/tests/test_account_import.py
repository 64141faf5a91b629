"""Accounts from a spreadsheet go through the import pipeline like every other kind: upload → check
(nothing written, every error with its row and column, in Vietnamese) → save (all or nothing, one audit
entry per account) → the importer downloads the new accounts' temporary passwords, once. The same file
again creates nothing and says so. The importer gives only the roles and areas they may give."""

import csv
import functools
import io
import time

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from accounts import services
from accounts.credentials import credentials_sweep
from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry
from conftest import unit
from imports.models import JobStatus

pytestmark = pytest.mark.django_db

HEADER = ["Tên đăng nhập", "Họ và tên", "Vai trò", "Mã đơn vị hành chính", "Cây đơn vị", "Mã thôn"]
ROWS = [
    ["xa.backan.xem", "Hà Văn Bình", "Người xem", "01843", "2025", ""],
    ["thon.to1", "Lục Thị Chi", "Cán bộ thôn", "", "", "01837-001"],
]


def workbook(rows, header=HEADER):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Tài khoản")
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def csv_file(rows, header=HEADER):
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def upload(upload):
    """The shared upload, to the accounts import, as the commune officer unless told."""
    return functools.partial(upload, "accounts")


def sheet_of(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def download_passwords(client, job):
    return client.post(reverse("accounts:import_credentials", args=[job.pk]))


def test_check_writes_nothing_then_save_creates_the_accounts_with_temporary_passwords(upload, commit, client):
    client_, job = upload(workbook(ROWS))
    assert job.status == JobStatus.PREVIEWED, job.errors or job.message
    assert job.counts == {"create": 2, "update": 0, "unchanged": 0}
    assert not User.objects.filter(username__in=["xa.backan.xem", "thon.to1"]).exists()

    job = commit(client_, job)
    assert job.status == JobStatus.COMMITTED, job.message
    viewer = User.objects.get(username="xa.backan.xem")
    village_officer = User.objects.get(username="thon.to1")
    assert (viewer.role, viewer.unit.code, viewer.full_name) == (Role.VIEWER, "01843", "Hà Văn Bình")
    assert (village_officer.role, village_officer.village.code) == (Role.VILLAGE_OFFICER, "01837-001")
    assert viewer.must_change_password and village_officer.must_change_password
    assert viewer.created_by.username == "c.backan"

    entries = AuditEntry.objects.filter(action="account.create", source=job.audit_source)
    assert entries.count() == 2
    assert entries.get(object_id=str(viewer.pk)).after == {
        "username": "xa.backan.xem",
        "full_name": "Hà Văn Bình",
        "role": "viewer",
        "unit": "01843",
        "tree": "2025",
        "village": None,
        "is_active": True,
    }
    assert all("password" not in str(entry.after) for entry in entries)

    page = client_.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert reverse("accounts:import_credentials", args=[job.pk]) in page
    assert reverse("accounts:edit", args=[viewer.pk]) in page  # the records the import created

    sheet = sheet_of(download_passwords(client_, job).content)
    assert sheet[0] == ["Tên đăng nhập", "Họ và tên", "Địa bàn", "Mật khẩu tạm"]
    passwords = {row[0]: row[3] for row in sheet[1:] if row and row[0] in {"xa.backan.xem", "thon.to1"}}
    assert len(passwords) == 2 and all(len(p) == 12 for p in passwords.values())
    assert {row[2] for row in sheet[1:3]} == {str(viewer.unit), str(village_officer.village)}

    # The new officer logs in with it and must change it first.
    client.logout()
    login = {"username": "thon.to1", "password": passwords["thon.to1"]}
    assert client.post(reverse("accounts:login"), login).status_code == 302
    assert client.get(reverse("registry:households")).url.startswith(reverse("accounts:password_change"))


def test_the_passwords_are_given_once_and_only_to_the_importer(upload, commit, client_for, personas):
    client, job = upload(workbook(ROWS))
    commit(client, job)
    other = client_for(personas["other_commune_officer"])
    assert download_passwords(other, job).status_code == 404
    client = client_for(personas["commune_officer"])
    assert download_passwords(client, job)["Content-Type"].startswith("application/vnd.openxmlformats")
    again = download_passwords(client, job)
    assert again.url == reverse("imports:job", args=[job.pk])
    assert "đã được tải về" in client.get(again.url).content.decode()
    assert client.get(reverse("accounts:import_credentials", args=[job.pk])).status_code == 405


def test_passwords_nobody_takes_are_deleted_after_the_days_they_are_kept(upload, commit, settings):
    client, job = upload(workbook(ROWS))
    commit(client, job)
    a_day = 86400
    assert credentials_sweep(now=time.time() + (settings.KHUYENHOC_TEMPORARY_PASSWORDS_DAYS - 1) * a_day) == 0
    assert credentials_sweep(now=time.time() + (settings.KHUYENHOC_TEMPORARY_PASSWORDS_DAYS + 1) * a_day) == 1
    late = download_passwords(client, job)
    assert late.url == reverse("imports:job", args=[job.pk])
    assert "bị xoá" in client.get(late.url).content.decode()


def test_the_same_file_again_creates_nothing_and_says_so(upload, commit):
    client, job = upload(workbook(ROWS))
    commit(client, job)
    before = (User.objects.count(), AuditEntry.objects.filter(object_type="accounts.user").count())

    client, again = upload(workbook(list(reversed(ROWS))))
    assert again.status == JobStatus.PREVIEWED
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2}
    assert "không thay đổi gì" in again.message
    page = client.get(reverse("imports:job", args=[again.pk])).content.decode()
    assert "không thay đổi gì" in page
    again = commit(client, again)
    assert again.status == JobStatus.COMMITTED
    assert (User.objects.count(), AuditEntry.objects.filter(object_type="accounts.user").count()) == before
    assert reverse("accounts:import_credentials", args=[again.pk]) not in page


def test_a_changed_row_updates_the_account_with_its_before_and_after_and_keeps_its_password(upload, commit):
    client, job = upload(workbook(ROWS))
    commit(client, job)
    account = User.objects.get(username="thon.to1")
    password_hash = account.password

    changed = [ROWS[0], ["THON.TO1", "Lục Thị Chi Mai", "Cán bộ thôn", "", "", "01837-002"]]
    client, again = upload(workbook(changed))
    assert again.counts == {"create": 0, "update": 1, "unchanged": 1}
    assert commit(client, again).status == JobStatus.COMMITTED
    account.refresh_from_db()
    assert (account.username, account.full_name, account.village.code) == ("thon.to1", "Lục Thị Chi Mai", "01837-002")
    assert account.password == password_hash
    entry = AuditEntry.objects.get(action="account.update", source=again.audit_source)
    assert (entry.before["village"], entry.after["village"]) == ("01837-001", "01837-002")
    assert (entry.before["full_name"], entry.after["full_name"]) == ("Lục Thị Chi", "Lục Thị Chi Mai")
    assert entry.reason == again.audit_reason


def test_every_bad_row_is_named_by_row_and_column_in_vietnamese_and_nothing_is_created(upload, commit, personas):
    rows = [
        ["tot.mot", "Tốt Một", "Người xem", "01843", "2025", ""],  # row 2: fine
        ["ma.sai", "", "Người xem", "99999", "2025", ""],  # row 3: no such unit
        ["tot.mot", "", "Người xem", "01843", "2025", ""],  # row 4: repeated user name
        ["tinh.moi", "", "Cán bộ cấp tỉnh", "19", "2025", ""],  # row 5: a role above the importer's
        ["thon.ngoai", "", "Cán bộ thôn", "", "", personas["other_commune_officer"].unit.code + "-001"],  # 6
        ["co dau cach", "", "Người xem", "01843", "2025", ""],  # row 7: not a user name
        ["vai.tro.la", "", "Trưởng thôn", "01843", "2025", ""],  # row 8: no such role
        ["p.thainguyen", "", "Người xem", "01843", "2025", ""],  # row 9: someone else's account
        ["cay.la", "", "Người xem", "01843", "1990", ""],  # row 10: no such tree
        ["c.backan", "", "Người xem", "01843", "2025", ""],  # row 11: the importer's own account
    ]
    client, job = upload(workbook(rows))
    assert job.status == JobStatus.INVALID
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "99999" in errors[(3, "Mã đơn vị hành chính")]
    assert "dòng 2" in errors[(4, "Tên đăng nhập")]
    assert "Cán bộ cấp tỉnh" in errors[(5, "Vai trò")]
    assert (6, "Mã thôn") in errors
    assert (7, "Tên đăng nhập") in errors
    assert "Trưởng thôn" in errors[(8, "Vai trò")]
    assert "p.thainguyen" in errors[(9, "Tên đăng nhập")] and "đã có người dùng" in errors[(9, "Tên đăng nhập")]
    assert "1990" in errors[(10, "Cây đơn vị")]
    assert (11, "Vai trò") in errors
    assert not any(row == 2 for row, _column in errors)
    assert job.error_count == 9
    assert all(message.isascii() is False for message in errors.values())  # Vietnamese, not English
    assert not User.objects.filter(username="tot.mot").exists()
    assert commit(client, job).status == JobStatus.INVALID
    assert not User.objects.filter(username="tot.mot").exists()


def test_a_user_name_taken_between_the_check_and_the_save_saves_nothing(upload, commit, personas):
    client, job = upload(workbook(ROWS))
    commune = unit("2025", "01843")
    services.account_create(
        actor=personas["commune_officer"], username="Thon.To1", full_name="", role=Role.VIEWER, unit=commune
    )
    job = commit(client, job)
    assert job.status == JobStatus.FAILED
    assert "đã thay đổi" in job.message
    assert not User.objects.filter(username="xa.backan.xem").exists()


def test_a_district_officer_may_create_commune_officers_and_a_commune_officer_may_not(upload):
    rows = [["xa.moi", "", "Cán bộ cấp xã", "01843", "2025", ""]]
    _client, job = upload(workbook(rows), persona="commune_officer")
    assert job.status == JobStatus.INVALID
    assert job.errors[0]["column"] == "Vai trò"
    rows = [["xa.moi", "", "Cán bộ cấp xã", "02035", "Trước 2025", ""]]
    _client, job = upload(workbook(rows), persona="district_officer")
    assert job.status == JobStatus.PREVIEWED, job.errors


def test_a_csv_file_with_the_english_column_keys(upload, commit):
    header = ["username", "full_name", "role", "unit_code", "tree", "village_code"]
    client, job = upload(csv_file([["en.viewer", "Viewer", "Viewer", "01843", "2025", ""]], header), name="a.csv")
    assert job.status == JobStatus.PREVIEWED, job.errors
    commit(client, job)
    assert User.objects.filter(username="en.viewer", role=Role.VIEWER).exists()


def test_the_accounts_page_leads_to_the_pipeline_whose_template_offers_the_roles_the_officer_may_give(
    client_for, personas
):
    client = client_for(personas["commune_officer"])
    page = client.get(reverse("accounts:list")).content.decode()
    assert reverse("imports:new", args=["accounts"]) in page
    response = client.get(reverse("imports:template", args=["accounts"]))
    assert sheet_of(response.content)[0] == HEADER
    assert client.get(reverse("imports:new", args=["accounts"])).status_code == 200
    assert client_for(personas["viewer"]).get(reverse("imports:new", args=["accounts"])).status_code == 403
    assert client_for(personas["village_officer"]).get(reverse("imports:new", args=["accounts"])).status_code == 403


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_vietnamese(client_for, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(personas["commune_officer"])
    response = client.post(
        reverse("imports:new", args=["accounts"]), {"file": SimpleUploadedFile("tai-khoan.pdf", b"%PDF")}
    )
    assert "Hãy tải lên tệp .xlsx hoặc .csv." in response.content.decode()

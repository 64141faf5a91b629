"""Officers create and manage the accounts of the levels below them, one by one or from a spreadsheet."""

import csv
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def create(client, **data):
    payload = {"username": "", "full_name": "", "role": "", "tree": "2025", "unit_code": "", "village_code": ""}
    payload.update(data)
    return client.post(reverse("accounts:create"), payload)


def test_a_commune_officer_creates_a_village_officer_and_sees_the_password_once(client_for, personas):
    client = client_for(personas["commune_officer"])
    response = create(
        client, username="thon.to1", full_name="Lò Văn A", role="village_officer", village_code="01837-001"
    )
    assert response.status_code == 200
    account = User.objects.get(username="thon.to1")
    password = response.context["credentials"][0][1]
    assert account.check_password(password) and account.must_change_password
    assert account.village.code == "01837-001" and account.unit is None
    assert AuditEntry.objects.filter(action="account.create", object_id=str(account.pk)).exists()


def test_a_commune_officer_cannot_create_a_province_officer(client_for, personas):
    client = client_for(personas["commune_officer"])
    response = create(client, username="x", role="province_officer", unit_code="19")
    assert response.status_code == 200
    assert not User.objects.filter(username="x").exists()
    assert response.context["form"].errors


def test_an_account_without_an_area_is_refused_with_a_clear_message(client_for, personas):
    client = client_for(personas["province_officer"])
    response = create(client, username="nobody", role="commune_officer")
    assert not User.objects.filter(username="nobody").exists()
    assert "Tài khoản cần có địa bàn" in response.content.decode()


def test_a_unit_outside_the_officers_area_is_refused(client_for, personas):
    client = client_for(personas["other_commune_officer"])
    response = create(client, username="viewer2", role="viewer", unit_code="01843")
    assert not User.objects.filter(username="viewer2").exists()
    assert response.context["form"].non_field_errors()


def test_a_district_officer_belongs_to_a_district(client_for, personas):
    client = client_for(personas["old_province_officer"])
    create(client, username="d.wrong", role="district_officer", tree="pre2025", unit_code="01837")
    assert not User.objects.filter(username="d.wrong").exists()
    create(client, username="d.right", role="district_officer", tree="pre2025", unit_code="058")
    assert User.objects.get(username="d.right").unit.code == "058"


def test_password_reset_without_email_forces_a_change_at_next_login(client, client_for, personas):
    officer = personas["commune_officer"]
    target = personas["village_officer"]
    response = client_for(officer).post(reverse("accounts:reset_password", args=[target.pk]))
    password = response.context["credentials"][0][1]
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": target.username, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("areas:browse")).url == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"), {"new_password": "thon-moi-2026", "new_password_again": "thon-moi-2026"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.must_change_password and target.check_password("thon-moi-2026")


def _xlsx(rows):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


HEADER = ["Tên đăng nhập", "Họ và tên", "Vai trò", "Mã đơn vị hành chính", "Cây đơn vị", "Mã thôn"]


def test_many_accounts_from_an_xlsx_file(client_for, personas):
    content = _xlsx(
        [
            HEADER,
            ["xa.songcau.viewer", "Hà Văn B", "Người xem", "01843", "2025", ""],
            ["thon.to2", "Lục Thị C", "Cán bộ thôn", "", "", "01837-002"],
        ]
    )
    response = client_for(personas["commune_officer"]).post(
        reverse("accounts:import"), {"file": SimpleUploadedFile("tai-khoan.xlsx", content)}
    )
    assert response.status_code == 200
    assert len(response.context["credentials"]) == 2
    assert User.objects.get(username="thon.to2").role == Role.VILLAGE_OFFICER
    assert User.objects.get(username="xa.songcau.viewer").unit.code == "01843"


def test_one_bad_row_creates_no_account_and_names_the_row(client_for, personas):
    content = "\n".join(
        [
            ",".join(HEADER),
            "ok.viewer,Hà Văn B,viewer,01843,2025,",
            "bad.unit,Hà Văn D,viewer,99999,2025,",
            "ok.viewer,Trùng tên,viewer,01843,2025,",
        ]
    ).encode("utf-8")
    response = client_for(personas["commune_officer"]).post(
        reverse("accounts:import"), {"file": SimpleUploadedFile("tai-khoan.csv", content)}
    )
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Dòng 3" in errors and "99999" in errors
    assert not User.objects.filter(username__in=["ok.viewer", "bad.unit"]).exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(client_for, personas):
    response = client_for(personas["commune_officer"]).post(
        reverse("accounts:import"), {"file": SimpleUploadedFile("tai-khoan.xlsx", b"not a zip file")}
    )
    assert "Hãy tải lên tệp .xlsx hoặc .csv." in " ".join(response.context["form"].non_field_errors())


def test_the_template_has_the_columns_and_a_role_dropdown(client_for, personas):
    response = client_for(personas["commune_officer"]).get(reverse("accounts:import_template"))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sheet[0] == HEADER


def test_a_user_cannot_change_their_own_role(client_for, personas):
    officer = personas["province_officer"]
    response = client_for(officer).get(reverse("accounts:edit", args=[officer.pk]))
    assert response.status_code == 404


def test_login_page_is_in_vietnamese_and_logs_in(client, personas):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập" in page
    response = client.post(reverse("accounts:login"), {"username": "c.backan", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response.url, follow=True).status_code == 200


def test_csv_reader_accepts_the_english_column_keys(client_for, personas):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["username", "full_name", "role", "unit_code", "tree", "village_code"])
    writer.writerow(["en.viewer", "Viewer", "Viewer", "01843", "2025", ""])
    response = client_for(personas["commune_officer"]).post(
        reverse("accounts:import"), {"file": SimpleUploadedFile("a.csv", out.getvalue().encode())}
    )
    assert response.status_code == 200
    assert User.objects.filter(username="en.viewer", role=Role.VIEWER).exists()

"""Officers create and manage the accounts of the levels below them, one by one (from a spreadsheet:
imports/tests/test_account_import.py)."""

import pytest
from django.urls import reverse

from accounts.models import User
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

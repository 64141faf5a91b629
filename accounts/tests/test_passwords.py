"""A new password is checked by Django's validators, with their messages in Vietnamese: not a common
password, not too short, not only digits, not like the user's own names."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def change(client, password):
    return client.post(reverse("accounts:password_change"), {"new_password": password, "new_password_again": password})


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password", "Mật khẩu này quá phổ biến."),
        ("123456789", "Mật khẩu này hoàn toàn là số."),
        ("Ab3$x", "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
        ("c.backan1", "Mật khẩu quá giống với Tên đăng nhập."),
    ],
)
def test_a_weak_password_is_refused_with_a_vietnamese_reason(client_for, personas, password, message):
    officer = personas["commune_officer"]
    response = change(client_for(officer), password)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["new_password"])
    officer.refresh_from_db()
    assert not officer.check_password(password)


def test_a_password_like_the_full_name_is_refused(client_for, personas):
    officer = personas["village_officer"]
    officer.full_name = "Hoàng Văn Thụ"
    officer.save()
    response = change(client_for(officer), "hoàngvănthụ")
    assert "Mật khẩu quá giống với họ và tên." in " ".join(response.context["form"].errors["new_password"])


def test_a_good_password_is_accepted(client_for, personas):
    officer = personas["commune_officer"]
    assert change(client_for(officer), "nui-rung-bac-kan-2026").status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("nui-rung-bac-kan-2026")

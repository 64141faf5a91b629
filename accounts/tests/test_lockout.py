"""Guessing passwords on the login page is stopped: 10 wrong passwords lock the account, and 10 from one
address lock the address, for 15 minutes (settings), the right password included; the page says until when."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Đăng nhập bị khoá đến"


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        response = log_in(client, username, "sai-mat-khau", address)
    return response


def move_failures_back(minutes):
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


def test_nine_wrong_passwords_do_not_lock_and_the_right_one_then_resets_the_count(client, personas):
    assert fail(client, "c.backan", 9).status_code == 200
    assert log_in(client, "c.backan", PASSWORD).status_code == 302
    client.logout()
    assert fail(client, "c.backan", 9).status_code == 200  # counting starts again after the success
    assert log_in(client, "c.backan", PASSWORD).status_code == 302


def test_ten_wrong_passwords_lock_the_account_from_every_address(client, personas):
    for n in range(10):  # a different address each time: the account's count is what locks
        response = log_in(client, "c.backan", "sai-mat-khau", address=f"10.0.1.{n}")
    assert response.status_code == 429  # the tenth failure already answers with the lock
    refused = log_in(client, "c.backan", PASSWORD, address="10.0.2.1")
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert int(refused["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session
    # another account from those addresses is not locked
    assert log_in(client, "c.ducxuan", PASSWORD, address="10.0.1.9").status_code == 302


def test_ten_wrong_passwords_from_one_address_lock_the_address_for_every_account(client, personas):
    for n in range(10):  # ten different user names, one address
        log_in(client, f"doan-ten-{n}", "sai-mat-khau", address="10.0.3.3")
    refused = log_in(client, "c.backan", PASSWORD, address="10.0.3.3")
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert log_in(client, "c.backan", PASSWORD, address="10.0.3.4").status_code == 302


def test_the_lock_ends_after_the_lock_period(client, personas):
    fail(client, "c.backan", 10)
    assert log_in(client, "c.backan", PASSWORD).status_code == 429
    move_failures_back(16)
    with override_settings(KHUYENHOC_LOGIN_LOCK_MINUTES=30):
        assert log_in(client, "c.backan", PASSWORD).status_code == 429  # a longer lock, set in the settings
    assert log_in(client, "c.backan", PASSWORD).status_code == 302  # 15 minutes by default


@override_settings(KHUYENHOC_LOGIN_FAILURE_LIMIT=3)
def test_the_number_of_failures_is_a_setting(client, personas):
    assert fail(client, "c.backan", 2).status_code == 200
    assert fail(client, "c.backan", 1).status_code == 429


def test_the_lock_page_is_in_english_for_an_english_user(client, personas):
    client.cookies["django_language"] = "en"
    fail(client, "c.backan", 10)
    refused = log_in(client, "c.backan", PASSWORD)
    assert refused.status_code == 429 and "Logging in is locked until" in refused.content.decode()


def test_a_password_reset_by_the_manager_lifts_the_lock(client, client_for, personas):
    fail(client, "v.songcau1", 10)
    officer = client_for(personas["commune_officer"])
    response = officer.post(reverse("accounts:reset_password", args=[personas["village_officer"].pk]))
    password = response.context["credentials"][0][1]
    client.logout()
    assert log_in(client, "v.songcau1", password).status_code == 302

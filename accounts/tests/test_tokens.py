"""API tokens: stored hashed, expiring after days unused, listed and revoked by their owner and by a manager of
the account (nobody else), all revoked with every other session when the password changes or is reset."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken
from audit.models import AuditEntry
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def issue(account, name=""):
    return tokens.token_issue(actor=account, account=account, name=name)


def logged_in(account):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": account.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def signed_in(client) -> bool:
    response = client.get(reverse("accounts:tokens"))
    return response.status_code == 200


def test_a_token_is_stored_hashed_shown_once_and_audited(personas):
    officer = personas["commune_officer"]
    token, key = issue(officer, name="Bảng tính của xã")
    assert key.startswith("kh_") and len(key) > 40
    assert not ApiToken.objects.filter(key_hash=key).exists() and token.key_hash == tokens.hash_key(key)
    assert token.prefix == key[:11] and token.name == "Bảng tính của xã"
    entry = AuditEntry.objects.get(action="account.token_issue", object_id=str(officer.pk))
    assert entry.after == {"token": token.prefix, "name": "Bảng tính của xã"} and key not in str(entry.after)
    assert tokens.token_user(key) == (officer, token)


def test_a_token_expires_after_the_days_unused_in_the_settings(personas):
    officer = personas["commune_officer"]
    token, key = issue(officer)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(days=29))
    assert tokens.token_user(key)[0] == officer  # 29 days unused: still valid, and used now
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(days=30, minutes=1))
    with pytest.raises(tokens.TokenRefused, match="30 ngày"):
        tokens.token_user(key)
    with override_settings(KHUYENHOC_TOKEN_IDLE_DAYS=60):
        assert tokens.token_user(key)[0] == officer


def test_a_token_never_used_expires_counted_from_its_creation(personas):
    token, key = issue(personas["commune_officer"])
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - timedelta(days=31))
    with pytest.raises(tokens.TokenRefused):
        tokens.token_user(key)


def test_the_last_use_is_written_at_most_once_a_minute(personas, django_assert_num_queries):
    token, key = issue(personas["commune_officer"])
    tokens.token_user(key)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the look-up only, no write
        tokens.token_user(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    tokens.token_user(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - timedelta(minutes=2)


def test_a_temporary_password_gets_no_token(personas):
    account = personas["village_officer"]
    account.must_change_password = True
    account.save()
    with pytest.raises(ValidationError, match="mật khẩu tạm"):
        issue(account)


def test_the_owner_creates_lists_and_revokes_their_tokens_on_their_page(client_for, personas):
    officer = personas["commune_officer"]
    client = client_for(officer)
    response = client.post(reverse("accounts:tokens"), {"name": "Phần mềm thống kê"})
    key = response.context["issued"][1]
    token = ApiToken.objects.get(key_hash=tokens.hash_key(key))
    assert key in response.content.decode()
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert token.prefix in listing and key not in listing and "Phần mềm thống kê" in listing
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == officer
    assert AuditEntry.objects.filter(action="account.token_revoke", object_id=str(officer.pk)).count() == 1
    with pytest.raises(tokens.TokenRefused, match="thu hồi"):
        tokens.token_user(key)


def test_nobody_revokes_another_users_token_through_their_own_page(client_for, personas):
    token, _key = issue(personas["village_officer"])
    response = client_for(personas["commune_officer"]).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_manager_lists_and_revokes_the_tokens_of_an_account_they_manage(client_for, personas):
    village_officer = personas["village_officer"]
    token, _key = issue(village_officer, name="Điện thoại")
    client = client_for(personas["commune_officer"])
    listing = client.get(reverse("accounts:account_tokens", args=[village_officer.pk]))
    assert listing.status_code == 200 and token.prefix in listing.content.decode()
    client.post(reverse("accounts:account_token_revoke", args=[village_officer.pk, token.pk]))
    token.refresh_from_db()
    assert token.revoked_by == personas["commune_officer"]
    entry = AuditEntry.objects.get(action="account.token_revoke", object_id=str(village_officer.pk))
    assert entry.actor == personas["commune_officer"] and entry.before["token"] == token.prefix


def test_another_communes_officer_neither_sees_nor_revokes_them(client_for, personas):
    village_officer = personas["village_officer"]
    token, _key = issue(village_officer)
    client = client_for(personas["other_commune_officer"])
    assert client.get(reverse("accounts:account_tokens", args=[village_officer.pk])).status_code == 404
    response = client.post(reverse("accounts:account_token_revoke", args=[village_officer.pk, token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_changing_the_password_revokes_every_token_and_ends_every_other_session(personas):
    officer = personas["commune_officer"]
    keys = [issue(officer)[1], issue(officer)[1]]
    here, elsewhere = logged_in(officer), logged_in(officer)
    assert signed_in(elsewhere)
    new = {"new_password": "xa-bac-kan-2026", "new_password_again": "xa-bac-kan-2026"}
    response = here.post(reverse("accounts:password_change"), new)
    assert response.status_code == 302
    for key in keys:
        with pytest.raises(tokens.TokenRefused):
            tokens.token_user(key)
    assert ApiToken.objects.filter(user=officer, revoked_at__isnull=True).count() == 0
    assert AuditEntry.objects.filter(action="account.token_revoke", object_id=str(officer.pk)).count() == 2
    assert signed_in(here)  # the session it was changed in stays
    assert not signed_in(elsewhere)


def test_a_reset_by_the_manager_revokes_every_token_and_ends_the_accounts_sessions(client_for, personas):
    village_officer = personas["village_officer"]
    _token, key = issue(village_officer)
    session = logged_in(village_officer)
    assert signed_in(session)
    client_for(personas["commune_officer"]).post(reverse("accounts:reset_password", args=[village_officer.pk]))
    with pytest.raises(tokens.TokenRefused):
        tokens.token_user(key)
    assert not signed_in(session)


def test_logging_out_ends_the_session_and_keeps_the_tokens(personas):
    officer = personas["commune_officer"]
    _token, key = issue(officer)
    client = logged_in(officer)
    assert signed_in(client)
    client.post(reverse("accounts:logout"))
    assert not signed_in(client)
    assert tokens.token_user(key)[0] == officer

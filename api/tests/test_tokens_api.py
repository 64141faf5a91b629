"""The token route and the API's authentication: a new token for the right password, locked after 10 wrong
ones for the account or the address (as the login page, with which it shares the count), expired or revoked
tokens refused with the reason, and no API at all for a temporary password, not even reading."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.tokens import hash_key, token_issue, tokens_revoke_all
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_ROUTE = "/api/v1/auth/token/"
LOCKED = "Đăng nhập bị khoá đến"


def ask(api, username, password, address="10.0.0.1"):
    return api.post(TOKEN_ROUTE, {"username": username, "password": password}, format="json", REMOTE_ADDR=address)


def with_token(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_the_right_password_gets_a_new_token_each_time(personas):
    api = APIClient()
    first, second = ask(api, "c.backan", PASSWORD), ask(api, "c.backan", PASSWORD)
    assert first.status_code == second.status_code == 201
    keys = [first.json()["token"], second.json()["token"]]
    assert keys[0] != keys[1] and first.json()["idle_days"] == 30
    for key in keys:
        assert with_token(key).get("/api/v1/units/?tree=2025").status_code == 200
    assert ApiToken.objects.filter(user=personas["commune_officer"]).count() == 2


def test_a_wrong_password_is_a_400_in_vietnamese(personas):
    response = ask(APIClient(), "c.backan", "sai-mat-khau")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Tên đăng nhập hoặc mật khẩu không đúng."]


def test_ten_wrong_passwords_lock_the_account_on_the_token_route_and_the_login_page(client, personas):
    api = APIClient()
    for n in range(10):
        ask(api, "c.backan", "sai-mat-khau", address=f"10.0.1.{n}")
    refused = ask(api, "c.backan", PASSWORD, address="10.0.2.1")
    assert refused.status_code == 429 and LOCKED in refused.json()["detail"]
    assert refused["Retry-After"] == "900" and refused.json()["retry_after"] == 900
    assert not ApiToken.objects.exists()
    login = {"username": "c.backan", "password": PASSWORD}
    page = client.post(reverse("accounts:login"), login, REMOTE_ADDR="10.0.9.9")
    assert page.status_code == 429


def test_ten_wrong_passwords_from_one_address_lock_the_address(personas):
    api = APIClient()
    for n in range(10):
        ask(api, f"khong-co-{n}", "sai-mat-khau", address="10.0.3.3")
    assert ask(api, "c.backan", PASSWORD, address="10.0.3.3").status_code == 429
    assert ask(api, "c.backan", PASSWORD, address="10.0.3.4").status_code == 201


def test_an_unknown_expired_or_revoked_token_is_a_401_saying_why(personas):
    officer = personas["commune_officer"]
    assert with_token("kh_khong-co-that").get("/api/v1/units/").status_code == 401
    token, key = token_issue(actor=officer, account=officer)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(days=31))
    expired = with_token(key).get("/api/v1/units/")
    assert expired.status_code == 401 and "30 ngày" in expired.json()["detail"]
    assert expired["WWW-Authenticate"] == "Token"
    token, key = token_issue(actor=officer, account=officer)
    tokens_revoke_all(actor=officer, account=officer)
    revoked = with_token(key).get("/api/v1/units/")
    assert revoked.status_code == 401 and "thu hồi" in revoked.json()["detail"]


def test_an_inactive_accounts_token_is_refused(personas):
    officer = personas["commune_officer"]
    _token, key = token_issue(actor=officer, account=officer)
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert with_token(key).get("/api/v1/units/").status_code == 401


def test_a_temporary_password_cannot_use_the_api_even_to_read(client, client_for, personas):
    target = personas["village_officer"]
    response = client_for(personas["commune_officer"]).post(reverse("accounts:reset_password", args=[target.pk]))
    password = response.context["credentials"][0][1]
    client.logout()
    # no token for a temporary password
    refused = ask(APIClient(), target.username, password)
    assert refused.status_code == 403 and "mật khẩu tạm" in refused.json()["detail"]
    # nor through the website's session
    login = client.post(reverse("accounts:login"), {"username": target.username, "password": password})
    assert login.status_code == 302
    for url in ("/api/v1/units/", "/api/v1/households/", "/api/v1/villages/01837-001/"):
        answer = client.get(url)
        assert answer.status_code == 403 and "mật khẩu tạm" in answer.json()["detail"]
    # nor with a token held from before (the flag set directly: a reset would have revoked it)
    officer = personas["commune_officer"]
    _token, key = token_issue(actor=officer, account=officer)
    User.objects.filter(pk=officer.pk).update(must_change_password=True)
    answer = with_token(key).get("/api/v1/units/")
    assert answer.status_code == 403 and "mật khẩu tạm" in answer.json()["detail"]


def test_the_key_is_never_stored(personas):
    key = ask(APIClient(), "c.backan", PASSWORD).json()["token"]
    stored = ApiToken.objects.get()
    assert stored.key_hash == hash_key(key) and key not in (stored.key_hash, stored.prefix)


def test_the_schema_describes_the_token_and_the_route():
    schema = APIClient().get("/api/v1/openapi.json").json()
    token_scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert token_scheme["type"] == "apiKey" and token_scheme["name"] == "Authorization"
    route = schema["paths"][TOKEN_ROUTE]["post"]
    assert {"201", "400", "403", "429"} <= set(route["responses"])
    assert route.get("security", []) in ([], [{}])  # no credentials needed to ask for a token
    units = schema["paths"]["/api/v1/units/"]["get"]
    assert {"tokenAuth": []} in units["security"]

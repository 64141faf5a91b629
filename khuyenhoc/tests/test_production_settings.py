"""A server starts only with its own secret key and host names, and then passes Django's deployment
check: secure cookies, HSTS, HTTPS behind the proxy (issue 16: production settings)."""

import os
import runpy
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS = settings.BASE_DIR / "khuyenhoc" / "settings.py"
# What the settings read from the environment; each test starts from none of them.
VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "KHUYENHOC_HTTPS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]
SERVER = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "khuyenhoc.backan.gov.vn"}


def read_settings(monkeypatch, **environment):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_a_server_without_its_key_or_host_names_refuses_to_start(monkeypatch, missing):
    environment = {name: value for name, value in SERVER.items() if name != missing}
    with pytest.raises(ImproperlyConfigured, match=f"environment variable {missing} is not set"):
        read_settings(monkeypatch, **environment)


def test_an_empty_key_is_a_missing_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        read_settings(monkeypatch, **{**SERVER, "SECRET_KEY": " "})


def test_without_debug_there_is_no_fallback_key(monkeypatch):
    # DEBUG unset is DEBUG off: a forgotten variable never gives a server the key written in the code.
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        read_settings(monkeypatch, ALLOWED_HOSTS="khuyenhoc.backan.gov.vn")


def test_development_with_debug_has_a_key_and_plain_http(monkeypatch):
    read = read_settings(monkeypatch, DEBUG="1")
    assert read["SECRET_KEY"] and read["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]
    assert not read["SECURE_SSL_REDIRECT"] and not read["SESSION_COOKIE_SECURE"] and read["SECURE_HSTS_SECONDS"] == 0


def test_a_server_sends_cookies_only_over_https_to_its_own_pages(monkeypatch):
    read = read_settings(monkeypatch, **SERVER)
    assert read["SECRET_KEY"] == SERVER["SECRET_KEY"] and read["ALLOWED_HOSTS"] == ["khuyenhoc.backan.gov.vn"]
    assert read["SESSION_COOKIE_SECURE"] and read["CSRF_COOKIE_SECURE"]
    assert read["SESSION_COOKIE_HTTPONLY"] and read["CSRF_COOKIE_HTTPONLY"]
    assert read["SESSION_COOKIE_SAMESITE"] == read["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert read["SECURE_SSL_REDIRECT"] and read["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert read["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert read["SECURE_CONTENT_TYPE_NOSNIFF"] and read["SECURE_REFERRER_POLICY"] == "same-origin"


def test_a_server_on_plain_http_turns_the_https_settings_off_together(monkeypatch):
    read = read_settings(monkeypatch, **SERVER, KHUYENHOC_HTTPS="0")
    assert not read["SECURE_SSL_REDIRECT"] and not read["SESSION_COOKIE_SECURE"] and not read["CSRF_COOKIE_SECURE"]
    assert read["SECURE_HSTS_SECONDS"] == 0 and read["SECURE_PROXY_SSL_HEADER"] is None


def manage(*arguments, **environment):
    clean = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    clean.update(DJANGO_SETTINGS_MODULE="khuyenhoc.settings", **environment)
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_is_clean_for_a_server_behind_https():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **SERVER)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


def test_the_command_line_refuses_to_start_without_a_key_and_says_which():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="khuyenhoc.backan.gov.vn")
    assert result.returncode != 0
    assert "environment variable SECRET_KEY is not set" in result.stderr

"""A temporary password (generated, 12 random characters of 50) is stored with PBKDF2 of few rounds, so
that thousands can be made in seconds; it works, and at its first use Django stores it again at full
strength, before its holder must replace it anyway. The suite's own fast hasher is set aside here:
these tests run the production hashers."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher
from django.test import override_settings
from django.urls import reverse

from accounts import services
from accounts.passwords import TEMPORARY_PASSWORD_ITERATIONS, hash_temporary_password
from accounts.roles import Role
from conftest import unit

pytestmark = pytest.mark.django_db

PRODUCTION_HASHERS = override_settings(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]
)


def rounds(encoded: str) -> int:
    return identify_hasher(encoded).decode(encoded)["iterations"]


@PRODUCTION_HASHERS
def test_a_temporary_password_is_hashed_with_few_rounds_and_verifies():
    encoded = hash_temporary_password("abcDEF346790")
    assert encoded.startswith("pbkdf2_sha256$")
    assert rounds(encoded) == TEMPORARY_PASSWORD_ITERATIONS < PBKDF2PasswordHasher.iterations
    assert identify_hasher(encoded).verify("abcDEF346790", encoded)
    assert not identify_hasher(encoded).verify("abcDEF346791", encoded)
    assert hash_temporary_password("abcDEF346790") != encoded  # salted: each hash of its own


@PRODUCTION_HASHERS
def test_the_first_login_stores_it_at_full_strength_and_asks_for_a_new_one(client, personas):
    account, password = services.account_create(
        actor=personas["commune_officer"],
        username="xem.moi",
        full_name="Người Xem Mới",
        role=Role.VIEWER,
        unit=unit("2025", "01843"),
    )
    assert rounds(account.password) == TEMPORARY_PASSWORD_ITERATIONS
    response = client.post(reverse("accounts:login"), {"username": "xem.moi", "password": password})
    assert response.status_code == 302
    account.refresh_from_db()
    assert rounds(account.password) == PBKDF2PasswordHasher.iterations
    assert account.must_change_password
    assert client.get(reverse("registry:households")).url.startswith(reverse("accounts:password_change"))


@PRODUCTION_HASHERS
def test_a_reset_password_is_temporary_too(personas):
    account = personas["viewer"]
    password = services.account_reset_password(actor=personas["province_officer"], account=account)
    account.refresh_from_db()
    assert rounds(account.password) == TEMPORARY_PASSWORD_ITERATIONS
    assert account.check_password(password) and account.must_change_password

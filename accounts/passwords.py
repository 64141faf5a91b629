"""Passwords: Django's minimum-length check with its messages in our catalogue (Django 5.2 changed their
wording and its Vietnamese catalogue still has the old one, so users would read them in English), and
how the temporary passwords the system generates are stored."""

import secrets

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hashers, make_password
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: it must have at least %(count)d character.",
            "This password is too short: it must have at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}

    def get_help_text(self):
        return ngettext(
            "Your password must have at least %(count)d character.",
            "Your password must have at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}


# A temporary password is 12 characters drawn at random from 50 (about 68 bits): guessing it back from
# its hash takes some 10^20 tries whatever each try costs (at a billion tries a second, thousands of
# years). The slow hash (a million PBKDF2 rounds, ~0.8 s here) protects the passwords people choose,
# which are easy to guess; spent on every temporary password it made a file of 10,000 new accounts hash
# for over two hours. So a temporary password gets PBKDF2 with few rounds (salted: ~0.1 ms), and Django
# stores it again at full strength at its first login (the hasher says its rounds are out of date),
# when the account must change it anyway.
TEMPORARY_PASSWORD_ITERATIONS = 100


def hash_temporary_password(password: str) -> str:
    """The stored form of a generated temporary password (see above). Without PBKDF2 among the
    configured hashers (the test suite's fast one alone), the preferred hasher as it is."""
    pbkdf2 = next((h for h in get_hashers() if isinstance(h, PBKDF2PasswordHasher)), None)
    if pbkdf2 is None:
        return make_password(password)
    # 128 random bits in one call: the hasher's own salt() draws its 22 characters one by one.
    salt = secrets.token_hex(16)
    return pbkdf2.encode(password, salt, iterations=min(TEMPORARY_PASSWORD_ITERATIONS, pbkdf2.iterations))

"""Django's minimum-length password check with its messages in our catalogue: Django 5.2 changed their
wording and its Vietnamese catalogue still has the old one, so users would read them in English."""

from django.contrib.auth import password_validation
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

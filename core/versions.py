"""No lost update: every editable record carries a `version`, and a change names the version its
editor saw. Inside the service's transaction the row is locked, its version compared, the audit's
“before” read from the locked row, and the version moved on by the write; a change made on a version
that has since moved is refused with a `StaleVersion` (shown on the page with the current values
reloaded, answered 409 by the API), and nothing is written.

On PostgreSQL a second writer waits on the row lock until the first commits, then sees the new
version; on SQLite every transaction takes the write lock when it begins (IMMEDIATE), which orders
them the same way."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .parsing import whole_number_or

STALE_CODE = "stale"
STALE_MESSAGE = _(
    "This record has been changed by someone else while you were editing it. The current values are shown: "
    "make your change again on them and save."
)


class StaleVersion(ValidationError):
    """The version the editor saw is no longer the record's: someone else's change landed first."""

    def __init__(self, message=None):
        super().__init__(message or STALE_MESSAGE, code=STALE_CODE)


def is_stale(error: ValidationError) -> bool:
    """Whether a service's refusal is a stale version (the API answers it with 409)."""
    return not hasattr(error, "error_dict") and any(item.code == STALE_CODE for item in error.error_list)


def parse_version(value) -> int | None:
    """The version a form or a body sent: a whole number of ASCII digits, else None (read as stale)."""
    return whole_number_or(value, None, min_value=1)


def lock_version(queryset, pk, version):
    """The record `pk` of `queryset`, its row locked for the rest of the transaction, as stored now;
    refused as stale (nothing written) unless its version is `version`. Call inside `atomic`."""
    record = queryset.select_for_update().get(pk=pk)
    if parse_version(version) != record.version:
        raise StaleVersion
    return record


def bump(record) -> None:
    """Move the locked record's version on; saved with the record's other fields."""
    record.version = record.version + 1


def bump_expression():
    """`version = version + 1` for an UPDATE of many rows (an import's bulk update)."""
    return F("version") + 1


class VersionField(forms.IntegerField):
    """The version the page showed, sent back with the form; missing or garbled reads as stale."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_version(value)

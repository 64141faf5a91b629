"""Small parsers of what people and spreadsheets write: whole numbers and years, yes/no, lists of codes
and the names of choices. The pages (query parameters and forms), the API and every import use them, so a
value means the same everywhere and a value that passes a check always fits the column it is saved in."""

import math
import re
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .text import fold

# What each kind of integer column holds, the same on every database (SQLite would store more, and
# PostgreSQL refuse it at the save): a value checked against these always saves.
INTEGER_RANGES = {
    "SmallIntegerField": (-32768, 32767),
    "IntegerField": (-2147483648, 2147483647),
    "BigIntegerField": (-9223372036854775808, 9223372036854775807),
    "PositiveSmallIntegerField": (0, 32767),
    "PositiveIntegerField": (0, 2147483647),
    "PositiveBigIntegerField": (0, 9223372036854775807),
    "AutoField": (1, 2147483647),
    "BigAutoField": (1, 9223372036854775807),
    "SmallAutoField": (1, 32767),
}
MAX_ID = INTEGER_RANGES["BigAutoField"][1]
MAX_DIGITS = 19  # more digits than any integer column holds: refused before Python reads them

# A count as people write it: ASCII digits, in groups of three separated by dots or spaces (155.235,
# 155 235, also the non-breaking spaces that Excel and Word put there) or not grouped at all.
_PLAIN = re.compile(r"-?[0-9]+", re.ASCII)
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:([. \u00a0\u202f])[0-9]{3})(?:\1[0-9]{3})*", re.ASCII)
_DECIMAL = re.compile(r"-?[0-9]*[.,][0-9]+|-?[0-9]+[.,]", re.ASCII)


def field_range(model, name: str) -> tuple[int, int]:
    """The values an integer column of `model` holds, by its type (with its validators' bounds where
    they are narrower)."""
    field = model._meta.get_field(name)
    low, high = INTEGER_RANGES[field.get_internal_type()]
    for validator in field.validators:
        if getattr(validator, "code", "") == "min_value" and isinstance(validator.limit_value, int):
            low = max(low, validator.limit_value)
        if getattr(validator, "code", "") == "max_value" and isinstance(validator.limit_value, int):
            high = min(high, validator.limit_value)
    return low, high


def _out_of_range(low: int | None, high: int | None) -> ValidationError:
    if low is None and high is None:
        return ValidationError(_("This number is too large."), code="out_of_range")
    if low is not None and high is not None:
        message = _("Enter a whole number from %(min)s to %(max)s.")
    elif high is not None:
        message = _("Enter a whole number of at most %(max)s.")
    else:
        message = _("Enter a whole number of at least %(min)s.")
    shown = {
        "min": number_format(low, force_grouping=True) if low is not None else "",
        "max": number_format(high, force_grouping=True) if high is not None else "",
    }
    return ValidationError(message % shown, code="out_of_range")


def _not_whole() -> ValidationError:
    return ValidationError(_("Write a whole number, with the digits 0–9 (for example 155.235)."), code="not_integer")


def _decimal() -> ValidationError:
    return ValidationError(_("Write a whole number here, not a decimal."), code="decimal")


def parse_whole_number(
    value, *, min_value: int | None = None, max_value: int | None = None, grouped: bool = True
) -> int:
    """A whole number given as 5, "5", 5.0 (how spreadsheets store it) or, with `grouped`, "155.235" or
    "155 235" (a count written the Vietnamese way); checked to lie within [min_value, max_value].

    Only the ASCII digits count (“①”, “²” and other scripts' digits are refused); a decimal ("3,5",
    "3.5", 3.5), a sign other than a leading minus, text, booleans and dates are refused."""
    if isinstance(value, bool):
        raise _not_whole()
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _not_whole()
        if not value.is_integer():
            raise _decimal()
        if abs(value) >= 10**MAX_DIGITS:
            raise _out_of_range(min_value, max_value)
        value = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if _PLAIN.fullmatch(text):
            digits = text
        elif grouped and _GROUPED.fullmatch(text):
            digits = re.sub(r"[. \u00a0\u202f]", "", text)
        elif _DECIMAL.fullmatch(text):
            raise _decimal()
        else:
            raise _not_whole()
        if len(digits.lstrip("-").lstrip("0")) > MAX_DIGITS:
            raise _out_of_range(min_value, max_value)
        value = int(digits)
    elif not isinstance(value, int):
        raise _not_whole()
    if (min_value is not None and value < min_value) or (max_value is not None and value > max_value):
        raise _out_of_range(min_value, max_value)
    return value


def year_range() -> tuple[int, int]:
    """The years the system holds data for (settings)."""
    return settings.KHUYENHOC_FIRST_YEAR, settings.KHUYENHOC_LAST_YEAR


def parse_year(value) -> int:
    """A year of the data's range, written in plain digits (2024; never grouped as 2.024)."""
    first, last = year_range()
    try:
        return parse_whole_number(value, min_value=first, max_value=last, grouped=False)
    except ValidationError as error:
        message = _("Enter a year from %(first)d to %(last)d.") % {"first": first, "last": last}
        raise ValidationError(message, code="year") from error


def whole_number_or(value, default=None, *, min_value: int = 0, max_value: int = MAX_ID):
    """`value` read as a whole number within the range, or `default` when it is not one (for what a
    page posts back itself, such as a record's version or the ids picked in a list)."""
    try:
        return parse_whole_number(value, min_value=min_value, max_value=max_value, grouped=False)
    except ValidationError:
        return default


def clean_whole_number(value, *, min_value: int | None = None, max_value: int | None = None) -> int:
    """A whole number as an import cell or a form field gives it (see `parse_whole_number`)."""
    return parse_whole_number(value, min_value=min_value, max_value=max_value)


def query_number(request, name: str, *, default=None, min_value: int = 0, max_value: int = MAX_ID):
    """A whole-number query parameter of a page: `default` when it is absent; when it is not a whole
    number within the range, the page says so (a message naming the parameter) and uses `default`."""
    raw = request.GET.get(name, "")
    if not raw.strip():
        return default
    try:
        return parse_whole_number(raw, min_value=min_value, max_value=max_value, grouped=False)
    except ValidationError as error:
        messages.error(request, _("“%(name)s”: %(error)s") % {"name": name, "error": " ".join(error.messages)})
        return default


def query_year(request, name: str = "year", *, default=None):
    """A year query parameter of a page (see `query_number`)."""
    raw = request.GET.get(name, "")
    if not raw.strip():
        return default
    try:
        return parse_year(raw)
    except ValidationError as error:
        messages.error(request, _("“%(name)s”: %(error)s") % {"name": name, "error": " ".join(error.messages)})
        return default


YES_WORDS = {"co", "x", "1", "true", "yes"}
NO_WORDS = {"khong", "0", "false", "no"}
_AS_TEMPLATES_WRITE = {"Có": True, "Không": False}


def clean_yes_no(value, *, empty: bool) -> bool:
    """“Có”/“Không” as spreadsheets write it (also x, 1/0, yes/no); an empty cell means `empty`."""
    if isinstance(value, bool):
        return value
    if value in _AS_TEMPLATES_WRITE:  # the template's dropdown: most cells of a large file
        return _AS_TEMPLATES_WRITE[value]
    folded = fold(str(value if value is not None else ""))
    if not folded:
        return empty
    if folded in YES_WORDS:
        return True
    if folded in NO_WORDS:
        return False
    raise ValidationError(_("Write “Có” or “Không”."), code="yes_no")


def cell_text(value) -> str:
    """A cell or field as text, without the spaces around it; an empty cell is an empty text."""
    return "" if value is None else str(value).strip()


def split_codes(value) -> list[str]:
    """Codes written in one cell or field, separated by commas, semicolons, spaces or new lines."""
    return [code for code in re.split(r"[\s,;]+", str(value or "")) if code]


@cache
def choice_names(choices) -> dict[str, str]:
    """Every way a choice may be written, folded → value: the value, its English and its Vietnamese label."""
    names = {}
    for language in ("en", "vi"):
        with translation.override(language):
            names.update({fold(str(label)): value for value, label in choices.choices})
    names.update({fold(value): value for value in choices.values})
    return names

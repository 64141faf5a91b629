"""Small parsers of what people and spreadsheets write: whole numbers, yes/no, lists of codes and
the names of choices. The edit forms, the API and every import use them, so a value means the same
everywhere."""

import re
from functools import cache

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from .text import fold


def clean_whole_number(value) -> int:
    """A whole number given as 5, "5" or 5.0 (how spreadsheets store it); anything else is refused."""
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(_("Write a whole number."), code="not_integer")
        value = int(value)
    if isinstance(value, str):
        value = value.strip()
        if not value.lstrip("-").isdigit():
            raise ValidationError(_("Write a whole number."), code="not_integer")
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(_("Write a whole number."), code="not_integer")
    return value


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

"""The rules of a household record, shared by the edit form, the API and the import pipeline."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from khuyenhoc.text import nfc

MAX_MEMBERS = 99


def clean_head_name(value) -> str:
    return clean_name(value, required_message=_("Enter the name of the head of household."))


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


def clean_members(value) -> int:
    """The people of a household, 1 to 99."""
    value = clean_whole_number(value)
    if value < 1:
        raise ValidationError(_("A household has at least one member."), code="min_value")
    if value > MAX_MEMBERS:
        raise ValidationError(_("A household has at most %(max)d members.") % {"max": MAX_MEMBERS}, code="max_value")
    return value


def clean_name(value, *, max_length: int = 120, required_message: str | None = None) -> str:
    name = nfc(str(value or ""))
    if not name:
        raise ValidationError(required_message or _("Enter the name."), code="required")
    if len(name) > max_length:
        raise ValidationError(_("A name has at most %(max)d characters.") % {"max": max_length}, code="max_length")
    return name


def clean_member_households(value) -> int:
    value = clean_whole_number(value)
    if value < 1:
        raise ValidationError(_("A clan has at least one member household."), code="min_value")
    return value

"""The rules of a household record, shared by the edit form, the API and the import pipeline."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from khuyenhoc.text import nfc

MAX_MEMBERS = 99


def clean_head_name(value) -> str:
    name = nfc(str(value or ""))
    if not name:
        raise ValidationError(_("Enter the name of the head of household."), code="required")
    if len(name) > 120:
        raise ValidationError(_("A name has at most 120 characters."), code="max_length")
    return name


def clean_members(value) -> int:
    """A whole number of people, 1 to 99; accepts "5", 5 and 5.0 (how spreadsheets store it)."""
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(_("The number of members must be a whole number."), code="not_integer")
        value = int(value)
    if isinstance(value, str):
        value = value.strip()
        if not value.lstrip("-").isdigit():
            raise ValidationError(_("The number of members must be a whole number."), code="not_integer")
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(_("The number of members must be a whole number."), code="not_integer")
    if value < 1:
        raise ValidationError(_("A household has at least one member."), code="min_value")
    if value > MAX_MEMBERS:
        raise ValidationError(_("A household has at most %(max)d members.") % {"max": MAX_MEMBERS}, code="max_value")
    return value

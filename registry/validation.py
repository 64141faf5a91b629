"""The rules of registry records, shared by the edit forms, the API and the import pipeline."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Level
from core.parsing import INTEGER_RANGES, choice_names, clean_whole_number
from core.text import fold, nfc

from .models import ManagingLevel, UnitKind

MAX_MEMBERS = 99
MAX_MEMBER_HOUSEHOLDS = INTEGER_RANGES["PositiveIntegerField"][1]  # the column's limit


# Lazy: imports clean millions of names, and translating the message each time cost more than the rule.
HEAD_NAME_REQUIRED = gettext_lazy("Enter the name of the head of household.")


def clean_head_name(value) -> str:
    return clean_name(value, required_message=HEAD_NAME_REQUIRED)


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
    value = clean_whole_number(value, max_value=MAX_MEMBER_HOUSEHOLDS)
    if value < 1:
        raise ValidationError(_("A clan has at least one member household."), code="min_value")
    return value


def clean_optional_name(value, *, max_length: int = 120) -> str:
    """A name that may be left empty (the head of a clan)."""
    name = nfc(str(value or ""))
    if len(name) > max_length:
        raise ValidationError(_("A name has at most %(max)d characters.") % {"max": max_length}, code="max_length")
    return name


def clean_unit_kind(value) -> str:
    kind = choice_names(UnitKind).get(fold(str(value or "")))
    if kind is None:
        raise ValidationError(_("Unknown kind of unit “%(kind)s”.") % {"kind": value}, code="kind")
    return kind


def clean_managing_level(value) -> str:
    level = choice_names(ManagingLevel).get(fold(str(value or "")))
    if level is None:
        raise ValidationError(_("Unknown managing level “%(level)s”.") % {"level": value}, code="level")
    return level


MANAGING_LEVEL_OF_AREA = {
    ManagingLevel.PROVINCE: Level.PROVINCE,
    ManagingLevel.DISTRICT: Level.DISTRICT,
    ManagingLevel.COMMUNE: Level.COMMUNE,
}


def clean_unit_area(area, managing_level: str):
    """A unit belongs to an area of the level that manages it."""
    if area.level != MANAGING_LEVEL_OF_AREA[managing_level]:
        raise ValidationError(
            _("A unit managed at %(level)s level belongs to a unit of that level, and %(area)s is not one.")
            % {"level": ManagingLevel(managing_level).label.lower(), "area": area},
            code="level",
        )
    return area


def clean_clan_commune(commune):
    """A clan is registered at a commune."""
    if commune.level != Level.COMMUNE:
        raise ValidationError(_("%(unit)s is not a commune.") % {"unit": commune}, code="not_commune")
    return commune

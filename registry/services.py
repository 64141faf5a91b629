"""Household changes: validated, atomic, audited with before → after."""

from django.db import transaction
from django.db.models import Max

from audit.services import audit_record
from khuyenhoc.text import fold, sort_key

from .models import Household
from .validation import clean_head_name, clean_members

AUDITED_FIELDS = ("village", "head_name", "members", "is_active")


def snapshot(household: Household) -> dict:
    return {
        "village": household.village.code,
        "head_name": household.head_name,
        "members": household.members,
        "is_active": household.is_active,
    }


def next_household_codes(village, count: int = 1) -> list[str]:
    """Village code + a four-digit number, never reused within the village."""
    prefix = f"{village.code}-"
    last = Household.objects.filter(code__startswith=prefix).aggregate(last=Max("code"))["last"]
    start = int(last[len(prefix) :]) + 1 if last else 1
    return [f"{prefix}{number:04d}" for number in range(start, start + count)]


def _fill_search_fields(household: Household) -> None:
    household.search_name = fold(household.head_name)
    household.sort_key = sort_key(household.head_name)


@transaction.atomic
def household_create(*, actor, village, head_name, members) -> Household:
    household = Household(
        code=next_household_codes(village)[0],
        village=village,
        head_name=clean_head_name(head_name),
        members=clean_members(members),
    )
    _fill_search_fields(household)
    household.save()
    audit_record(actor=actor, action="household.create", obj=household, after=snapshot(household))
    return household


@transaction.atomic
def household_update(*, actor, household: Household, village, head_name, members, is_active) -> Household:
    before = snapshot(household)
    household.village = village
    household.head_name = clean_head_name(head_name)
    household.members = clean_members(members)
    household.is_active = bool(is_active)
    _fill_search_fields(household)
    after = snapshot(household)
    if after != before:
        household.save()
        audit_record(actor=actor, action="household.update", obj=household, before=before, after=after)
    return household

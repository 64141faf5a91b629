"""Household changes: validated, atomic, audited with before → after."""

from django.db import transaction

from audit.services import audit_record
from khuyenhoc.text import fold, sort_key

from .models import Household, HouseholdNumbering
from .validation import clean_head_name, clean_members

AUDITED_FIELDS = ("village", "head_name", "members", "is_active")


def snapshot(household: Household) -> dict:
    return {
        "village": household.village.code,
        "head_name": household.head_name,
        "members": household.members,
        "is_active": household.is_active,
    }


def issue_household_codes(counts: dict) -> dict:
    """{village: how many} → {village pk: iterator of new codes}: village code + a four-digit number.

    Locks the villages' counters for the rest of the transaction, so two imports never issue
    the same code; one query reads them and one writes them back.
    """
    villages = {village.pk: village for village in counts}
    last = dict(
        HouseholdNumbering.objects.select_for_update()
        .filter(village_id__in=villages)
        .values_list("village_id", "last_number")
    )
    codes, counters = {}, []
    for village, count in counts.items():
        start = last.get(village.pk, 0) + 1
        codes[village.pk] = iter([f"{village.code}-{number:04d}" for number in range(start, start + count)])
        counters.append(HouseholdNumbering(village_id=village.pk, last_number=start + count - 1))
    # One upsert instead of bulk_update, whose CASE expressions cost seconds for thousands of villages.
    HouseholdNumbering.objects.bulk_create(
        counters, update_conflicts=True, unique_fields=["village"], update_fields=["last_number"]
    )
    return codes


def _fill_search_fields(household: Household) -> None:
    household.search_name = fold(household.head_name)
    household.sort_key = sort_key(household.head_name)


@transaction.atomic
def household_create(*, actor, village, head_name, members) -> Household:
    household = Household(
        code=next(issue_household_codes({village: 1})[village.pk]),
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

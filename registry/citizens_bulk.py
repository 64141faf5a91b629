"""Many learning citizens at once, for the import: what its check found, kept on disk between the check
and the save (core.staging), written as the households' are (registry.households_bulk): ids reserved,
persons and their audit entries streamed in one COPY each on PostgreSQL, the figures told once for
the file. Guarded: a person added or changed by someone else since the check fails the save."""

from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from areas.models import Village
from audit.services import audit_many
from core.bulk import holding, insert, int_in, reserved_ids, text_in, update_where_unchanged
from core.changes import announce
from core.importers import StaleCheck
from core.text import fold, sort_key

from .changes import CitizensChanged
from .citizens import code_prefix, snapshot_json
from .models import Citizen, Household, TargetGroup
from .services import issue_codes

# New persons are staged a batch at a time as columns, which the save reads three times
# (four when some of their villages hold persons already):
# village ids, village codes, household ids, household codes, full names, years of birth, sexes, target
# group ids, target group codes, still living here, search names (the codes for the history entries,
# the search names as the check folded them). An update is staged as a row: [id, version seen, what
# the figures counted of it before, village id, household id, full name, birth year, sex, target group
# id, still living here, before, after]. Lists of text and numbers: core.staging keeps them.
NEW_PERSON_FIELDS = 11
# What an import may change of a person; a new one is written with its creation and change times too.
CITIZEN_CHANGED_COLUMNS = [
    "village",
    "household",
    "full_name",
    "birth_year",
    "sex",
    "target_group",
    "is_active",
    "search_name",
    "sort_key",
]
CITIZEN_WRITE_COLUMNS = [*CITIZEN_CHANGED_COLUMNS, "created_at", "updated_at"]
_TABLE = Citizen._meta.db_table
LOOKUP_BATCH = 5000  # values asked about per query (SQLite allows 32,766 parameters)


@transaction.atomic
def citizens_save_many(*, creates, updates, actor, source: str, reason: str = "") -> None:
    """Write what an import's check found, in the caller's transaction: `creates` and `updates`
    iterables of batches of staged rows (above) that can be read again. Raises StaleCheck, before
    writing anything, if someone else registered one of the new persons or moved a household named
    out of its village since the check, and at the updates if one of the persons changed since."""
    per_village, households, groups, villages = Counter(), {}, set(), set()
    for columns in creates:  # read once for every check
        villages.update(columns[0])
        per_village.update(columns[1])
        households.update((pk, village) for pk, village in zip(columns[2], columns[0], strict=True) if pk is not None)
        groups.update(pk for pk in columns[7] if pk is not None)
    for batch in updates:
        households.update((row[4], row[3]) for row in batch if row[4] is not None)
        groups.update(row[8] for row in batch if row[8] is not None)
    _check_households(households, groups)
    _check_still_new(creates, holding(parent=Village, child=Citizen, column="village_id", ids=villages))
    now = timezone.now()
    counted = []  # (id, before, after) of what the figures count: told once, for the whole file
    if per_village:
        _create(creates, per_village, now, counted, actor=actor, source=source, reason=reason)
    for batch in updates:
        if batch:
            _update(batch, now, counted, actor=actor, source=source, reason=reason)
    if counted:
        announce(CitizensChanged(counted))


def _check_still_new(creates, held: set[int]) -> None:
    """No new person's (village, name, year of birth) is held by a person now: someone registered them
    since the check (asked before any write, while the planner's statistics still fit the table). Only
    the villages `held` by some person are asked about: a first import fills empty villages."""
    if not held:
        return
    for columns in creates:
        keys = {key for key in zip(columns[0], columns[10], columns[5], strict=True) if key[0] in held}
        if keys and _held(keys):
            raise StaleCheck


def _held(keys) -> bool:
    villages = sorted({key[0] for key in keys})
    names, name_params = text_in("search_name", {key[1] for key in keys})
    for start in range(0, len(villages), LOOKUP_BATCH):
        where, params = int_in("village_id", villages[start : start + LOOKUP_BATCH])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT village_id, search_name, birth_year FROM {_TABLE} WHERE {where} AND {names}",
                [*params, *name_params],
            )
            if any(tuple(row) in keys for row in cursor.fetchall()):
                return True
    return False


def _check_households(households: dict, groups: set) -> None:
    """The households named ({id: village id}) are still in the persons' villages, and the target
    groups still exist."""
    ids = sorted(households)
    for start in range(0, len(ids), LOOKUP_BATCH):
        found = Household.objects.filter(pk__in=ids[start : start + LOOKUP_BATCH]).values_list("pk", "village_id")
        held = dict(found)
        if any(held.get(pk) != households[pk] for pk in ids[start : start + LOOKUP_BATCH]):
            raise StaleCheck
    if groups and TargetGroup.objects.filter(pk__in=groups).count() != len(groups):
        raise StaleCheck


def _create(creates, per_village: Counter, now, counted: list, *, actor, source: str, reason: str) -> None:
    """All new persons in one stream, then their audit entries in another, with ids reserved
    beforehand (registry.households_bulk._create); `per_village` counts them by their village's code."""
    issued = issue_codes({code_prefix(village): count for village, count in per_village.items()})
    codes = {village: issued[code_prefix(village)] for village in per_village}  # by village code
    ids = reserved_ids(Citizen, per_village.total())
    written = connection.ops.adapt_datetimefield_value(now)

    def rows():
        return (row for columns in creates for row in zip(*columns, strict=True))

    def citizens():
        for pk, row in zip(ids, rows(), strict=True):
            village, village_code, household, _household_code, name, year, sex, group, _group_code, active, search = row
            counted.append((pk, None, (village, year, active)))
            code = next(codes[village_code])
            yield (
                pk,
                code,
                village,
                household,
                name,
                year,
                sex,
                group,
                active,
                search,
                sort_key(name),
                written,
                written,
            )

    def entries():
        for pk, row in zip(ids, rows(), strict=True):
            _village, village_code, _household, household_code, name, year, sex, _group, group_code, active, _s = row
            after = snapshot_json(
                village=village_code,
                household=household_code,
                full_name=name,
                birth_year=year,
                sex=sex,
                target_group=group_code,
                is_active=active,
            )
            yield pk, None, after

    insert(Citizen, ["id", "code", *CITIZEN_WRITE_COLUMNS], citizens())
    audit_many(actor=actor, action="citizen.create", model=Citizen, changes=entries(), reason=reason, source=source)


def _update(batch, now, counted: list, *, actor, source: str, reason: str) -> None:
    rows = [(row[0], row[1], *row[3:10], fold(row[5]), sort_key(row[5])) for row in batch]
    if update_if_unchanged(rows, connection.ops.adapt_datetimefield_value(now)) != len(rows):
        raise StaleCheck
    counted.extend((row[0], tuple(row[2]), (row[3], row[6], row[9])) for row in batch)
    audit_many(
        actor=actor,
        action="citizen.update",
        model=Citizen,
        changes=((row[0], row[10], row[11]) for row in batch),
        reason=reason,
        source=source,
    )


def update_if_unchanged(rows, now) -> int:
    """Apply (id, version seen, village, household, name, birth year, sex, target group, still living
    here, search name, sort key) rows to persons still at the version seen, moving their versions on
    (a form opened before the import is refused as stale); the number updated."""
    return update_where_unchanged(
        Citizen,
        seen=["version"],
        columns=CITIZEN_CHANGED_COLUMNS,
        rows=rows,
        now=now,
    )

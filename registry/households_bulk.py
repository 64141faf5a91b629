"""Many households at once, for the import: looked up a batch at a time by code or by village and
head of household, and written through `households_save_many`, the service that issues their codes,
announces the moves to the statistics and writes one audit entry per household, all in streams."""

import json
from collections import Counter, defaultdict
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from areas.models import Village
from audit.services import audit_many
from core.bulk import holding, insert, int_in, reserved_ids, text_in, update_where_unchanged
from core.changes import announce
from core.importers import StaleCheck
from core.text import fold, sort_key

from .changes import HouseholdsMoved
from .models import Household
from .services import issue_codes


class ExistingHousehold(NamedTuple):
    """A household as the database holds it (a tuple: made by the thousand per batch)."""

    pk: int
    code: str
    village_id: int
    head_name: str
    members: int
    is_active: bool
    merged_into_id: int | None  # a duplicate merged into another household: no import changes it

    def fields(self) -> list:
        return [self.village_id, self.head_name, self.members, self.is_active]


HOUSEHOLD_WRITE_COLUMNS = [
    "code",
    "village",
    "head_name",
    "members",
    "is_active",
    "search_name",
    "sort_key",
    "created_at",
    "updated_at",
]
_EXISTING_COLUMNS = "h.id, h.code, h.village_id, h.head_name, h.members, h.is_active, h.merged_into_id"
_TABLE = Household._meta.db_table
CODE_BATCH = 5000  # villages asked about per query (SQLite allows 32,766 parameters)


def existing_with_codes(codes) -> list[ExistingHousehold]:
    where, params = text_in("h.code", codes)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_EXISTING_COLUMNS} FROM {_TABLE} h WHERE {where}", params)
        return [ExistingHousehold(*row) for row in cursor.fetchall()]


def existing_with_names(pairs) -> dict[tuple[int, str], list[ExistingHousehold]]:
    """Households of the given villages whose head has one of the given names (ignoring case),
    keyed by (village, casefolded name). Two ways, by how many households those villages hold:
    few (a province's first import fills empty villages; a sorted file touches a few villages per
    batch): all of them, with no key computed; many: by the (village, sort_key) index."""
    found = defaultdict(list)
    held = dict(
        Household.objects.filter(village_id__in={village for village, _name in pairs})
        .values_list("village_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    pairs = [(village, name) for village, name in pairs if village in held]
    if not pairs:
        return found
    wanted = {(village, name.casefold()) for village, name in pairs}
    if sum(held.values()) <= 4 * len(pairs):
        where, params = int_in("h.village_id", held)
        candidates = _select(f"SELECT {_EXISTING_COLUMNS} FROM {_TABLE} h WHERE {where}", params)
    else:
        candidates = _existing_with_keys({(village, sort_key(name)) for village, name in pairs})
    for household in candidates:
        key = (household.village_id, household.head_name.casefold())
        # A merged duplicate shares its survivor's head and village: the row means the survivor.
        if key in wanted and household.merged_into_id is None:
            found[key].append(household)
    return found


def _select(sql, params) -> list[ExistingHousehold]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list({row[0]: ExistingHousehold(*row) for row in cursor.fetchall()}.values())


def _existing_with_keys(keys: set[tuple[int, str]]) -> list[ExistingHousehold]:
    """Households whose (village, sort key) is one of `keys`, by the (village, sort_key) index."""
    if connection.vendor == "postgresql":
        # One index probe per pair (two "= ANY" arrays would probe every combination), the pairs
        # sent as one JSON text (see core.bulk.text_in).
        sql = (
            f"SELECT {_EXISTING_COLUMNS} FROM {_TABLE} h JOIN (SELECT (e->>0)::bigint AS village_id, e->>1 AS "
            "sort_key FROM json_array_elements(%s::json) e) k ON h.village_id = k.village_id AND h.sort_key = "
            "k.sort_key"
        )
        return _select(sql, [json.dumps(list(keys))])
    pairs = ", ".join(["(%s, %s)"] * len(keys))
    sql = f"SELECT {_EXISTING_COLUMNS} FROM {_TABLE} h WHERE (h.village_id, h.sort_key) IN (VALUES {pairs})"
    return _select(sql, [value for key in keys for value in key])


@transaction.atomic
def households_save_many(*, creates, updates, actor, source: str, reason: str = "") -> None:
    """Write what an import's check found, in the caller's transaction: `creates` the new households
    as batches of columns (village ids, heads, members, still living here), `updates` batches of
    [id, code, [village id, head, members, living] as the check saw them, village id, head, members,
    living, before, after]; both iterables that can be read again (a national file's changes are
    kept on disk, not in memory). New households get codes from their villages' counters and are
    streamed in one COPY (PostgreSQL), updates are guarded by the values the check saw; every
    household gets one audit entry marked with `source`. Raises StaleCheck if another user added
    one of the new households or changed one of the updated ones since the check."""
    new_per_village = Counter()
    for villages, *_columns in creates:
        new_per_village.update(villages)
    _check_still_new(creates, new_per_village)
    now = timezone.now()
    if new_per_village:
        _create(creates, new_per_village, now, actor=actor, source=source, reason=reason)
    for batch in updates:
        if batch:
            _update(batch, now, actor=actor, source=source, reason=reason)


def _check_still_new(creates, new_per_village: Counter) -> None:
    """Every new household is looked for before any is written (asked between writes, the planner,
    whose statistics still describe the table before the import, scans it all), and only in
    villages holding households: a first import fills empty villages."""
    held = holding(parent=Village, child=Household, column="village_id", ids=new_per_village)
    if not held:
        return
    for villages, heads, *_columns in creates:
        pairs = [(village, head) for village, head in zip(villages, heads, strict=True) if village in held]
        if pairs and existing_with_names(pairs):
            raise StaleCheck


def _create(creates, new_per_village: Counter, now, *, actor, source: str, reason: str) -> None:
    """All new households in one stream, then their audit entries in another: PostgreSQL writes
    rows while Python prepares the next ones (a COPY per batch would make each wait for the other
    at every batch's end). Their ids are taken beforehand, so that the entries name them without
    reading them back."""
    codes, village_codes = {}, {}
    village_ids = sorted(new_per_village)
    for start in range(0, len(village_ids), CODE_BATCH):
        chunk = village_ids[start : start + CODE_BATCH]
        village_codes.update(Village.objects.filter(pk__in=chunk).values_list("pk", "code"))
        issued = issue_codes({village_codes[pk]: new_per_village[pk] for pk in chunk})
        codes.update((pk, issued[village_codes[pk]]) for pk in chunk)
    ids = reserved_ids(Household, new_per_village.total())
    written = connection.ops.adapt_datetimefield_value(now)

    def households():
        for pk, (village, head, members, active) in zip(ids, _new_rows(creates), strict=True):
            code = next(codes[village])
            yield (pk, code, village, head, members, active, fold(head), sort_key(head), written, written)

    def snapshots():
        for pk, (village, head, members, active) in zip(ids, _new_rows(creates), strict=True):
            after = {"village": village_codes[village], "head_name": head, "members": members, "is_active": active}
            yield pk, None, after

    insert(Household, ["id", *HOUSEHOLD_WRITE_COLUMNS], households())
    audit_many(
        actor=actor, action="household.create", model=Household, changes=snapshots(), reason=reason, source=source
    )


def _new_rows(creates):
    for columns in creates:
        yield from zip(*columns, strict=True)


def _update(batch, now, *, actor, source: str, reason: str) -> None:
    rows = [(u[0], *u[2], *u[3:7], fold(u[4]), sort_key(u[4])) for u in batch]
    if update_if_unchanged(rows, connection.ops.adapt_datetimefield_value(now)) != len(rows):
        raise StaleCheck
    announce(HouseholdsMoved([(row[0], row[1], row[5]) for row in rows]))
    audit_many(
        actor=actor,
        action="household.update",
        model=Household,
        changes=((u[0], u[7], u[8]) for u in batch),
        reason=reason,
        source=source,
    )


def update_if_unchanged(rows, now) -> int:
    """Apply (pk, seen village, head, members, active, new village, head, members, active, search
    name, sort key) rows to households still holding the seen values, moving their versions on (a
    form opened before the import is refused as stale); the number updated."""
    return update_where_unchanged(
        Household,
        seen=["village", "head_name", "members", "is_active"],
        columns=["village", "head_name", "members", "is_active", "search_name", "sort_key"],
        rows=rows,
        now=now,
    )

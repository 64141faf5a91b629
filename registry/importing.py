"""Households from a spreadsheet: the same validators as the form, looked up a batch at a time.

Natural keys make re-uploads idempotent: a row with a household code updates that household; a
row without one matches a household of the same village with the same head of household, and
only if there is none is a new household created (and given a code).
"""

import io
import json
from collections import Counter, defaultdict
from typing import NamedTuple

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import Village
from audit.models import AuditEntry
from core.bulk import copy_rows, insert, int_in, text_in
from core.changes import announce
from core.importers import Importer, Outcome, StaleCheck
from core.parsing import clean_yes_no
from core.readers import Column
from core.text import fold, sort_key

from .changes import HouseholdsMoved
from .exports import HOUSEHOLD_COLUMNS
from .models import Household
from .services import issue_codes
from .validation import clean_head_name, clean_members


class ExistingHousehold(NamedTuple):
    """A household as the database holds it (a tuple: made by the thousand per batch)."""

    pk: int
    code: str
    village_id: int
    head_name: str
    members: int
    is_active: bool

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
_EXISTING_COLUMNS = "h.id, h.code, h.village_id, h.head_name, h.members, h.is_active"
_TABLE = Household._meta.db_table
MAX_REMEMBERED = 1000  # different texts of a column whose checked value is remembered
CODE_BATCH = 5000  # villages asked about per query (SQLite allows 32,766 parameters)


def _clean_active(value) -> bool:
    return clean_yes_no(value, empty=True)


def _text(value) -> str:
    return value if type(value) is str else str(value if value is not None else "").strip()


def _existing_with_codes(codes) -> list[ExistingHousehold]:
    where, params = text_in("h.code", codes)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_EXISTING_COLUMNS} FROM {_TABLE} h WHERE {where}", params)
        return [ExistingHousehold(*row) for row in cursor.fetchall()]


def _existing_with_names(pairs) -> dict[tuple[int, str], list[ExistingHousehold]]:
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
        if key in wanted:
            found[key].append(household)
    return found


def _holding_households(village_ids) -> set[int]:
    """Which of these villages hold at least one household."""
    village_ids = sorted(village_ids)
    held = set()
    for start in range(0, len(village_ids), CODE_BATCH):
        where, params = int_in("v.id", village_ids[start : start + CODE_BATCH])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT v.id FROM {Village._meta.db_table} v WHERE {where} AND EXISTS "
                f"(SELECT 1 FROM {_TABLE} h WHERE h.village_id = v.id)",
                params,
            )
            held.update(row[0] for row in cursor.fetchall())
    return held


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


class HouseholdImporter(Importer):
    """Checks each row once and stages the result: a national file holds millions of households."""

    kind = "households"
    perm = Perm.MANAGE_HOUSEHOLDS
    stages_changes = True
    positional = True  # rows are [code, village, head_name, members, is_active], as `columns`
    columns = [
        Column("code", HOUSEHOLD_COLUMNS[0], required=False),
        Column("village", HOUSEHOLD_COLUMNS[1]),
        Column("head_name", HOUSEHOLD_COLUMNS[3]),
        Column("members", HOUSEHOLD_COLUMNS[4]),
        Column("is_active", HOUSEHOLD_COLUMNS[5], required=False),
    ]

    def __init__(self, *, user):
        super().__init__(user=user)
        self.first_row_of_key = {}
        self.members_seen, self.active_seen = {}, {}
        self.village_codes = {}  # pk → code of the villages seen, for the before/after of updates

    def classify(self, batch, outcome: Outcome) -> dict:
        """The changes a batch asks for, ready to stage: new households as columns (village, head,
        members, still living here), updates as rows. Errors go to `outcome`. A few queries per
        batch, none per row."""
        villages = {
            code: (pk, name)
            for pk, code, name in Village.objects.visible_to(self.user)
            .filter(code__in={_text(values[1]) for _, values in batch})
            .values_list("pk", "code", "name")
        }
        self.village_codes.update((pk, code) for code, (pk, _name) in villages.items())
        rows = []
        for number, values in batch:
            clean = self._clean(number, values, villages, outcome)
            if clean is not None:
                rows.append(clean)
        by_code = self._visible({r[1] for r in rows if r[1]}, _existing_with_codes)
        by_key = _existing_with_names([(r[2], r[3]) for r in rows if not r[1]])
        creates, updates = ([], [], [], []), []
        # Bound once: this loop runs for every row of files of millions.
        first_row_of_key = self.first_row_of_key
        new_village, new_head, new_members, new_active = (column.append for column in creates)
        sampling = outcome.wants_sample("create")
        for number, code, village_id, head, members, active in rows:
            if code:
                existing = by_code.get(code)
                if existing is None:
                    self.error(outcome, number, "code", _("Unknown household code “%(code)s”.") % {"code": code})
                    continue
                natural_key = code
            else:
                natural_key = (village_id, head.casefold())
                matches = by_key.get(natural_key, ())
                if len(matches) > 1:
                    self.error(
                        outcome,
                        number,
                        "code",
                        _("%(village)s has several households headed by %(name)s: give the household code.")
                        % {"village": self._village_name(villages, village_id), "name": head},
                    )
                    continue
                existing = matches[0] if matches else None
            # The hash, not the key: a national file has millions of rows (a clash is ~1 in 10^7 files).
            first = first_row_of_key.setdefault(hash(natural_key), number)
            if first != number:
                self.error(outcome, number, "code", _("The same household as row %(row)d.") % {"row": first})
                continue
            if existing is None:
                new_village(village_id)
                new_head(head)
                new_members(members)
                new_active(active)
                if sampling:
                    sample = self._snapshot([village_id, head, members, active])
                    outcome.samples["create"].append({"row": number, **sample})
                    sampling = outcome.wants_sample("create")
                continue
            fields = [village_id, head, members, active]
            if existing.fields() == fields:
                outcome.counts["unchanged"] += 1
            else:
                before, after = self._snapshot(existing.fields()), self._snapshot(fields)
                updates.append([existing.pk, existing.code, existing.fields(), *fields, before, after])
                outcome.count("update", {"row": number, "code": existing.code, "before": before, "after": after})
        outcome.counts["create"] += len(creates[0])
        return {"create": creates, "update": updates}

    def _clean(self, number, values, villages, outcome):
        """The row's values through the household rules, or None (its errors in `outcome`)."""
        code, village_code, head, members, active = values
        failed = False
        try:
            head = clean_head_name(head)
        except ValidationError as error:
            self.error(outcome, number, "head_name", error)
            failed = True
        try:
            members = self._members(members)
        except ValidationError as error:
            self.error(outcome, number, "members", error)
            failed = True
        try:
            active = self._active(active)
        except ValidationError as error:
            self.error(outcome, number, "is_active", error)
            failed = True
        village_code = _text(village_code)
        village = villages.get(village_code)
        if village is None:
            message = _("Unknown village code “%(code)s”, or a village outside your area.") % {"code": village_code}
            self.error(outcome, number, "village", message)
            return None
        if failed:
            return None
        return number, _text(code), village[0], head, members, active

    def _members(self, value) -> int:
        return self._remembered(self.members_seen, clean_members, value)

    def _active(self, value) -> bool:
        return self._remembered(self.active_seen, _clean_active, value)

    @staticmethod
    def _remembered(seen: dict, validator, value):
        """The validator's answer for a text seen before ("4", "Có": a file holds a few dozen
        different ones in millions of rows). Only text: as keys, 1, 1.0 and True are one."""
        if type(value) is not str:
            return validator(value)
        clean = seen.get(value)
        if clean is None:
            clean = validator(value)
            if len(seen) < MAX_REMEMBERED:
                seen[value] = clean
        return clean

    def _visible(self, codes, lookup) -> dict:
        """Households with these codes whose village the user may see (others are unknown to them)."""
        found = lookup(codes) if codes else []
        unseen = {h.village_id for h in found} - set(self.village_codes)
        if unseen:
            self.village_codes.update(
                Village.objects.visible_to(self.user).filter(pk__in=unseen).values_list("pk", "code")
            )
        return {h.code: h for h in found if h.village_id in self.village_codes}

    def _snapshot(self, fields) -> dict:
        village_id, head, members, active = fields
        return {"village": self.village_codes[village_id], "head_name": head, "members": members, "is_active": active}

    @staticmethod
    def _village_name(villages, village_id):
        return next(name for pk, name in villages.values() if pk == village_id)

    def save_staged(self, staging, *, actor, job) -> None:
        """Write the checked changes: new households in one COPY (PostgreSQL) with codes issued per
        village, updates guarded by the values the check saw. Raises StaleCheck if another user
        added one of the new households or changed one of the updated ones since the check."""
        new_per_village = Counter()
        for staged in staging.batches():
            new_per_village.update(staged["create"][0])
        # Every new household is looked for before any is written (asked between writes, the
        # planner, whose statistics still describe the table before the import, scans it all),
        # and only in villages holding households: a first import fills empty villages.
        held = _holding_households(new_per_village)
        if held:
            for staged in staging.batches():
                pairs = [(v, head) for v, head in zip(*staged["create"][:2], strict=True) if v in held]
                if pairs and _existing_with_names(pairs):
                    raise StaleCheck
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        if new_per_village:
            self._create(staging, new_per_village, now)
        for staged in staging.batches():
            if staged["update"]:
                self._update(staged["update"], now, actor=actor, job=job)

    def _create(self, staging, new_per_village: Counter, now) -> None:
        """All new households in one stream: PostgreSQL writes rows while Python prepares the next
        ones (a COPY per batch would make each wait for the other at every batch's end)."""
        codes = {}
        village_ids = sorted(new_per_village)
        for start in range(0, len(village_ids), CODE_BATCH):
            chunk = village_ids[start : start + CODE_BATCH]
            village_codes = dict(Village.objects.filter(pk__in=chunk).values_list("pk", "code"))
            issued = issue_codes({village_codes[pk]: new_per_village[pk] for pk in chunk})
            codes.update((pk, issued[village_codes[pk]]) for pk in chunk)

        def rows():
            for staged in staging.batches():
                for village, head, members, active in zip(*staged["create"], strict=True):
                    yield (next(codes[village]), village, head, members, active, fold(head), sort_key(head), now, now)

        insert(Household, HOUSEHOLD_WRITE_COLUMNS, rows())

    def _update(self, updates, now, *, actor, job) -> None:
        rows = [(u[0], *u[2], *u[3:7], fold(u[4]), sort_key(u[4])) for u in updates]
        if update_if_unchanged(rows, now) != len(rows):
            raise StaleCheck
        announce(HouseholdsMoved([(row[0], row[1], row[5]) for row in rows]))
        reason = _("Import #%(job)d") % {"job": job.pk}
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=actor,
                    action="household.update",
                    object_type=Household._meta.label_lower,
                    object_id=str(u[0]),
                    before=u[7],
                    after=u[8],
                    reason=reason,
                    source=job.audit_source,
                )
                for u in updates
            ],
            batch_size=2000,
        )

    def template(self) -> bytes:
        """The upload template, with the villages of the user's area on a second sheet and a dropdown."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet("Hộ gia đình")
        lists = workbook.add_worksheet("Thôn")
        bold = workbook.add_format({"bold": True})
        text = workbook.add_format({"num_format": "@"})
        sheet.write_row(0, 0, HOUSEHOLD_COLUMNS, bold)
        sheet.set_column(0, 1, 16, text)
        sheet.set_column(2, 3, 28)
        sheet.set_column(4, 5, 14)
        lists.write_row(0, 0, [HOUSEHOLD_COLUMNS[1], HOUSEHOLD_COLUMNS[2]], bold)
        villages = Village.objects.visible_to(self.user).order_by("code").values_list("code", "name")
        count = 0
        for count, (code, name) in enumerate(villages.iterator(), start=1):
            lists.write_string(count, 0, code)
            lists.write_string(count, 1, name)
        if count:
            sheet.data_validation(1, 1, 100000, 1, {"validate": "list", "source": f"='Thôn'!$A$2:$A${count + 1}"})
        sheet.data_validation(1, 5, 100000, 5, {"validate": "list", "source": ["Có", "Không"]})
        sheet.freeze_panes(1, 0)
        workbook.close()
        return buffer.getvalue()


def update_if_unchanged(rows, now) -> int:
    """Apply (pk, seen village, head, members, active, new village, head, members, active, search
    name, sort key) rows to households still holding the seen values; the number updated."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TABLE IF EXISTS household_update")
            cursor.execute(
                "CREATE TEMPORARY TABLE household_update (id bigint, seen_village bigint, seen_head text, seen_members "
                "int, seen_active bool, village bigint, head text, members int, active bool, search_name text, "
                "sort_key text) ON COMMIT DROP"
            )
            types = ["int8", "int8", "text", "int4", "bool", "int8", "text", "int4", "bool", "text", "text"]
            copy_rows(cursor, "household_update", types, rows)
            cursor.execute(
                f"UPDATE {_TABLE} h SET village_id = u.village, head_name = u.head, members = u.members, is_active = "
                "u.active, search_name = u.search_name, sort_key = u.sort_key, updated_at = %s FROM household_update u "
                "WHERE h.id = u.id AND "
                "h.village_id = u.seen_village AND h.head_name = u.seen_head AND h.members = u.seen_members AND "
                "h.is_active = u.seen_active",
                [now],
            )
            return cursor.rowcount
        cursor.executemany(
            f"UPDATE {_TABLE} SET village_id = %s, head_name = %s, members = %s, is_active = %s, search_name = %s, "
            "sort_key = %s, updated_at = %s WHERE id = %s AND village_id = %s AND head_name = %s AND members = %s "
            "AND is_active = %s",
            [(*row[5:], now, *row[:5]) for row in rows],
        )
        return cursor.rowcount

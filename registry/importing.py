"""Households from a spreadsheet: the same validators as the form, looked up a batch at a time.

Natural keys make re-uploads idempotent: a row with a household code updates that household; a
row without one matches a household of the same village with the same head of household, and
only if there is none is a new household created (and given a code).
"""

import io

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import Village
from core.importers import Importer, Outcome
from core.parsing import clean_yes_no
from core.readers import Column

from .exports import HOUSEHOLD_COLUMNS
from .households_bulk import HOUSEHOLD_WRITE_COLUMNS, existing_with_codes, existing_with_names, households_save_many
from .models import Household
from .validation import clean_head_name, clean_members

# The columns of the household table a bulk write fills, also used by the demo and the national
# data generator, which import them from here.
__all__ = ["HOUSEHOLD_WRITE_COLUMNS", "HouseholdImporter"]

MAX_REMEMBERED = 1000  # different texts of a column whose checked value is remembered


def _clean_active(value) -> bool:
    return clean_yes_no(value, empty=True)


def _text(value) -> str:
    return value if type(value) is str else str(value if value is not None else "").strip()


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
        villages = self._villages(batch)
        rows = []
        for number, values in batch:
            clean = self._clean(number, values, villages, outcome)
            if clean is not None:
                rows.append(clean)
        return self._changes(self._matched(rows, villages, outcome), outcome)

    def _villages(self, batch) -> dict:
        """{code: (pk, name)} of the villages the batch names that the user may see."""
        villages = {
            code: (pk, name)
            for pk, code, name in Village.objects.visible_to(self.user)
            .filter(code__in={_text(values[1]) for _, values in batch})
            .values_list("pk", "code", "name")
        }
        self.village_codes.update((pk, code) for code, (pk, _name) in villages.items())
        return villages

    def _matched(self, rows, villages, outcome):
        """(row number, the household the row is about or None for a new one, its fields) for each
        row naming one household, by its code or by its village and head, that no earlier row named."""
        by_code = self._visible({r[1] for r in rows if r[1]}, existing_with_codes)
        by_key = existing_with_names([(r[2], r[3]) for r in rows if not r[1]])
        # Bound once: this loop runs for every row of files of millions.
        first_row_of_key = self.first_row_of_key
        for number, code, village_id, head, members, active in rows:
            if code:
                existing = by_code.get(code)
                if existing is None:
                    self.error(outcome, number, "code", _("Unknown household code “%(code)s”.") % {"code": code})
                    continue
                if existing.merged_into_id is not None:
                    survivor = Household.objects.filter(pk=existing.merged_into_id).values_list("code", flat=True)
                    message = _("The household %(code)s has been merged into %(survivor)s: use that code.")
                    self.error(outcome, number, "code", message % {"code": code, "survivor": survivor.first()})
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
            yield number, existing, [village_id, head, members, active]

    def _changes(self, matched, outcome: Outcome) -> dict:
        """New households as columns, updates as rows with their before and after; counted in `outcome`."""
        creates, updates = ([], [], [], []), []
        new_village, new_head, new_members, new_active = (column.append for column in creates)
        sampling = outcome.wants_sample("create")
        for number, existing, fields in matched:
            if existing is None:
                village_id, head, members, active = fields
                new_village(village_id)
                new_head(head)
                new_members(members)
                new_active(active)
                if sampling:
                    outcome.samples["create"].append({"row": number, **self._snapshot(fields)})
                    sampling = outcome.wants_sample("create")
            elif existing.fields() == fields:
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
        """Write the checked changes through the households' bulk service, which raises StaleCheck
        if another user added one of the new households or changed one of the updated ones since
        the check."""
        households_save_many(
            creates=staging.changes("create"),
            updates=staging.changes("update"),
            actor=actor,
            source=job.audit_source,
            reason=job.audit_reason,
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

"""Learning citizens from a spreadsheet: the validators of the form and the services, looked up a batch
at a time; what the check finds is kept and written as the households' is (`citizens_bulk`: codes,
history, figures).

Natural keys make re-uploads idempotent: a row with a code updates that person; a row without one
matches a person of the same village with the same name and year of birth, and only if there is none
is a new person created and given a code. A row without a village is refused, naming its row and
column: every person belongs to a village, and the village decides who may see them.
"""

import io
from collections import defaultdict
from typing import NamedTuple

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import Village
from core.importers import Importer, Outcome
from core.parsing import cell_text, clean_yes_no
from core.readers import Column
from core.spreadsheets import add_sheet
from core.text import fold

from .citizens import (
    VILLAGE_REQUIRED,
    clean_birth_year,
    clean_full_name,
    clean_household,
    clean_sex,
    counted,
    snapshot,
    snapshot_of,
    target_group_picker,
)
from .citizens_bulk import NEW_PERSON_FIELDS, citizens_save_many
from .exports_citizens import CITIZEN_COLUMNS, CITIZENS
from .models import Citizen, Household, TargetGroup

LAST_TEMPLATE_ROW = 100000
MAX_REMEMBERED = 10000  # different combinations of the repeating cells whose checked values are remembered
# Cells whose checked values are remembered by their value: text and whole numbers (an xlsx year of birth).
_KEYS = {str, int}


def _clean_active(value) -> bool:
    return clean_yes_no(value, empty=True)


class _Village(NamedTuple):
    """What the check uses of a village: its id, its code for the history, its name for messages (a
    tuple, not a model object: a batch names hundreds)."""

    id: int
    code: str
    name: str

    @property
    def pk(self) -> int:
        return self.id


class CitizenImporter(Importer):
    """Checks each row once and stages the result (`citizens_bulk` describes the staged rows)."""

    kind = "citizens"
    perm = Perm.MANAGE_HOUSEHOLDS
    stages_changes = True
    positional = True  # rows are [code, village, full_name, birth_year, sex, household, target_group, is_active]
    columns = [
        Column("code", CITIZEN_COLUMNS[0], required=False),
        Column("village", CITIZEN_COLUMNS[1]),
        Column("full_name", CITIZEN_COLUMNS[3]),
        Column("birth_year", CITIZEN_COLUMNS[4]),
        Column("sex", CITIZEN_COLUMNS[5]),
        Column("household", CITIZEN_COLUMNS[6], required=False),
        Column("target_group", CITIZEN_COLUMNS[7], required=False),
        Column("is_active", CITIZEN_COLUMNS[8], required=False),
    ]

    def __init__(self, *, user):
        super().__init__(user=user)
        self.first_row_of_key = {}
        pick_group = target_group_picker()
        # The columns whose texts repeat (positions 3, 4, 6 and 7 of a row) and their validators.
        self.repeating = [
            ("birth_year", clean_birth_year),
            ("sex", lambda value: str(clean_sex(value))),  # the plain text: a staged row holds no choices
            ("target_group", pick_group),
            ("is_active", _clean_active),
        ]
        # (year of birth, sex, target group, still living here) as a file writes them → their checked
        # values: a file holds a few hundred different combinations in its rows, so a row's four cells
        # are one lookup. Only text and whole numbers: as keys, 1, 1.0 and True are one.
        self.checked = {}

    def classify(self, batch, outcome: Outcome) -> dict:
        """The changes a batch asks for, ready to stage; errors go to `outcome`. A few queries per batch,
        none per row."""
        # The cells that ask the database, gathered in one pass (it runs for every row of the file).
        named, codes, household_codes = set(), set(), set()
        add_village, add_code, add_household = named.add, codes.add, household_codes.add
        for _n, values in batch:
            add_code(values[0] if type(values[0]) is str else cell_text(values[0]))
            add_village(values[1] if type(values[1]) is str else cell_text(values[1]))
            add_household(values[5] if type(values[5]) is str else cell_text(values[5]))
        codes.discard("")
        household_codes.discard("")
        visible = Village.objects.visible_to(self.user).filter(code__in=named)
        villages = {row[1]: _Village(*row) for row in visible.values_list("id", "code", "name")}
        citizens = Citizen.objects.visible_to(self.user).select_related("village", "household", "target_group")
        by_code = {c.code: c for c in citizens.filter(code__in=codes)} if codes else {}
        households = (
            {h.code: h for h in Household.objects.visible_to(self.user).filter(code__in=household_codes)}
            if household_codes
            else {}
        )
        cleaned = [self._clean(outcome, number, values, villages, households) for number, values in batch]
        by_key = self._existing_by_key(citizens, [row for row in cleaned if row is not None and not row[1]])
        creates, updates = self._changes(outcome, cleaned, by_code, by_key)
        return {"create": creates, "update": updates}

    def _existing_by_key(self, citizens, rows) -> dict:
        """(village id, folded name, year of birth) → the persons holding it, for the rows without a code.
        Only villages holding persons are read (a province's first import fills empty villages), all of
        their persons when they hold few (a re-upload of their lists), else by the names asked about."""
        by_key = defaultdict(list)
        village_ids = {row[3].id for row in rows}
        held = dict(
            Citizen.objects.filter(village_id__in=village_ids)
            .values_list("village_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        if not held:
            return by_key
        found = citizens.filter(village_id__in=held)
        if sum(held.values()) > 4 * len(rows):
            found = found.filter(search_name__in={row[2] for row in rows if row[3].id in held})
        for citizen in found:
            by_key[(citizen.village_id, citizen.search_name, citizen.birth_year)].append(citizen)
        return by_key

    def _clean(self, outcome, number, values, villages, households):
        """(row number, code, folded name, village, household, full name, year of birth, sex, target
        group, still living here) of a row, or None (its errors in `outcome`)."""
        code, village_code, full_name, birth_year, sex, household_code, group, active = values
        # Tested inline: a call per cell costs more than the test, in every row of the file.
        if type(code) is not str:
            code = cell_text(code)
        if type(village_code) is not str:
            village_code = cell_text(village_code)
        if type(household_code) is not str:
            household_code = cell_text(household_code)
        failed = False
        try:
            full_name = clean_full_name(full_name if type(full_name) is str else cell_text(full_name))
        except ValidationError as error:
            self.error(outcome, number, "full_name", error)
            failed = True
        # One lookup for the four repeating cells, only when each is text or a whole number.
        checked = None
        if type(birth_year) in _KEYS and type(sex) in _KEYS and type(group) in _KEYS and type(active) in _KEYS:
            checked = self.checked.get((birth_year, sex, group, active))
        if checked is None:
            checked = self._check_repeating(outcome, number, (birth_year, sex, group, active))
            failed = failed or checked is None
        village = villages.get(village_code)
        if not village_code:
            self.error(outcome, number, "village", ValidationError(VILLAGE_REQUIRED))
            failed = True
        elif village is None:
            message = _("Unknown village code “%(code)s”, or a village outside your area.") % {"code": village_code}
            self.error(outcome, number, "village", message)
            failed = True
        household = None
        if household_code:
            household = households.get(household_code)
            if household is None:
                message = _("No household has the code “%(code)s” in your area.") % {"code": household_code}
                self.error(outcome, number, "household", message)
                failed = True
            elif village is not None:
                try:
                    clean_household(household, village)
                except ValidationError as error:
                    self.error(outcome, number, "household", error)
                    failed = True
        if failed:
            return None
        # Folded once: the lookup of persons without a code and the row's natural key share it.
        return number, code, fold(full_name), village, household, full_name, *checked

    def _check_repeating(self, outcome, number, repeating) -> tuple | None:
        """The checked year of birth, sex, target group and still living here of a row (remembered), or
        None with each column's error in `outcome`."""
        checked, failed = [], False
        for (key, validator), value in zip(self.repeating, repeating, strict=True):
            try:
                checked.append(validator(value))
            except ValidationError as error:
                self.error(outcome, number, key, error)
                failed = True
        if failed:
            return None
        checked = tuple(checked)
        if len(self.checked) < MAX_REMEMBERED and all(type(value) in _KEYS for value in repeating):
            self.checked[repeating] = checked
        return checked

    def _changes(self, outcome, cleaned, by_code, by_key) -> tuple[list, list]:
        """The new persons (the columns of `citizens_bulk`'s staged fields) and the updates of the checked
        rows, each matched to the person it is about: by its code, else by its village, name and year of
        birth; a person no earlier row named. Counted in `outcome`. One loop for the batch, its names bound
        once: it runs for every row of the file."""
        creates, updates = [[] for _ in range(NEW_PERSON_FIELDS)], []
        (
            new_village,
            new_village_code,
            new_household,
            new_household_code,
            new_name,
            new_birth_year,
            new_sex,
            new_group,
            new_group_code,
            new_active,
            new_search_name,
        ) = (column.append for column in creates)
        first_row_of_key = self.first_row_of_key
        sampling = outcome.wants_sample("create")
        for row in cleaned:
            if row is None:
                continue
            number, code, search_name, village, household, full_name, birth_year, sex, group, active = row
            if code:
                existing = by_code.get(code)
                if existing is None:
                    self.error(outcome, number, "code", _("Unknown citizen code “%(code)s”.") % {"code": code})
                    continue
            else:
                matches = by_key.get((village.id, search_name, birth_year), ()) if by_key else ()
                if len(matches) > 1:
                    message = _(
                        "%(village)s has several persons named %(name)s born in %(year)d: give the citizen code."
                    )
                    named = {"village": village.name, "name": full_name, "year": birth_year}
                    self.error(outcome, number, "code", message % named)
                    continue
                existing = matches[0] if matches else None
            key = existing.pk if existing is not None else (village.id, search_name, birth_year)
            first = first_row_of_key.setdefault(key, number)
            if first != number:
                self.error(outcome, number, "code", _("The same person as row %(row)d.") % {"row": first})
                continue
            if existing is not None or sampling:
                values = {"full_name": full_name, "birth_year": birth_year, "sex": sex, "is_active": active}
            if existing is not None:
                self._update(outcome, number, existing, village, household, group, values, updates)
                continue
            if sampling:
                after = snapshot_of(**values, village=village, household=household, target_group=group)
                outcome.samples["create"].append({"row": number, **after})
                sampling = outcome.wants_sample("create")
            new_village(village.id)
            new_village_code(village.code)
            new_household(household.pk if household is not None else None)
            new_household_code(household.code if household is not None else "")
            new_name(full_name)
            new_birth_year(birth_year)
            new_sex(sex)
            new_group(group.pk if group is not None else None)
            new_group_code(group.code if group is not None else "")
            new_active(active)
            new_search_name(search_name)
        outcome.counts["create"] += len(creates[0])
        return creates, updates

    @staticmethod
    def _update(outcome, number, existing, village, household, group, values, updates) -> None:
        """A row about an existing person: an update staged if it changes anything, else counted unchanged."""
        before = snapshot(existing)
        after = snapshot_of(**values, village=village, household=household, target_group=group)
        if before == after:
            outcome.count("unchanged")
            return
        outcome.count("update", {"row": number, "code": existing.code, "before": before, "after": after})
        fields = [
            household.pk if household is not None else None,
            values["full_name"],
            values["birth_year"],
            values["sex"],
            group.pk if group is not None else None,
            values["is_active"],
        ]
        updates.append([existing.pk, existing.version, list(counted(existing)), village.id, *fields, before, after])

    def save_staged(self, staging, *, actor, job) -> None:
        """Write the checked changes through `citizens_save_many`, which raises StaleCheck if another
        user registered one of the new persons or changed one of the updated ones since the check."""
        citizens_save_many(
            creates=staging.changes("create"),
            updates=staging.changes("update"),
            actor=actor,
            source=job.audit_source,
            reason=job.audit_reason,
        )

    def template(self) -> bytes:
        """The upload template, with the villages of the user's area and the target groups as dropdowns."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet, bold = add_sheet(workbook, CITIZENS)
        lists = workbook.add_worksheet("Thôn")
        lists.write_row(0, 0, [CITIZEN_COLUMNS[1], CITIZEN_COLUMNS[2]], bold)
        count = 0
        villages = Village.objects.visible_to(self.user).order_by("code").values_list("code", "name")
        for count, (code, name) in enumerate(villages.iterator(), start=1):
            lists.write_string(count, 0, code)
            lists.write_string(count, 1, name)
        if count:
            sheet.data_validation(
                1, 1, LAST_TEMPLATE_ROW, 1, {"validate": "list", "source": f"='Thôn'!$A$2:$A${count + 1}"}
            )
        sheet.data_validation(1, 5, LAST_TEMPLATE_ROW, 5, {"validate": "list", "source": ["Nam", "Nữ"]})
        groups = list(TargetGroup.objects.values_list("code", flat=True))
        if groups:
            sheet.data_validation(1, 7, LAST_TEMPLATE_ROW, 7, {"validate": "list", "source": groups})
        sheet.data_validation(1, 8, LAST_TEMPLATE_ROW, 8, {"validate": "list", "source": ["Có", "Không"]})
        workbook.close()
        return buffer.getvalue()

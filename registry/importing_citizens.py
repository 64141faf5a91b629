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

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import Village
from core.importers import Importer, Outcome
from core.parsing import clean_yes_no
from core.readers import Column
from core.spreadsheets import add_sheet
from core.text import fold, nfc

from .citizens import (
    VILLAGE_REQUIRED,
    clean_birth_year,
    clean_full_name,
    clean_household,
    clean_sex,
    code_prefix,
    counted,
    snapshot,
    snapshot_of,
    target_group_picker,
)
from .citizens_bulk import citizens_save_many
from .exports_citizens import CITIZEN_COLUMNS, CITIZENS
from .models import Citizen, Household, TargetGroup

LAST_TEMPLATE_ROW = 100000
MAX_REMEMBERED = 1000  # different texts of a column whose checked value is remembered


def _clean_active(value) -> bool:
    return clean_yes_no(value, empty=True)


def _text(value) -> str:
    return nfc(str(value if value is not None else "")).strip()


class CitizenImporter(Importer):
    """Checks each row once and stages the result (`citizens_bulk` describes the staged rows)."""

    kind = "citizens"
    perm = Perm.MANAGE_HOUSEHOLDS
    stages_changes = True
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
        self.pick_group = target_group_picker()
        self.seen = {"birth_year": {}, "sex": {}, "is_active": {}}

    def classify(self, batch, outcome: Outcome) -> dict:
        """The changes a batch asks for, ready to stage; errors go to `outcome`. A few queries per batch,
        none per row."""
        villages = {
            v.code: v
            for v in Village.objects.visible_to(self.user).filter(code__in={_text(v.get("village")) for _n, v in batch})
        }
        citizens = Citizen.objects.visible_to(self.user).select_related("village", "household", "target_group")
        by_code = {c.code: c for c in citizens.filter(code__in={_text(v.get("code")) for _n, v in batch} - {""})}
        households = {
            h.code: h
            for h in Household.objects.visible_to(self.user).filter(
                code__in={_text(v.get("household")) for _n, v in batch} - {""}
            )
        }
        by_key = defaultdict(list)
        names = {fold(_text(v.get("full_name"))) for _n, v in batch if not _text(v.get("code"))}
        for citizen in citizens.filter(village__in=villages.values(), search_name__in=names):
            by_key[(citizen.village_id, citizen.search_name, citizen.birth_year)].append(citizen)
        changes = {"create": [], "update": []}
        for number, values in batch:
            change = self._row(outcome, number, values, villages, by_code, households, by_key)
            if change is not None:
                changes[change[0]].append(change[1])
        return changes

    def _row(self, outcome, number, values, villages, by_code, households, by_key):
        clean, failed = {}, False
        for key, validator in (
            ("full_name", clean_full_name),
            ("birth_year", clean_birth_year),
            ("sex", clean_sex),
            ("target_group", self.pick_group),
            ("is_active", _clean_active),
        ):
            try:
                clean[key] = self._remembered(key, validator, values.get(key))
            except ValidationError as error:
                self.error(outcome, number, key, error)
                failed = True
        village_code = _text(values.get("village"))
        village = villages.get(village_code)
        if not village_code:
            self.error(outcome, number, "village", ValidationError(VILLAGE_REQUIRED))
            failed = True
        elif village is None:
            message = _("Unknown village code “%(code)s”, or a village outside your area.") % {"code": village_code}
            self.error(outcome, number, "village", message)
            failed = True
        household_code = _text(values.get("household"))
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
        code = _text(values.get("code"))
        existing = by_code.get(code) if code else None
        if code and existing is None:
            self.error(outcome, number, "code", _("Unknown citizen code “%(code)s”.") % {"code": code})
            failed = True
        if failed:
            return None
        natural_key = (village.pk, fold(clean["full_name"]), clean["birth_year"])
        if existing is None:
            matches = by_key.get(natural_key, [])
            if len(matches) > 1:
                message = _("%(village)s has several persons named %(name)s born in %(year)d: give the citizen code.")
                self.error(
                    outcome,
                    number,
                    "code",
                    message % {"village": village.name, "name": clean["full_name"], "year": clean["birth_year"]},
                )
                return None
            existing = matches[0] if matches else None
        key = existing.pk if existing is not None else natural_key
        first = self.first_row_of_key.setdefault(key, number)
        if first != number:
            self.error(outcome, number, "code", _("The same person as row %(row)d.") % {"row": first})
            return None
        clean["sex"] = str(clean["sex"])  # the plain text: a staged row holds no choice objects
        group = clean["target_group"]
        fields = [
            household.pk if household is not None else None,
            clean["full_name"],
            clean["birth_year"],
            clean["sex"],
            group.pk if group is not None else None,
            clean["is_active"],
        ]
        after = snapshot_of(**clean, village=village, household=household)
        if existing is None:
            outcome.count("create", {"row": number, **after})
            return "create", [village.pk, code_prefix(village), *fields, after]
        before = snapshot(existing)
        if before == after:
            outcome.count("unchanged")
            return None
        outcome.count("update", {"row": number, "code": existing.code, "before": before, "after": after})
        return "update", [existing.pk, existing.version, list(counted(existing)), village.pk, *fields, before, after]

    def _remembered(self, key: str, validator, value):
        """The validator's answer for a text seen before in the column (a year of birth, "Nam", "Có":
        a file holds a few dozen different ones); only text: as keys, 1, 1.0 and True are one."""
        seen = self.seen.get(key)
        if seen is None or type(value) is not str:
            return validator(value)
        clean = seen.get(value)
        if clean is None:
            clean = validator(value)
            if len(seen) < MAX_REMEMBERED:
                seen[value] = clean
        return clean

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

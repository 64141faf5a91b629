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
from .citizens_bulk import citizens_save_many, staged_new
from .exports_citizens import CITIZEN_COLUMNS, CITIZENS
from .models import Citizen, Household, TargetGroup

LAST_TEMPLATE_ROW = 100000
MAX_REMEMBERED = 1000  # different texts of a column whose checked value is remembered
MISSING = object()


def _clean_active(value) -> bool:
    return clean_yes_no(value, empty=True)


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
        self.pick_group = target_group_picker()
        # The checked values of the columns whose texts repeat, by their position in a row.
        self.remembered = [
            ("birth_year", 3, clean_birth_year),
            ("sex", 4, clean_sex),
            ("target_group", 6, self.pick_group),
            ("is_active", 7, _clean_active),
        ]
        self.seen = {key: {} for key, _position, _validator in self.remembered}

    def classify(self, batch, outcome: Outcome) -> dict:
        """The changes a batch asks for, ready to stage; errors go to `outcome`. A few queries per batch,
        none per row."""
        # The code, village, name and household as text, once a row: the lookups and the checks share them.
        rows = [(number, [cell_text(values[i]) for i in (0, 1, 2, 5)], values) for number, values in batch]
        villages = {
            v.code: v for v in Village.objects.visible_to(self.user).filter(code__in={row[1][1] for row in rows})
        }
        citizens = Citizen.objects.visible_to(self.user).select_related("village", "household", "target_group")
        codes = {row[1][0] for row in rows} - {""}
        by_code = {c.code: c for c in citizens.filter(code__in=codes)} if codes else {}
        household_codes = {texts[3] for _n, texts, _values in rows} - {""}
        households = (
            {h.code: h for h in Household.objects.visible_to(self.user).filter(code__in=household_codes)}
            if household_codes
            else {}
        )
        cleaned = [self._clean(outcome, number, texts, values, villages, households) for number, texts, values in rows]
        by_key = self._existing_by_key(citizens, [row for row in cleaned if row is not None and not row[1]])
        changes = {"create": [], "update": []}
        for row in cleaned:
            if row is not None:
                change = self._matched(outcome, row, by_code, by_key)
                if change is not None:
                    changes[change[0]].append(change[1])
        changes["create"] = staged_new(changes["create"])
        return changes

    def _existing_by_key(self, citizens, rows) -> dict:
        """(village id, folded name, year of birth) → the persons holding it, for the rows without a code.
        Only villages holding persons are read (a province's first import fills empty villages), all of
        their persons when they hold few (a re-upload of their lists), else by the names asked about."""
        by_key = defaultdict(list)
        village_ids = {row[3].pk for row in rows}
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
            found = found.filter(search_name__in={row[2] for row in rows if row[3].pk in held})
        for citizen in found:
            by_key[(citizen.village_id, citizen.search_name, citizen.birth_year)].append(citizen)
        return by_key

    def _clean(self, outcome, number, texts, values, villages, households):
        """(row number, code, folded name, village, household, checked values) of a row, or None (its
        errors in `outcome`)."""
        code, village_code, full_name, household_code = texts
        failed = False
        clean = {}
        try:
            clean["full_name"] = clean_full_name(full_name)
        except ValidationError as error:
            self.error(outcome, number, "full_name", error)
            failed = True
        seen = self.seen
        for key, position, validator in self.remembered:
            value = values[position]
            # The answer for a text seen before in the column (a year of birth, "Nam", "Có": a file
            # holds a few dozen different ones); only text: as keys, 1, 1.0 and True are one.
            known = seen[key].get(value, MISSING) if type(value) is str else MISSING
            if known is not MISSING:
                clean[key] = known
                continue
            try:
                clean[key] = validator(value)
            except ValidationError as error:
                self.error(outcome, number, key, error)
                failed = True
                continue
            if type(value) is str and len(seen[key]) < MAX_REMEMBERED:
                seen[key][value] = clean[key]
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
        return number, code, fold(clean["full_name"]), village, household, clean

    def _matched(self, outcome, row, by_code, by_key):
        number, code, search_name, village, household, clean = row
        existing = by_code.get(code) if code else None
        if code and existing is None:
            self.error(outcome, number, "code", _("Unknown citizen code “%(code)s”.") % {"code": code})
            return None
        natural_key = (village.pk, search_name, clean["birth_year"])
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
        clean["sex"] = sex = str(clean["sex"])  # the plain text: a staged row holds no choice objects
        group = clean["target_group"]
        if existing is None:
            if outcome.wants_sample("create"):
                outcome.samples["create"].append(
                    {"row": number, **snapshot_of(**clean, village=village, household=household)}
                )
            outcome.counts["create"] += 1
            return "create", [
                village.pk,
                village.code,
                household.pk if household is not None else None,
                household.code if household is not None else "",
                clean["full_name"],
                clean["birth_year"],
                sex,
                group.pk if group is not None else None,
                group.code if group is not None else "",
                clean["is_active"],
                search_name,
            ]
        fields = [
            household.pk if household is not None else None,
            clean["full_name"],
            clean["birth_year"],
            sex,
            group.pk if group is not None else None,
            clean["is_active"],
        ]
        before, after = snapshot(existing), snapshot_of(**clean, village=village, household=household)
        if before == after:
            outcome.count("unchanged")
            return None
        outcome.count("update", {"row": number, "code": existing.code, "before": before, "after": after})
        return "update", [existing.pk, existing.version, list(counted(existing)), village.pk, *fields, before, after]

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

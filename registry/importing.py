"""Households from a spreadsheet: the same validators as the form, looked up a batch at a time.

Natural keys make re-uploads idempotent: a row with a household code updates that household; a
row without one matches a household of the same village with the same head of household, and
only if there is none is a new household created (and given a code).
"""

import io
from collections import Counter, defaultdict

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import Village
from audit.models import AuditEntry
from imports.base import Importer, Outcome
from imports.readers import Column
from khuyenhoc.text import fold, sort_key

from .exports import HOUSEHOLD_COLUMNS
from .models import Household
from .services import next_household_codes, snapshot
from .validation import clean_head_name, clean_members

YES = {"", "co", "x", "1", "true", "yes"}
NO = {"khong", "0", "false", "no"}


def clean_still_living(value) -> bool:
    folded = fold(str(value if value is not None else ""))
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValidationError(_("Write “Có” or “Không”."), code="yes_no")


class HouseholdImporter(Importer):
    kind = "households"
    perm = Perm.MANAGE_HOUSEHOLDS
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

    def classify(self, batch, outcome: Outcome):
        """The changes a batch asks for; errors go to `outcome`. One query per lookup, not per row."""
        village_codes = {str(values["village"]).strip() for _, values in batch}
        villages = {v.code: v for v in Village.objects.visible_to(self.user).filter(code__in=village_codes)}
        codes = {str(values.get("code") or "").strip() for _, values in batch} - {""}
        by_code = {
            h.code: h for h in Household.objects.visible_to(self.user).filter(code__in=codes).select_related("village")
        }
        uncoded_villages = [
            villages[str(v["village"]).strip()].pk
            for _, v in batch
            if not str(v.get("code") or "").strip() and str(v["village"]).strip() in villages
        ]
        by_name = defaultdict(list)
        for household in Household.objects.filter(village_id__in=set(uncoded_villages)).select_related("village"):
            by_name[(household.village_id, household.head_name.casefold())].append(household)

        changes = []
        for number, values in batch:
            clean = {}
            for key, validator in (
                ("head_name", clean_head_name),
                ("members", clean_members),
                ("is_active", clean_still_living),
            ):
                try:
                    clean[key] = validator(values.get(key, ""))
                except ValidationError as error:
                    self.error(outcome, number, key, error)
            village = villages.get(str(values["village"]).strip())
            if village is None:
                self.error(
                    outcome,
                    number,
                    "village",
                    _("Unknown village code “%(code)s”, or a village outside your area.") % {"code": values["village"]},
                )
            if len(clean) < 3 or village is None:
                continue
            code = str(values.get("code") or "").strip()
            if code:
                household = by_code.get(code)
                if household is None:
                    self.error(outcome, number, "code", _("Unknown household code “%(code)s”.") % {"code": code})
                    continue
                key = ("code", code)
            else:
                matches = by_name.get((village.pk, clean["head_name"].casefold()), [])
                if len(matches) > 1:
                    self.error(
                        outcome,
                        number,
                        "code",
                        _("%(village)s has several households headed by %(name)s: give the household code.")
                        % {"village": village.name, "name": clean["head_name"]},
                    )
                    continue
                household = matches[0] if matches else None
                key = ("village", village.pk, clean["head_name"].casefold())
            first = self.first_row_of_key.setdefault(hash(key), number)
            if first != number:
                self.error(outcome, number, "code", _("The same household as row %(row)d.") % {"row": first})
                continue
            after = {"village": village.code, "head_name": clean["head_name"], "members": clean["members"],
                     "is_active": clean["is_active"]}  # fmt: skip
            if household is None:
                outcome.count("create", {"row": number, **after})
                changes.append(("create", village, clean))
                continue
            before = snapshot(household)
            if before == after:
                outcome.count("unchanged")
                continue
            outcome.count("update", {"row": number, "code": household.code, "before": before, "after": after})
            changes.append(("update", household, {**clean, "village": village, "before": before, "after": after}))
        return changes

    def apply(self, changes, *, actor, job):
        """Write one batch with bulk statements; the caller holds the transaction."""
        creates_per_village = Counter(change[1].pk for change in changes if change[0] == "create")
        villages = {change[1].pk: change[1] for change in changes if change[0] == "create"}
        codes = {pk: iter(next_household_codes(villages[pk], n)) for pk, n in creates_per_village.items()}
        new, updated, audit = [], [], []
        for action, target, values in changes:
            if action == "create":
                new.append(
                    Household(
                        code=next(codes[target.pk]),
                        village=target,
                        head_name=values["head_name"],
                        members=values["members"],
                        is_active=values["is_active"],
                        search_name=fold(values["head_name"]),
                        sort_key=sort_key(values["head_name"]),
                    )
                )
            else:
                target.village = values["village"]
                target.head_name = values["head_name"]
                target.members = values["members"]
                target.is_active = values["is_active"]
                target.search_name = fold(target.head_name)
                target.sort_key = sort_key(target.head_name)
                updated.append(target)
                audit.append(
                    AuditEntry(
                        actor=actor,
                        action="household.update",
                        object_type=Household._meta.label_lower,
                        object_id=str(target.pk),
                        before=values["before"],
                        after=values["after"],
                        reason=_("Import #%(job)d") % {"job": job.pk},
                    )
                )
        Household.objects.bulk_create(new, batch_size=2000)
        Household.objects.bulk_update(
            updated, ["village", "head_name", "members", "is_active", "search_name", "sort_key"], batch_size=2000
        )
        AuditEntry.objects.bulk_create(audit, batch_size=2000)

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

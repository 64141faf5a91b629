"""Households from a spreadsheet: the same validators as the form, looked up a batch at a time.

Natural keys make re-uploads idempotent: a row with a household code updates that household; a
row without one matches a household of the same village with the same head of household, and
only if there is none is a new household created (and given a code).
"""

import io
from collections import Counter, defaultdict
from dataclasses import dataclass

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import Village
from audit.models import AuditEntry
from imports.base import Importer, Outcome
from imports.bulk import upsert
from imports.readers import Column
from khuyenhoc.text import fold, sort_key

from .exports import HOUSEHOLD_COLUMNS
from .models import Household
from .services import issue_codes
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


@dataclass(frozen=True)
class ExistingHousehold:
    pk: int
    code: str
    village_id: int
    village_code: str
    head_name: str
    members: int
    is_active: bool

    def snapshot(self) -> dict:
        return {"village": self.village_code, "head_name": self.head_name, "members": self.members,
                "is_active": self.is_active}  # fmt: skip


HOUSEHOLD_WRITE_COLUMNS = [
    "code", "village", "head_name", "members", "is_active", "search_name", "sort_key", "created_at", "updated_at"
]  # fmt: skip


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
        villages = {
            v.code: v
            for v in Village.objects.visible_to(self.user).filter(code__in=village_codes).only("pk", "code", "name")
        }
        codes = {str(values.get("code") or "").strip() for _, values in batch} - {""}
        by_code = {
            row.code: row for row in self._existing(Household.objects.visible_to(self.user).filter(code__in=codes))
        }
        uncoded = [
            (str(v["village"]).strip(), v.get("head_name")) for _, v in batch if not str(v.get("code") or "").strip()
        ]
        by_name = defaultdict(list)
        if uncoded:
            candidates = Household.objects.filter(
                village_id__in={villages[code].pk for code, _ in uncoded if code in villages},
                head_name__in={str(name) for _, name in uncoded},
            )
            for row in self._existing(candidates):
                by_name[(row.village_id, row.head_name.casefold())].append(row)

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
                existing = by_code.get(code)
                if existing is None:
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
                existing = matches[0] if matches else None
                key = ("village", village.pk, clean["head_name"].casefold())
            first = self.first_row_of_key.setdefault(hash(key), number)
            if first != number:
                self.error(outcome, number, "code", _("The same household as row %(row)d.") % {"row": first})
                continue
            after = {"village": village.code, "head_name": clean["head_name"], "members": clean["members"],
                     "is_active": clean["is_active"]}  # fmt: skip
            if existing is None:
                outcome.count("create", {"row": number, **after})
                changes.append(("create", village, clean))
                continue
            before = existing.snapshot()
            if before == after:
                outcome.count("unchanged")
                continue
            outcome.count("update", {"row": number, "code": existing.code, "before": before, "after": after})
            changes.append(("update", village, {**clean, "existing": existing, "before": before, "after": after}))
        return changes

    @staticmethod
    def _existing(households):
        """Only the columns a comparison needs: no model instances for rows that stay unchanged."""
        rows = households.values_list("pk", "code", "village_id", "village__code", "head_name", "members", "is_active")
        return [ExistingHousehold(*row) for row in rows]

    def apply(self, changes, *, actor, job):
        """Write one batch: one upsert for new and changed households, one insert for their history."""
        codes = issue_codes(Counter(village.code for action, village, _values in changes if action == "create"))
        now = timezone.now()
        rows, audit = [], []
        reason = _("Import #%(job)d") % {"job": job.pk}
        for _action, village, values in changes:
            existing = values.get("existing")
            name = values["head_name"]
            rows.append(
                (
                    existing.code if existing else next(codes[village.code]),
                    village.pk,
                    name,
                    values["members"],
                    values["is_active"],
                    fold(name),
                    sort_key(name),
                    now,
                    now,
                )
            )
            if existing:
                audit.append(
                    AuditEntry(
                        actor=actor,
                        action="household.update",
                        object_type=Household._meta.label_lower,
                        object_id=str(existing.pk),
                        before=values["before"],
                        after=values["after"],
                        reason=reason,
                    )
                )
        upsert(
            Household,
            HOUSEHOLD_WRITE_COLUMNS,
            rows,
            conflict="code",
            update=["village", "head_name", "members", "is_active", "search_name", "sort_key", "updated_at"],
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

"""Clans and units from a spreadsheet: the validators of the services, looked up a batch at a time.

Natural keys make re-uploads idempotent: a row with a code updates that record; a row without one
matches a clan of the same commune with the same name (a unit: the same area, name and kind), and
only if there is none is a new record created and given a code. Commune and area codes are read
on the tree in force today, as the file has no tree column; a coded row that keeps its record's
own area keeps it, so that a file exported before the reform goes back unchanged.
"""

import io
from collections import Counter, defaultdict
from dataclasses import dataclass

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import AdministrativeUnit, Level, Village, tree_for_year
from audit.models import AuditEntry
from core.importers import Importer, Outcome
from core.parsing import clean_yes_no, split_codes
from core.readers import Column
from core.spreadsheets import add_sheet
from core.text import fold, sort_key

from .exports import (
    CLAN_COLUMNS,
    CLANS,
    HOUSEHOLD_COLUMNS,
    NO,
    ORGANISATION_COLUMNS,
    ORGANISATIONS,
    YES,
    vietnamese_labels,
)
from .models import Clan, ManagingLevel, Organisation, UnitKind
from .services import _clan_snapshot, _organisation_snapshot, issue_codes
from .validation import (
    clean_clan_commune,
    clean_managing_level,
    clean_member_households,
    clean_name,
    clean_optional_name,
    clean_unit_area,
    clean_unit_kind,
)

LAST_TEMPLATE_ROW = 100000


@dataclass
class Change:
    action: str  # "create" or "update"
    record: Clan | Organisation | None  # the record an update changes
    values: dict  # every written field, cleaned
    before: dict | None
    after: dict


class RegistryImporter(Importer):
    """What clans and units share: codes, areas on today's tree, duplicates, writing and history."""

    perm = Perm.MANAGE_REGISTRIES
    model: type
    area_key: str  # the column and the field holding the record's area
    code_suffix: str  # codes are "<area code>-<suffix>-NNNN", as the services issue them
    write_fields: list[str]

    def __init__(self, *, user):
        super().__init__(user=user)
        self.first_row_of_key = {}
        self.tree = tree_for_year(timezone.localdate().year)

    @staticmethod
    def code_of(values) -> str:
        return str(values.get("code") or "").strip()

    def _areas(self, batch) -> dict:
        """The units of today's tree in the user's area whose codes the batch names: one query."""
        codes = {str(values.get(self.area_key) or "").strip() for _number, values in batch}
        units = AdministrativeUnit.objects.visible_to(self.user).filter(tree=self.tree, code__in=codes)
        return {unit.code: unit for unit in units}

    def _area(self, outcome: Outcome, number: int, values: dict, areas: dict, existing):
        code = str(values.get(self.area_key) or "").strip()
        if existing is not None and code == getattr(existing, self.area_key).code:
            return getattr(existing, self.area_key)
        if not code:
            self.error(outcome, number, self.area_key, _("Enter a code."))
            return None
        area = areas.get(code)
        if area is None:
            self.error(
                outcome,
                number,
                self.area_key,
                _("No administrative unit in force has the code “%(code)s” in your area.") % {"code": code},
            )
        return area

    def _existing(self, batch, queryset) -> dict:
        codes = {self.code_of(values) for _number, values in batch} - {""}
        return {record.code: record for record in queryset.filter(code__in=codes)}

    def _clean(self, outcome: Outcome, number: int, values: dict, validators) -> dict | None:
        clean = {}
        for key, validator in validators:
            try:
                clean[key] = validator(values.get(key, ""))
            except ValidationError as error:
                self.error(outcome, number, key, error)
        return clean if len(clean) == len(validators) else None

    def _claim(self, outcome: Outcome, number: int, keys: list, message: str) -> bool:
        """False (with an error naming the first row) when an earlier row is about the same record."""
        earlier = [self.first_row_of_key[key] for key in keys if key in self.first_row_of_key]
        if earlier:
            self.error(outcome, number, "code", message % {"row": min(earlier)})
            return False
        for key in keys:
            self.first_row_of_key[key] = number
        return True

    def _record(self, outcome: Outcome, changes: list, number: int, existing, values: dict, after: dict) -> None:
        if existing is None:
            outcome.count("create", {"row": number, **after})
            changes.append(Change("create", None, values, None, after))
            return
        before = self.snapshot(existing)
        if before == after:
            outcome.count("unchanged")
            return
        outcome.count("update", {"row": number, "code": existing.code, "before": before, "after": after})
        changes.append(Change("update", existing, values, before, after))

    def _fill(self, record, values: dict, now) -> None:
        for key in self.write_fields:
            if key in values:
                setattr(record, key, values[key])
        record.search_name, record.sort_key = fold(record.name), sort_key(record.name)
        record.updated_at = now

    def apply(self, changes, *, actor, job):
        """Write one batch: one insert for new records, one update for changed ones, one for their history."""
        now = timezone.now()
        creates = [change for change in changes if change.action == "create"]
        updates = [change for change in changes if change.action == "update"]
        prefixes = [f"{change.values[self.area_key].code}-{self.code_suffix}" for change in creates]
        codes = issue_codes(Counter(prefixes))
        for change, prefix in zip(creates, prefixes, strict=True):
            change.record = self.model(code=next(codes[prefix]))
            self._fill(change.record, change.values, now)
        self.model.objects.bulk_create([change.record for change in creates], batch_size=1000)
        for change in updates:
            self._fill(change.record, change.values, now)
        self.model.objects.bulk_update(
            [change.record for change in updates],
            [*self.write_fields, "search_name", "sort_key", "updated_at"],
            batch_size=1000,
        )
        self.after_write(creates, updates)
        reason = _("Import #%(job)d") % {"job": job.pk}
        name = self.model._meta.model_name
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=actor,
                    action=f"{name}.{change.action}",
                    object_type=self.model._meta.label_lower,
                    object_id=str(change.record.pk),
                    before=change.before,
                    after=change.after,
                    reason=reason,
                    source=job.audit_source,
                )
                for change in changes
            ],
            batch_size=2000,
        )

    def after_write(self, creates, updates) -> None:
        """What a record keeps besides its own row (a clan's villages)."""

    def _list_sheet(self, workbook, name: str, headers: list[str], rows, bold) -> int:
        """A sheet of choices (code, name) for the template's dropdowns; returns how many rows it has."""
        sheet = workbook.add_worksheet(name)
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 1, 32)
        sheet.write_row(0, 0, headers, bold)
        count = 0
        for count, (code, label) in enumerate(rows.iterator(), start=1):
            sheet.write_string(count, 0, code)
            sheet.write_string(count, 1, label)
        return count

    @staticmethod
    def _dropdown(sheet, column: int, source) -> None:
        sheet.data_validation(1, column, LAST_TEMPLATE_ROW, column, {"validate": "list", "source": source})


VILLAGE_CODES = Prefetch("villages", queryset=Village.objects.only("pk", "code"))


class ClanImporter(RegistryImporter):
    kind = "clans"
    model = Clan
    area_key = "commune"
    code_suffix = "DH"
    write_fields = ["name", "commune", "head_name", "member_households", "has_board"]
    columns = [
        Column("code", CLAN_COLUMNS[0], required=False),
        Column("commune", CLAN_COLUMNS[1]),
        Column("name", CLAN_COLUMNS[3]),
        Column("head_name", CLAN_COLUMNS[4], required=False),
        Column("member_households", CLAN_COLUMNS[5]),
        Column("has_board", CLAN_COLUMNS[6], required=False),
        Column("villages", CLAN_COLUMNS[7], required=False),
    ]
    # An optional column left out of the file keeps what is recorded (a new clan: the default).
    OPTIONAL = {
        "head_name": (lambda clan: clan.head_name, ""),
        "has_board": (lambda clan: clan.has_board, False),
        "villages": (lambda clan: list(clan.villages.all()), []),
    }

    snapshot = staticmethod(_clan_snapshot)

    def classify(self, batch, outcome: Outcome):
        """The changes a batch asks for; errors go to `outcome`. One query per lookup, not per row."""
        communes = self._areas(batch)
        wanted = {code for _number, values in batch for code in split_codes(values.get("villages"))}
        villages = {v.code: v for v in Village.objects.visible_to(self.user).filter(code__in=wanted).only("pk", "code")}
        clans = Clan.objects.visible_to(self.user).select_related("commune").prefetch_related(VILLAGE_CODES)
        by_code = self._existing(batch, clans)
        by_name = defaultdict(list)
        names = {fold(str(values.get("name") or "")) for _number, values in batch if not self.code_of(values)}
        for clan in clans.filter(commune__in=communes.values(), search_name__in=names):
            by_name[(clan.commune_id, clan.search_name)].append(clan)

        def pick_villages(value):
            codes = list(dict.fromkeys(split_codes(value)))
            unknown = [code for code in codes if code not in villages]
            if unknown:
                raise ValidationError(
                    _("Unknown village codes, or villages outside your area: %(codes)s.")
                    % {"codes": ", ".join(unknown)},
                    code="village",
                )
            return [villages[code] for code in codes]

        validators = [
            ("name", clean_name),
            ("member_households", clean_member_households),
            ("head_name", clean_optional_name),
            ("has_board", lambda v: clean_yes_no(v, empty=False)),
            ("villages", pick_villages),
        ]
        changes = []
        for number, values in batch:
            code = self.code_of(values)
            existing = by_code.get(code)
            if code and existing is None:
                self.error(outcome, number, "code", _("Unknown clan code “%(code)s”.") % {"code": code})
            present = [(key, validator) for key, validator in validators if key in values]
            clean = self._clean(outcome, number, values, present)
            commune = self._area(outcome, number, values, communes, existing)
            if commune is not None:
                try:
                    clean_clan_commune(commune)
                except ValidationError as error:
                    self.error(outcome, number, "commune", error)
                    commune = None
            if clean is None or commune is None or (code and existing is None):
                continue
            keys = []
            if existing is None:
                matches = by_name.get((commune.pk, fold(clean["name"])), [])
                if len(matches) > 1:
                    self.error(
                        outcome,
                        number,
                        "code",
                        _("%(commune)s has several clans named %(name)s: give the clan code.")
                        % {"commune": commune, "name": clean["name"]},
                    )
                    continue
                existing = matches[0] if matches else None
                keys.append(("name", commune.pk, fold(clean["name"])))
            if existing is not None:
                keys.append(("pk", existing.pk))
            if not self._claim(outcome, number, keys, _("The same clan as row %(row)d.")):
                continue
            for key, (recorded, default) in self.OPTIONAL.items():
                if key not in clean:
                    clean[key] = recorded(existing) if existing is not None else default
            clean["commune"] = commune
            candidate = Clan(**{key: clean[key] for key in self.write_fields})
            after = _clan_snapshot(candidate, village_codes=[village.code for village in clean["villages"]])
            self._record(outcome, changes, number, existing, clean, after)
        return changes

    def after_write(self, creates, updates) -> None:
        links = Clan.villages.through
        moved = [change for change in updates if change.before["villages"] != change.after["villages"]]
        links.objects.filter(clan_id__in=[change.record.pk for change in moved]).delete()
        links.objects.bulk_create(
            [
                links(clan_id=change.record.pk, village_id=village.pk)
                for change in [*creates, *moved]
                for village in change.values["villages"]
            ],
            batch_size=2000,
        )

    def template(self) -> bytes:
        """The upload template, with the communes and villages of the user's area for reference and dropdowns."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet, bold = add_sheet(workbook, CLANS)
        communes = AdministrativeUnit.objects.visible_to(self.user).filter(tree=self.tree, level=Level.COMMUNE)
        count = self._list_sheet(
            workbook,
            "Xã",
            [CLAN_COLUMNS[1], CLAN_COLUMNS[2]],
            communes.order_by("code").values_list("code", "name"),
            bold,
        )
        villages = Village.objects.visible_to(self.user).order_by("code").values_list("code", "name")
        self._list_sheet(workbook, "Thôn", HOUSEHOLD_COLUMNS[1:3], villages, bold)
        if count:
            self._dropdown(sheet, 1, f"='Xã'!$A$2:$A${count + 1}")
        self._dropdown(sheet, 6, [YES, NO])
        workbook.close()
        return buffer.getvalue()


class OrganisationImporter(RegistryImporter):
    kind = "units"
    model = Organisation
    area_key = "area"
    code_suffix = "DV"
    write_fields = ["name", "kind", "managing_level", "area"]
    columns = [
        Column("code", ORGANISATION_COLUMNS[0], required=False),
        Column("area", ORGANISATION_COLUMNS[1]),
        Column("name", ORGANISATION_COLUMNS[3]),
        Column("kind", ORGANISATION_COLUMNS[4]),
        Column("managing_level", ORGANISATION_COLUMNS[5]),
    ]

    snapshot = staticmethod(_organisation_snapshot)

    def classify(self, batch, outcome: Outcome):
        """The changes a batch asks for; errors go to `outcome`. One query per lookup, not per row."""
        areas = self._areas(batch)
        organisations = Organisation.objects.visible_to(self.user).select_related("area")
        by_code = self._existing(batch, organisations)
        by_name = defaultdict(list)
        names = {fold(str(values.get("name") or "")) for _number, values in batch if not self.code_of(values)}
        for organisation in organisations.filter(area__in=areas.values(), search_name__in=names):
            by_name[(organisation.area_id, organisation.search_name, organisation.kind)].append(organisation)

        validators = [
            ("name", lambda v: clean_name(v, max_length=200)),
            ("kind", clean_unit_kind),
            ("managing_level", clean_managing_level),
        ]
        changes = []
        for number, values in batch:
            code = self.code_of(values)
            existing = by_code.get(code)
            if code and existing is None:
                self.error(outcome, number, "code", _("Unknown unit code “%(code)s”.") % {"code": code})
            clean = self._clean(outcome, number, values, validators)
            area = self._area(outcome, number, values, areas, existing)
            if area is not None and clean is not None:
                try:
                    clean_unit_area(area, clean["managing_level"])
                except ValidationError as error:
                    self.error(outcome, number, "area", error)
                    area = None
            if clean is None or area is None or (code and existing is None):
                continue
            keys = []
            if existing is None:
                natural = (area.pk, fold(clean["name"]), clean["kind"])
                matches = by_name.get(natural, [])
                if len(matches) > 1:
                    self.error(
                        outcome,
                        number,
                        "code",
                        _("%(area)s has several units named %(name)s of this kind: give the unit code.")
                        % {"area": area, "name": clean["name"]},
                    )
                    continue
                existing = matches[0] if matches else None
                keys.append(("name", *natural))
            if existing is not None:
                keys.append(("pk", existing.pk))
            if not self._claim(outcome, number, keys, _("The same unit as row %(row)d.")):
                continue
            clean["area"] = area
            after = _organisation_snapshot(Organisation(**clean))
            self._record(outcome, changes, number, existing, clean, after)
        return changes

    def template(self) -> bytes:
        """The upload template, with the areas of the user's area on a second sheet and dropdowns."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet, bold = add_sheet(workbook, ORGANISATIONS)
        areas = AdministrativeUnit.objects.visible_to(self.user).filter(tree=self.tree)
        count = self._list_sheet(
            workbook,
            "Địa bàn",
            [ORGANISATION_COLUMNS[1], ORGANISATION_COLUMNS[2]],
            areas.order_by("path").values_list("code", "name"),
            bold,
        )
        if count:
            self._dropdown(sheet, 1, f"='Địa bàn'!$A$2:$A${count + 1}")
        self._dropdown(sheet, 4, list(vietnamese_labels(UnitKind).values()))
        self._dropdown(sheet, 5, list(vietnamese_labels(ManagingLevel).values()))
        workbook.close()
        return buffer.getvalue()

"""Clans and units from a spreadsheet: the validators of the services, looked up a batch at a time.

Natural keys make re-uploads idempotent: a row with a code updates that record; a row without one
matches a clan of the same commune with the same name (a unit: the same area, name and kind), and
only if there is none is a new record created and given a code. Commune and area codes are read
on the tree in force today, as the file has no tree column; a coded row that keeps its record's
own area keeps it, so that a file exported before the reform goes back unchanged.
"""

import io
from collections import defaultdict

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import AdministrativeUnit, Level, Village, tree_for_year
from core.importers import Importer, Outcome
from core.parsing import clean_yes_no, split_codes
from core.readers import Column
from core.spreadsheets import add_sheet
from core.text import fold

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
from .services import (
    CLAN_FIELDS,
    RecordChange,
    _clan_snapshot,
    _organisation_snapshot,
    clans_save_many,
    organisations_save_many,
)
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


class RegistryImporter(Importer):
    """What clans and units share: areas on today's tree, natural keys, duplicates; the records'
    bulk service (`save_many`) writes them with their codes and history."""

    perm = Perm.MANAGE_REGISTRIES
    area_key: str  # the column and the field holding the record's area

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

    def _by_name(self, batch, queryset, key) -> dict:
        """The records of `queryset` named as a row without a code names one, by natural key."""
        by_name = defaultdict(list)
        names = {fold(str(values.get("name") or "")) for _number, values in batch if not self.code_of(values)}
        for record in queryset.filter(search_name__in=names):
            by_name[key(record)].append(record)
        return by_name

    def _identify(self, outcome: Outcome, number: int, existing, by_name, natural: tuple, *, several: str, same: str):
        """(True, the record the row is about: its coded one, else the one of its natural key, None
        for a new one), or (False, None) with an error when several records have the row's natural
        key or an earlier row was about the same record."""
        keys = []
        if existing is None:
            matches = by_name.get(natural, [])
            if len(matches) > 1:
                self.error(outcome, number, "code", several)
                return False, None
            existing = matches[0] if matches else None
            keys.append(("name", *natural))
        if existing is not None:
            keys.append(("pk", existing.pk))
        if not self._claim(outcome, number, keys, same):
            return False, None
        return True, existing

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
            changes.append(RecordChange(None, values, None, after))
            return
        before = self.snapshot(existing)
        if before == after:
            outcome.count("unchanged")
            return
        outcome.count("update", {"row": number, "code": existing.code, "before": before, "after": after})
        changes.append(RecordChange(existing, values, before, after))

    def apply(self, changes, *, actor, job):
        """Write one batch through the records' bulk service."""
        self.save_many(
            creates=[change for change in changes if change.record is None],
            updates=[change for change in changes if change.record is not None],
            actor=actor,
            source=job.audit_source,
            reason=job.audit_reason,
        )

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
    area_key = "commune"
    save_many = staticmethod(clans_save_many)
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
        clans = Clan.objects.visible_to(self.user).select_related("commune").prefetch_related(VILLAGE_CODES)
        by_code = self._existing(batch, clans)
        by_name = self._by_name(
            batch, clans.filter(commune__in=communes.values()), lambda clan: (clan.commune_id, clan.search_name)
        )
        validators = [
            ("name", clean_name),
            ("member_households", clean_member_households),
            ("head_name", clean_optional_name),
            ("has_board", lambda v: clean_yes_no(v, empty=False)),
            ("villages", self._village_picker(batch)),
        ]
        changes = []
        for number, values in batch:
            checked = self._checked(outcome, number, values, by_code, communes, validators)
            if checked is None:
                continue
            clean, commune, existing = checked
            found, existing = self._identify(
                outcome,
                number,
                existing,
                by_name,
                (commune.pk, fold(clean["name"])),
                several=_("%(commune)s has several clans named %(name)s: give the clan code.")
                % {"commune": commune, "name": clean["name"]},
                same=_("The same clan as row %(row)d."),
            )
            if not found:
                continue
            for key, (recorded, default) in self.OPTIONAL.items():
                if key not in clean:
                    clean[key] = recorded(existing) if existing is not None else default
            clean["commune"] = commune
            candidate = Clan(**{key: clean[key] for key in CLAN_FIELDS})
            after = _clan_snapshot(candidate, village_codes=[village.code for village in clean["villages"]])
            self._record(outcome, changes, number, existing, clean, after)
        return changes

    def _checked(self, outcome: Outcome, number: int, values: dict, by_code: dict, communes: dict, validators):
        """(the row's cleaned values, its commune, the clan its code names or None), or None when
        the row has errors (in `outcome`)."""
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
            return None
        return clean, commune, existing

    def _village_picker(self, batch):
        """The validator of the villages cell: codes of villages the user may see, looked up for the whole batch."""
        wanted = {code for _number, values in batch for code in split_codes(values.get("villages"))}
        villages = {v.code: v for v in Village.objects.visible_to(self.user).filter(code__in=wanted).only("pk", "code")}

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

        return pick_villages

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
    area_key = "area"
    save_many = staticmethod(organisations_save_many)
    columns = [
        Column("code", ORGANISATION_COLUMNS[0], required=False),
        Column("area", ORGANISATION_COLUMNS[1]),
        Column("name", ORGANISATION_COLUMNS[3]),
        Column("kind", ORGANISATION_COLUMNS[4]),
        Column("managing_level", ORGANISATION_COLUMNS[5]),
    ]

    VALIDATORS = [
        ("name", lambda v: clean_name(v, max_length=200)),
        ("kind", clean_unit_kind),
        ("managing_level", clean_managing_level),
    ]

    snapshot = staticmethod(_organisation_snapshot)

    def classify(self, batch, outcome: Outcome):
        """The changes a batch asks for; errors go to `outcome`. One query per lookup, not per row."""
        areas = self._areas(batch)
        organisations = Organisation.objects.visible_to(self.user).select_related("area")
        by_code = self._existing(batch, organisations)
        by_name = self._by_name(
            batch,
            organisations.filter(area__in=areas.values()),
            lambda organisation: (organisation.area_id, organisation.search_name, organisation.kind),
        )
        changes = []
        for number, values in batch:
            checked = self._checked(outcome, number, values, by_code, areas)
            if checked is None:
                continue
            clean, area, existing = checked
            found, existing = self._identify(
                outcome,
                number,
                existing,
                by_name,
                (area.pk, fold(clean["name"]), clean["kind"]),
                several=_("%(area)s has several units named %(name)s of this kind: give the unit code.")
                % {"area": area, "name": clean["name"]},
                same=_("The same unit as row %(row)d."),
            )
            if not found:
                continue
            clean["area"] = area
            after = _organisation_snapshot(Organisation(**clean))
            self._record(outcome, changes, number, existing, clean, after)
        return changes

    def _checked(self, outcome: Outcome, number: int, values: dict, by_code: dict, areas: dict):
        """(the row's cleaned values, its area, the unit its code names or None), or None when the
        row has errors (in `outcome`)."""
        code = self.code_of(values)
        existing = by_code.get(code)
        if code and existing is None:
            self.error(outcome, number, "code", _("Unknown unit code “%(code)s”.") % {"code": code})
        clean = self._clean(outcome, number, values, self.VALIDATORS)
        area = self._area(outcome, number, values, areas, existing)
        if area is not None and clean is not None:
            try:
                clean_unit_area(area, clean["managing_level"])
            except ValidationError as error:
                self.error(outcome, number, "area", error)
                area = None
        if clean is None or area is None or (code and existing is None):
            return None
        return clean, area, existing

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

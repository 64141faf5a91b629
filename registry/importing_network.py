"""The areas' yearly base and the associations' yearly figures from a spreadsheet, checked by the
validators the page and the services use (registry/network.py), looked up a batch at a time.

A unit code is read on the tree in force in the row's year: the 2025 communes reuse codes of the
communes they were formed from, so only the year tells which unit a code means. Natural keys make
re-uploads idempotent: an area's figures are keyed by (area, year); an association by (area,
level, name with case and diacritics ignored), created if there is none, and its figures by
(association, year). A row with neither a year nor a figure is skipped, so that the units a
template is prefilled with need not be deleted.
"""

import io
from collections import defaultdict
from dataclasses import dataclass, field

import xlsxwriter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import AdministrativeUnit, Level, tree_for_year
from areas.services import check_in_force
from core.importers import Importer, Outcome
from core.parsing import cell_text, choice_names
from core.readers import Column
from core.text import fold

from .exports_network import (
    AREA_YEAR_COLUMNS,
    AREA_YEAR_SHEET,
    ASSOCIATION_YEAR_COLUMNS,
    ASSOCIATION_YEAR_SHEET,
    level_labels,
)
from .models import AreaYear, Association, AssociationLevel, AssociationYear
from .network import (
    AREA_YEAR_FIELDS,
    ASSOCIATION_YEAR_FIELDS,
    YearChange,
    area_years_save_many,
    association_years_save_many,
    check_association_level,
    clean_association_name,
    clean_year,
    clean_year_values,
)
from .network_counts import counts_from_lists

UNITS_SHEET = "Địa bàn"
TEMPLATE_ROWS = 100000  # how far down the template's dropdowns and checks reach
# The association a unit has by its level; a province may also have associations of its schools.
OWN_ASSOCIATION_LEVEL = {
    Level.PROVINCE: AssociationLevel.PROVINCE,
    Level.DISTRICT: AssociationLevel.DISTRICT,
    Level.COMMUNE: AssociationLevel.COMMUNE,
}


@dataclass
class Row:
    """A row with something entered; `unit` or `year` None where that cell is wrong. Its errors wait
    for the row's turn, so that the errors of a file are listed in the order of its rows."""

    number: int
    values: dict
    unit: AdministrativeUnit | None = None
    year: int | None = None
    errors: list = field(default_factory=list)  # (column key, error)


class YearlyFiguresImporter(Importer):
    """What both importers share: units read on the tree of the row's year and checked against the
    user's scope, figures checked by the services' own validator, written by the records' bulk service."""

    perm = Perm.MANAGE_REGISTRIES
    model: type
    fields: list[str]
    required: bool
    table_columns: list[tuple[str, str]]
    sheet_name: str

    def __init__(self, *, user):
        super().__init__(user=user)
        self.first_row_of_key = {}

    def _rows(self, batch) -> list[Row]:
        codes = {cell_text(values.get("area")) for _, values in batch}
        by_code = defaultdict(list)
        for unit in AdministrativeUnit.objects.filter(code__in=codes - {""}).only(
            "pk", "tree", "code", "level", "name"
        ):
            by_code[unit.code].append(unit)
        visible = set(
            AdministrativeUnit.objects.visible_to(self.user)
            .filter(pk__in=[unit.pk for units in by_code.values() for unit in units])
            .values_list("pk", flat=True)
        )
        rows = []
        for number, values in batch:
            if all(cell_text(values.get(key)) == "" for key in ("year", *self.fields)):
                continue
            row = Row(number, values)
            try:
                row.year = clean_year(values.get("year"))
            except ValidationError as error:
                row.errors.append(("year", error))
            row.unit = self._unit(row, cell_text(values.get("area")), by_code, visible)
            rows.append(row)
        return rows

    @staticmethod
    def _unit(row: Row, code: str, by_code, visible):
        """The unit a code means in the row's year, if the user may enter its figures."""
        candidates = by_code.get(code, [])
        if not candidates:
            message = _("Unknown unit code “%(code)s”.") % {"code": code} if code else _("Enter the unit code.")
            row.errors.append(("area", message))
            return None
        if row.year is None:
            return None
        unit = next((u for u in candidates if u.tree == tree_for_year(row.year)), None)
        if unit is None:
            try:
                check_in_force(candidates[0], row.year)
            except ValidationError as error:
                row.errors.append(("area", error))
            return None
        if unit.pk not in visible:
            row.errors.append(("area", _("%(unit)s is outside your area.") % {"unit": unit}))
            return None
        return unit

    def _report(self, outcome, row: Row) -> None:
        for key, error in row.errors:
            self.error(outcome, row.number, key, error)

    def _figures(self, outcome, number, values):
        try:
            return clean_year_values(self.fields, values, required=self.required)
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                self.error(outcome, number, field, ValidationError(errors))
            return None

    def _is_first(self, outcome, number, key, message: str) -> bool:
        first = self.first_row_of_key.setdefault(key, number)
        if first != number:
            self.error(outcome, number, "year", message % {"row": first})
            return False
        return True

    def _existing(self, records, owner: str) -> dict:
        """{(owner id, year): (pk, figures)}: plain values, no model instances for unchanged rows."""
        rows = records.values_list("pk", owner, "year", *self.fields)
        return {
            (owner_id, year): (pk, dict(zip(self.fields, figures, strict=True)))
            for pk, owner_id, year, *figures in rows
        }

    def _change(self, outcome, number, existing, after, *, label: str, lookup: dict) -> YearChange | None:
        if existing is None:
            outcome.count("create", {"row": number, "code": label, **after})
            return YearChange(None, lookup, None, after)
        pk, before = existing
        if before == after:
            outcome.count("unchanged")
            return None
        outcome.count("update", {"row": number, "code": label, "before": before, "after": after})
        return YearChange(pk, lookup, before, after)

    def apply(self, changes, *, actor, job):
        """Write one batch through the records' bulk service."""
        self.save_many(changes=changes, actor=actor, source=job.audit_source, reason=job.audit_reason)

    def _template_units(self):
        """The units of the user's area on their own tree (the tree in force today for those without a unit)."""
        tree = self.user.unit.tree if self.user.unit_id else tree_for_year(timezone.localdate().year)
        units = AdministrativeUnit.objects.visible_to(self.user).filter(tree=tree, level__in=Level.values)
        return list(units.order_by("path").only("pk", "code", "name", "level"))

    def _template(self, rows, units, *, lists=None) -> bytes:
        """The upload template: `rows` prefilled, the units on a second sheet as the code column's dropdown,
        `lists` {key: choices} as more dropdowns, years and figures checked as whole numbers."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(self.sheet_name)
        unit_sheet = workbook.add_worksheet(UNITS_SHEET)
        bold = workbook.add_format({"bold": True})
        text = workbook.add_format({"num_format": "@"})
        keys = [key for key, _header in self.table_columns]
        headers = [header for _key, header in self.table_columns]
        sheet.write_row(0, 0, headers, bold)
        sheet.set_column(0, 0, 12, text)
        sheet.set_column(1, len(keys) - 1, 18)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if value:
                    sheet.write_string(number, column, value)
        unit_sheet.write_row(0, 0, headers[:2], bold)
        unit_sheet.set_column(0, 0, 12, text)
        unit_sheet.set_column(1, 1, 36)
        for number, unit in enumerate(units, start=1):
            unit_sheet.write_string(number, 0, unit.code)
            unit_sheet.write_string(number, 1, unit.name)
        if units:
            source = f"='{UNITS_SHEET}'!$A$2:$A${len(units) + 1}"
            sheet.data_validation(1, 0, TEMPLATE_ROWS, 0, {"validate": "list", "source": source})
        for key, choices in (lists or {}).items():
            column = keys.index(key)
            sheet.data_validation(1, column, TEMPLATE_ROWS, column, {"validate": "list", "source": choices})
        year = keys.index("year")
        sheet.data_validation(
            1,
            year,
            TEMPLATE_ROWS,
            year,
            {"validate": "integer", "criteria": "between", "minimum": settings.KHUYENHOC_FIRST_YEAR, "maximum": 2100},
        )
        for figure in self.fields:
            column = keys.index(figure)
            sheet.data_validation(
                1, column, TEMPLATE_ROWS, column, {"validate": "integer", "criteria": ">=", "value": 0}
            )
        sheet.freeze_panes(1, 0)
        workbook.close()
        return buffer.getvalue()


def _columns(table_columns) -> list[Column]:
    # Every figure column is required: a missing column would read as "not known" and erase figures.
    return [Column(key, header, required=key != "area_name") for key, header in table_columns]


class AreaYearImporter(YearlyFiguresImporter):
    kind = "area_years"
    model = AreaYear
    fields = AREA_YEAR_FIELDS
    required = False  # an empty cell is a figure not yet known, as on the page
    save_many = staticmethod(area_years_save_many)
    table_columns = AREA_YEAR_COLUMNS
    sheet_name = AREA_YEAR_SHEET
    columns = _columns(AREA_YEAR_COLUMNS)

    def classify(self, batch, outcome: Outcome):
        """The changes a batch asks for; errors go to `outcome`. One query per lookup, not per row."""
        rows = self._rows(batch)
        wanted = [(row.unit.pk, row.year) for row in rows if row.unit]
        existing = self._existing(
            AreaYear.objects.filter(area_id__in={k[0] for k in wanted}, year__in={k[1] for k in wanted}), "area_id"
        )
        changes = []
        for row in rows:
            self._report(outcome, row)
            number, unit, year = row.number, row.unit, row.year
            after = self._figures(outcome, number, row.values)
            if unit is None or after is None:
                continue
            if not self._is_first(outcome, number, (unit.pk, year), _("The same unit and year as row %(row)d.")):
                continue
            change = self._change(
                outcome,
                number,
                existing.get((unit.pk, year)),
                after,
                label=f"{unit.code} {year}",
                lookup={"area_id": unit.pk, "year": year},
            )
            if change:
                changes.append(change)
        return changes

    def template(self) -> bytes:
        """One row per unit of the user's area, the year and the figures left to fill in."""
        units = self._template_units()
        return self._template([(unit.code, unit.name) for unit in units], units)


class AssociationYearImporter(YearlyFiguresImporter):
    kind = "association_years"
    model = AssociationYear
    fields = ASSOCIATION_YEAR_FIELDS
    required = True
    save_many = staticmethod(association_years_save_many)
    table_columns = ASSOCIATION_YEAR_COLUMNS
    sheet_name = ASSOCIATION_YEAR_SHEET
    columns = _columns(ASSOCIATION_YEAR_COLUMNS)

    def __init__(self, *, user):
        super().__init__(user=user)
        self.level_names = choice_names(AssociationLevel)

    def classify(self, batch, outcome: Outcome):
        """The changes a batch asks for; errors go to `outcome`. One query per lookup, not per row."""
        rows = self._rows(batch)
        associations = defaultdict(list)
        found = Association.objects.filter(area_id__in={row.unit.pk for row in rows if row.unit})
        last_years = {}
        for pk, area_id, level, name, last_year in found.values_list("pk", "area_id", "level", "name", "last_year"):
            associations[(area_id, level, fold(name))].append(pk)
            last_years[pk] = last_year
        matched = []
        for row in rows:
            self._report(outcome, row)
            number, unit, year = row.number, row.unit, row.year
            level = self._level(outcome, number, row.values.get("level"))
            name = self._name(outcome, number, row.values.get("name"))
            after = self._figures(outcome, number, row.values)
            if unit is None or level is None or name is None or after is None:
                continue
            key = (unit.pk, level, fold(name))
            pks = associations.get(key, [])
            if len(pks) > 1:
                self.error(
                    outcome,
                    number,
                    "name",
                    _("%(unit)s has several associations of this name: rename them on the network page first.")
                    % {"unit": unit},
                )
                continue
            if not pks:
                try:
                    check_association_level(level, unit)
                except ValidationError as error:
                    self.error(outcome, number, "level", error)
                    continue
            last_year = last_years.get(pks[0]) if len(pks) == 1 else None
            if last_year is not None and year is not None and year > last_year:
                message = _("%(association)s was closed after %(last)d: it has no figures for %(year)d.")
                self.error(outcome, number, "year", message % {"association": name, "last": last_year, "year": year})
                continue
            if not self._is_first(outcome, number, (*key, year), _("The same association and year as row %(row)d.")):
                continue
            matched.append((number, unit, level, name, year, pks[0] if pks else None, after))
        existing = self._existing(
            AssociationYear.objects.filter(
                association_id__in={row[5] for row in matched if row[5]}, year__in={row[4] for row in matched}
            ),
            "association_id",
        )
        # The figures an association's list of branches and boards gives are counted, not imported.
        listed = counts_from_lists({row[5] for row in matched if row[5]}, {row[4] for row in matched})
        changes = []
        for number, unit, level, name, year, association_id, after in matched:
            change = self._change(
                outcome,
                number,
                existing.get((association_id, year)) if association_id else None,
                {**after, **listed.get((association_id, year), {})},
                label=f"{name} ({unit.code}) {year}",
                lookup={"association_id": association_id, "year": year},
            )
            if change:
                change.new_association = None if association_id else (unit, level, name)
                changes.append(change)
        return changes

    def _level(self, outcome, number, value):
        text = cell_text(value)
        level = self.level_names.get(fold(text))
        if level is None:
            message = _("Unknown association level “%(level)s”.") % {"level": text} if text else _("Choose the level.")
            self.error(outcome, number, "level", message)
        return level

    def _name(self, outcome, number, value):
        try:
            return clean_association_name(value)
        except ValidationError as error:
            self.error(outcome, number, "name", error)
            return None

    def template(self) -> bytes:
        """A row per association of the user's area, and one per unit that has none of its own level
        yet (its name to fill in); levels as a dropdown."""
        units = self._template_units()
        labels = level_labels()
        by_area = defaultdict(list)
        for association in Association.objects.filter(area__in=[unit.pk for unit in units]).order_by("level", "name"):
            by_area[association.area_id].append(association)
        rows = []
        for unit in units:
            own = by_area.get(unit.pk, [])
            own_level = OWN_ASSOCIATION_LEVEL[unit.level]
            if not any(association.level == own_level for association in own):
                rows.append((unit.code, unit.name, labels[own_level], ""))
            rows.extend((unit.code, unit.name, labels[a.level], a.name) for a in own)
        return self._template(rows, units, lists={"level": list(labels.values())})

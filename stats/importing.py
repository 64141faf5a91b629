"""Entered totals from Excel or CSV, through the shared pipeline: one row per area (or village), year,
title and figure. The same checks as the page's form (`stats.services`); saved through its service,
so each total updates the figures above it and leaves its history."""

import io
from collections import defaultdict
from dataclasses import dataclass

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import AdministrativeUnit, Village, tree_for_year
from core.importers import Importer, Outcome
from core.parsing import cell_text, choice_names
from core.readers import Column
from core.text import fold
from criteria.models import Title
from registry.network import clean_count, clean_year

from . import services
from .models import COUNTED_TITLES, NETWORK, EnteredAggregate, Measure
from .quality import figure_label

SHEET = "Số liệu nhập"
COLUMNS = [
    Column("area", "Mã địa bàn", aliases=("area",)),
    Column("area_name", "Tên địa bàn", required=False),
    Column("year", "Năm", aliases=("year",)),
    Column("title", "Danh hiệu", required=False, aliases=("title",)),
    Column("measure", "Chỉ tiêu", aliases=("measure",)),
    Column("value", "Giá trị", aliases=("value",)),
    Column("note", "Ghi chú", required=False, aliases=("note",)),
]


@dataclass
class AggregateChange:
    unit: AdministrativeUnit | None
    village: Village | None
    year: int
    title: str
    measure: str
    value: int
    note: str


def _example(number: int, change: AggregateChange, before: tuple | None) -> dict:
    """How the check's page shows a row: a new total as the history's entry of it (services._snapshot);
    a changed one by its value and note before and after, the figure named beside its area, as those
    are all that change."""
    holder = (change.village or change.unit).code
    after = {"value": change.value, "note": change.note}
    if before is None:
        figure = {"holder": holder, "year": change.year, "title": change.title, "measure": change.measure}
        return {"row": number, "code": holder, **figure, **after}
    figure = figure_label((change.title, change.measure))
    code = f"{holder} · {change.year} · {figure}"
    return {"row": number, "code": code, "before": {"value": before[0], "note": before[1]}, "after": after}


class AggregateImporter(Importer):
    kind = "aggregates"
    perm = Perm.ENTER_AGGREGATES
    columns = COLUMNS

    def __init__(self, *, user):
        super().__init__(user=user)
        # Any title is read; those that are not counted are refused by the figure check below.
        self.titles = choice_names(Title)
        self.measures = choice_names(Measure)
        self.first_row = {}

    def classify(self, batch, outcome: Outcome):
        codes = {cell_text(values.get("area")) for _number, values in batch}
        units = defaultdict(list)
        for unit in AdministrativeUnit.objects.visible_to(self.user).filter(code__in=codes):
            units[unit.code].append(unit)
        villages = {v.code: v for v in Village.objects.visible_to(self.user).filter(code__in=codes)}
        existing = {
            (a.unit_id, a.village_id, a.year, a.title, a.measure): (a.value, a.note)
            for a in EnteredAggregate.objects.filter(Q(unit__code__in=codes) | Q(village__code__in=codes))
        }
        changes = []
        for number, values in batch:
            if all(cell_text(values.get(c.key)) == "" for c in COLUMNS):
                continue
            change = self._change(outcome, number, values, units, villages)
            if change is None:
                continue
            key = (
                change.unit.pk if change.unit else None,
                change.village.pk if change.village else None,
                change.year,
                change.title,
                change.measure,
            )
            first = self.first_row.setdefault(key, number)
            if first != number:
                self.error(outcome, number, "measure", _("The same figure as row %(row)d.") % {"row": first})
                continue
            before = existing.get(key)
            if before == (change.value, change.note):
                outcome.count("unchanged")
                continue
            outcome.count("update" if before else "create", _example(number, change, before))
            changes.append(change)
        return changes

    def _change(self, outcome, number, values, units, villages) -> AggregateChange | None:
        errors = []
        try:
            year = clean_year(values.get("year"))
        except ValidationError as error:
            errors.append(("year", error))
            year = None
        title = (
            self.titles.get(fold(cell_text(values.get("title"))), None) if cell_text(values.get("title")) else NETWORK
        )
        if title is None:
            errors.append(("title", _("Unknown title “%(value)s”.") % {"value": cell_text(values.get("title"))}))
        measure = self.measures.get(fold(cell_text(values.get("measure"))))
        if measure is None:
            errors.append(("measure", _("Unknown figure “%(value)s”.") % {"value": cell_text(values.get("measure"))}))
        elif title is not None:
            try:
                services.clean_figure(title, measure)
            except ValidationError as error:
                errors.append(("measure", error))
        try:
            value = clean_count(values.get("value"))
        except ValidationError as error:
            errors.append(("value", error))
        code = cell_text(values.get("area"))
        unit, village = None, villages.get(code)
        if village is None and year is not None:
            unit = next((u for u in units.get(code, []) if u.tree == tree_for_year(year)), None)
            if unit is None:
                errors.append(
                    (
                        "area",
                        _("No unit or village “%(code)s” in your area for %(year)d.") % {"code": code, "year": year},
                    )
                )
        for key, error in errors:
            self.error(outcome, number, key, error)
        if errors:
            return None
        return AggregateChange(unit, village, year, title, measure, value, cell_text(values.get("note")))

    def apply(self, changes, *, actor, job):
        for change in changes:
            services.aggregate_save(
                actor=actor,
                unit=change.unit,
                village=change.village,
                year=change.year,
                title=change.title,
                measure=change.measure,
                value=change.value,
                note=change.note,
                version=services.REPLACE,
            )

    def template(self) -> bytes:
        """The columns, an example row per figure of the user's own area, and the accepted words."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(SHEET)
        words = workbook.add_worksheet("Danh mục")
        bold = workbook.add_format({"bold": True})
        text = workbook.add_format({"num_format": "@"})
        sheet.write_row(0, 0, [c.header for c in COLUMNS], bold)
        sheet.set_column(0, 0, 14, text)
        sheet.set_column(1, 6, 22)
        with translation.override("vi"):
            title_labels = [str(Title(t).label) for t in COUNTED_TITLES]
            measure_labels = [str(label) for value, label in Measure.choices if value != Measure.GRANTED]
        unit = self.user.unit
        if unit is not None:
            sheet.write_string(1, 0, unit.code)
            sheet.write_string(1, 1, unit.name)
        words.write_row(0, 0, ["Danh hiệu", "Chỉ tiêu"], bold)
        words.write_column(1, 0, title_labels)
        words.write_column(1, 1, measure_labels)
        for column, letter, count in ((3, "A", len(title_labels)), (4, "B", len(measure_labels))):
            source = f"='Danh mục'!${letter}$2:${letter}${count + 1}"
            sheet.data_validation(1, column, 100000, column, {"validate": "list", "source": source})
        sheet.data_validation(1, 5, 100000, 5, {"validate": "integer", "criteria": ">=", "value": 0})
        sheet.freeze_panes(1, 0)
        workbook.close()
        return buffer.getvalue()

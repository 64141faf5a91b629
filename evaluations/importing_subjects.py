"""Marks of clans, villages and units from Excel (issue 15), as the households' marks import reads them:
one row per clan (village, unit) named by its code, the year and the set on the first row, one column per
scored criterion; every mark checked by the set's own rule; saved by `evaluations_mark_many` for the
title, all or nothing. A row without a mark leaves its subject as it is."""

import tempfile
from pathlib import Path

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Perm
from areas.models import Village
from areas.services import check_in_force
from core.parsing import MAX_ID, clean_whole_number
from core.readers import Column, open_table
from criteria.models import CriteriaSet, Scoring, Title
from criteria.services import definition_of
from registry.exports import NO, YES
from registry.models import Clan, Organisation

from .batch import evaluations_mark_many
from .importing import (
    CRITERIA_SET,
    NOT_PASSED,
    PASSED,
    SUBMIT,
    YEAR,
    HouseholdMarksImporter,
    _criteria_sheet,
    mark_key,
)
from .models import SUBJECT_FIELD, Evaluation, Mark
from .selectors import complete_sets
from .services import closed_message, criteria_set_for, subject_area

CHUNK = 2000


class SubjectMarksImporter(HouseholdMarksImporter):
    """What the three kinds share; each names its title, model, sheet and code column."""

    title: str
    model: type
    sheet_name: str
    code_header: str
    name_header: str
    perm = Perm.EVALUATE
    code_missing = gettext_lazy("Enter the code.")
    code_unknown = gettext_lazy("Nothing of this kind has the code “%(code)s” in your area.")
    code_repeated = gettext_lazy("The same record as row %(row)d.")

    def __init__(self, *, user):
        super().__init__(user=user)
        self.fixed_columns = [
            Column("code", self.code_header),
            Column("year", YEAR, required=False),
            Column("set", CRITERIA_SET),
            Column("submit", SUBMIT, required=False),
        ]
        self.columns = self.fixed_columns

    def batches(self, path, filename, outcome=None):
        first = next(open_table(path, filename, self.fixed_columns).rows(), None)
        if first is not None:
            self._read_year_and_set(*first)
        if self.criteria_set is not None:
            self.columns = [*self.fixed_columns, *(Column(mark_key(leaf.key), leaf.key) for leaf in self.leaves)]
        yield from super(HouseholdMarksImporter, self).batches(path, filename, outcome)

    def _find_set(self, value) -> CriteriaSet:
        if value in (None, ""):
            raise ValidationError(_("Enter the id of the criteria set (the template fills it in)."), code="required")
        try:
            pk = clean_whole_number(value, min_value=1, max_value=MAX_ID)
        except ValidationError as error:
            raise ValidationError(_("A criteria set is named by its id, a whole number."), code="set") from error
        found = CriteriaSet.objects.filter(title=self.title, pk=pk).prefetch_related("nodes", "bands").first()
        if found is None:
            raise ValidationError(
                _("No criteria set for %(title)s has the id %(id)d.") % {"title": Title(self.title).label, "id": pk},
                code="set",
            )
        return found

    def _area_open(self, outcome, number, subject, evaluation) -> bool:
        key = ("area", evaluation.area_id) if evaluation is not None else ("subject", subject.pk)
        if key not in self.area_problems:
            self.area_problems[key] = self._area_problem(subject, evaluation)
        problem = self.area_problems[key]
        if problem is not None:
            self.error(outcome, number, "code", problem)
        return problem is None

    def _area_problem(self, subject, evaluation):
        try:
            area = evaluation.area if evaluation is not None else subject_area(self.title, subject, self.year)
            check_in_force(area, self.year)
        except ValidationError as error:
            return error
        closed = closed_message(Evaluation(title=self.title, year=self.year, area=area))
        return ValidationError(closed, code="closed") if closed else None

    def apply(self, changes, *, actor, job):
        for submit in (False, True):
            rows = [(change.household, change.version, change.marks) for change in changes if change.submit is submit]
            if rows:
                try:
                    evaluations_mark_many(
                        actor=actor,
                        year=self.year,
                        criteria_set=self.criteria_set,
                        rows=rows,
                        submit_complete=submit,
                        title=self.title,
                    )
                except ValidationError as error:
                    if not hasattr(error, "error_dict"):
                        raise
                    raise ValidationError(
                        [f"{code}: {message}" for code, messages in error.message_dict.items() for message in messages]
                    ) from error

    def default_set(self, year: int):
        area = getattr(self.user, "unit", None)
        try:
            return criteria_set_for(self.title, year, area)
        except ValidationError:
            sets = complete_sets(title=self.title, year=year, user=self.user, area=area)
            return sets[0] if sets else None

    def template(self, year: int | None = None) -> bytes:
        """The clans (villages, units) of the user's area, one row each, with the year and the set filled
        in and the marks already saved; the criteria on a second sheet."""
        year = year or timezone.localdate().year
        criteria_set = self.default_set(year)
        leaves = definition_of(criteria_set).leaves if criteria_set is not None else ()
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as output:
            workbook = xlsxwriter.Workbook(output.name, {"constant_memory": True})
            self._subjects_sheet(workbook, year, criteria_set, leaves)
            if criteria_set is not None:
                _criteria_sheet(workbook, criteria_set, leaves)
            workbook.close()
            return Path(output.name).read_bytes()

    def _subjects_sheet(self, workbook, year, criteria_set, leaves) -> None:
        sheet = workbook.add_worksheet(self.sheet_name)
        bold = workbook.add_format({"bold": True})
        text = workbook.add_format({"num_format": "@"})
        sheet.set_column(0, 0, 18, text)
        sheet.set_column(1, 1, 32)
        sheet.set_column(2, 3, 14)
        headers = [self.code_header, self.name_header, YEAR, CRITERIA_SET, *(leaf.key for leaf in leaves), SUBMIT]
        for column, header in enumerate(headers):
            sheet.write_string(0, column, header, bold)
        sheet.freeze_panes(1, 2)
        for offset, leaf in enumerate(leaves):
            column = 4 + offset
            if leaf.scoring == Scoring.PASS_FAIL:
                rule = {"validate": "list", "source": [PASSED, NOT_PASSED]}
            else:
                rule = {
                    "validate": "decimal",
                    "criteria": "between",
                    "minimum": 0,
                    "maximum": float(leaf.max_points or 0),
                }
            sheet.data_validation(1, column, 100000, column, rule)
        sheet.data_validation(1, 4 + len(leaves), 100000, 4 + len(leaves), {"validate": "list", "source": [YES, NO]})
        subjects = list(
            self.model.objects.visible_to(self.user).order_by("sort_key", "code").values_list("pk", "code", "name")
        )
        saved = self._saved_marks(year, criteria_set, [pk for pk, _code, _name in subjects])
        for row, (pk, code, name) in enumerate(subjects, start=1):
            sheet.write_string(row, 0, code)
            sheet.write_string(row, 1, name)
            sheet.write_number(row, 2, year)
            if criteria_set is not None:
                sheet.write_number(row, 3, criteria_set.pk)
            for offset, leaf in enumerate(leaves):
                value = saved.get((pk, leaf.key))
                if isinstance(value, bool):
                    sheet.write_string(row, 4 + offset, PASSED if value else NOT_PASSED)
                elif value is not None:
                    sheet.write_number(row, 4 + offset, float(value))

    def _saved_marks(self, year, criteria_set, pks) -> dict:
        if criteria_set is None or not pks:
            return {}
        field = SUBJECT_FIELD[self.title]
        saved = {}
        for start in range(0, len(pks), CHUNK):
            marks = Mark.objects.filter(
                evaluation__title=self.title,
                evaluation__year=year,
                evaluation__criteria_set=criteria_set,
                **{f"evaluation__{field}_id__in": pks[start : start + CHUNK]},
            ).values_list(f"evaluation__{field}_id", "node__code", "node__scoring", "points", "passed")
            for pk, code, scoring, points, passed in marks:
                value = passed if scoring == Scoring.PASS_FAIL else points
                if value is not None:
                    saved[(pk, code)] = value
        return saved


class ClanMarksImporter(SubjectMarksImporter):
    kind = "clan_marks"
    title = Title.CLAN
    model = Clan
    sheet_name = "Chấm điểm dòng họ"
    code_header, name_header = "Mã dòng họ", "Tên dòng họ"


class VillageMarksImporter(SubjectMarksImporter):
    kind = "village_marks"
    title = Title.VILLAGE
    model = Village
    sheet_name = "Chấm điểm thôn"
    code_header, name_header = "Mã thôn", "Tên thôn"


class OrganisationMarksImporter(SubjectMarksImporter):
    kind = "unit_marks"
    title = Title.UNIT
    model = Organisation
    sheet_name = "Chấm điểm đơn vị"
    code_header, name_header = "Mã đơn vị", "Tên đơn vị"

"""Household marks from a village meeting's spreadsheet, through the shared import pipeline: the
village grid's rows, from Excel.

One row per household; one column per scored criterion of the set the file names, headed by its
number ("1.1", "3"). Those columns depend on the set, so the first data row is read for the year
and the set before the rest of the header is matched. Every mark is checked by the set's own rule
(as the grid checks it), the household must be in the user's area and appear once; saving goes
through `evaluations.batch.evaluations_mark_many` with the versions read at the save, all or
nothing. A row without a single mark leaves its household as it is, so that a template filled in
for a few households clears nobody else's marks.
"""

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Perm
from areas.services import check_in_force
from core.importers import Importer, Outcome
from core.parsing import MAX_ID, NO_WORDS, YES_WORDS, clean_whole_number, clean_yes_no
from core.readers import Column, open_table
from core.text import fold
from criteria.models import CriteriaSet, Scoring, Title
from criteria.scoring import Leaf, clean_mark
from criteria.services import definition_of, require_usable
from criteria.sheets import COLUMNS as CRITERIA_COLUMNS
from criteria.sheets import INFO_LABELS
from criteria.validation import SCORING_WORDS
from registry.exports import HOUSEHOLD_COLUMNS, NO, YES
from registry.models import Household
from registry.network import clean_year

from .batch import evaluations_mark_many
from .models import SUBJECT_FIELD, Evaluation, Mark
from .parsing import parse_mark
from .selectors import complete_sets
from .services import OWNER_EDITABLE, closed_message, criteria_set_for, subject_area

SHEET, CRITERIA_SHEET = "Chấm điểm hộ", "Tiêu chí"
HOUSEHOLD_CODE, HEAD_NAME = HOUSEHOLD_COLUMNS[0], HOUSEHOLD_COLUMNS[3]
YEAR, CRITERIA_SET, SUBMIT = "Năm", "Mã bộ tiêu chí", "Gửi phê duyệt"
PASSED, NOT_PASSED = "Đạt", "Không đạt"
PASSED_WORDS = {fold(PASSED), *YES_WORDS}
NOT_PASSED_WORDS = {fold(NOT_PASSED), *NO_WORDS}
FIXED_COLUMNS = [
    Column("code", HOUSEHOLD_CODE),
    Column("year", YEAR, required=False),
    Column("set", CRITERIA_SET),
    Column("submit", SUBMIT, required=False),
]
# Excel's last row: the template's dropdowns and checks also cover rows a meeting adds.
LAST_ROW = 1_048_575
CHUNK = 2000
OWN_MARKS = Prefetch("marks", queryset=Mark.objects.select_related("node"))


def mark_key(code: str) -> str:
    """The column key of a criterion's marks (apart from the fixed columns' keys)."""
    return f"mark:{code}"


def read_mark(leaf: Leaf, value):
    """A cell as `clean_mark` takes it: None when empty; Đạt/Không đạt (or x, 1/0, có/không) as
    True/False; points with a decimal comma accepted. Anything else goes on, for `clean_mark` to
    refuse with the set's own message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if leaf.scoring == Scoring.PASS_FAIL:
        if isinstance(value, bool):
            return value
        folded = fold(str(value))
        if folded in PASSED_WORDS:
            return True
        if folded in NOT_PASSED_WORDS:
            return False
        return value
    return parse_mark(leaf.scoring, value) if isinstance(value, str) else value


def mark_text(value) -> str:
    """A mark as the file writes it, for the examples the check shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return PASSED if value else NOT_PASSED
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def default_set(year: int, user) -> CriteriaSet | None:
    """The set the template is made for: the one an evaluation in the user's area would take by
    default (its province's own set where it has one), else the newest complete one covering the year
    that applies there (None when there is none)."""
    area = getattr(user, "unit", None)
    try:
        return criteria_set_for(Title.HOUSEHOLD, year, area)
    except ValidationError:
        sets = complete_sets(title=Title.HOUSEHOLD, year=year, user=user, area=area)
        return sets[0] if sets else None


@dataclass
class RowChange:
    household: Household
    version: int | None  # the evaluation's version read at this pass; None: not registered yet
    marks: dict  # leaf code → cleaned mark; empty: the row gave none
    submit: bool


class HouseholdMarksImporter(Importer):
    kind = "household_marks"
    # What is marked: the subclasses in importing_subjects mark clans, villages and units the same way.
    title = Title.HOUSEHOLD
    model = Household
    perm = Perm.EVALUATE
    columns = FIXED_COLUMNS
    # A row's code that is missing, names nothing in the user's area, or repeats an earlier row's.
    code_missing = gettext_lazy("Enter the household code.")
    code_unknown = gettext_lazy("No household has the code “%(code)s” in your area.")
    code_repeated = gettext_lazy("The same household as row %(row)d.")

    def __init__(self, *, user):
        super().__init__(user=user)
        self.year = None
        self.criteria_set = None
        self.leaves: tuple[Leaf, ...] = ()
        self.problem = None  # (row, column key, error) when the file's year or set cannot be used
        self.first_row_of = {}  # household pk → the row that gave it
        self.area_problems = {}  # ("village"/"area", pk) → why its households cannot change, or None

    def batches(self, path, filename, outcome=None):
        """The first data row names the year and the set; the set's criteria are the other columns.
        The file is opened through the shared reader both times, with all of its checks."""
        first = next(open_table(path, filename, FIXED_COLUMNS).rows(), None)
        if first is not None:
            self._read_year_and_set(*first)
        if self.criteria_set is not None:
            self.columns = [*FIXED_COLUMNS, *(Column(mark_key(leaf.key), leaf.key) for leaf in self.leaves)]
        yield from super().batches(path, filename, outcome)

    def _read_year_and_set(self, number: int, values: dict) -> None:
        try:
            year = values.get("year")
            self.year = timezone.localdate().year if year in (None, "") else clean_year(year)
        except ValidationError as error:
            self.problem = (number, "year", error)
            return
        try:
            criteria_set = self._find_set(values.get("set"))
            require_usable(criteria_set, self.year)
        except ValidationError as error:
            self.problem = (number, "set", error)
            return
        self.criteria_set = criteria_set
        self.leaves = definition_of(criteria_set).leaves

    @staticmethod
    def _find_set(value) -> CriteriaSet:
        if value in (None, ""):
            raise ValidationError(_("Enter the id of the criteria set (the template fills it in)."), code="required")
        try:
            pk = clean_whole_number(value, min_value=1, max_value=MAX_ID)
        except ValidationError as error:
            raise ValidationError(_("A criteria set is named by its id, a whole number."), code="set") from error
        criteria_set = CriteriaSet.objects.filter(title=Title.HOUSEHOLD, pk=pk).prefetch_related("nodes", "bands")
        criteria_set = criteria_set.first()
        if criteria_set is None:
            raise ValidationError(
                _("No criteria set for learning households has the id %(id)d.") % {"id": pk}, code="set"
            )
        return criteria_set

    def classify(self, batch, outcome: Outcome):
        """The rows that register or change a household's evaluation; errors go to `outcome`.
        One query per lookup per batch, not per row."""
        if self.criteria_set is None:
            if self.problem is not None:
                self.error(outcome, *self.problem)
                self.problem = None
            return []
        codes = {str(values.get("code") or "").strip() for _number, values in batch} - {""}
        households = {h.code: h for h in self.model.objects.visible_to(self.user).filter(code__in=codes)}
        field = SUBJECT_FIELD[self.title]
        evaluations = {
            getattr(e, f"{field}_id"): e
            for e in Evaluation.objects.filter(
                title=self.title, year=self.year, **{f"{field}__in": list(households.values())}
            )
            .select_related("area", "criteria_set")
            .prefetch_related(OWN_MARKS)
        }
        changes = []
        for number, values in batch:
            errors_before = outcome.error_count
            household = self._subject_of_row(outcome, number, values, households)
            self._check_same_year_and_set(outcome, number, values)
            marks = self._marks(outcome, number, values)
            submit = False
            try:
                submit = clean_yes_no(values.get("submit"), empty=False)
            except ValidationError as error:
                self.error(outcome, number, "submit", error)
            if outcome.error_count > errors_before:
                continue
            change = self._change(outcome, number, household, evaluations.get(household.pk), marks, submit)
            if change is not None:
                changes.append(change)
        return changes

    def _subject_of_row(self, outcome: Outcome, number: int, values: dict, subjects: dict):
        """The subject the row's code names in the user's area, once per file."""
        code = str(values.get("code") or "").strip()
        subject = subjects.get(code)
        if not code:
            self.error(outcome, number, "code", ValidationError(self.code_missing, code="required"))
        elif subject is None:
            message = self.code_unknown % {"code": code}
            self.error(outcome, number, "code", ValidationError(message, code="scope"))
        elif subject.pk in self.first_row_of:
            message = self.code_repeated % {"row": self.first_row_of[subject.pk]}
            self.error(outcome, number, "code", ValidationError(message, code="duplicate"))
        else:
            self.first_row_of[subject.pk] = number
        return subject

    def _check_same_year_and_set(self, outcome: Outcome, number: int, values: dict) -> None:
        """A file is one meeting: one year and one set (the first row's); an empty cell means them."""
        year, pk = values.get("year"), values.get("set")
        if year not in (None, "") and str(year).strip() != str(self.year):
            message = _("A file holds the marks of one year: the first row gives %(year)d.") % {"year": self.year}
            self.error(outcome, number, "year", ValidationError(message, code="year"))
        if pk not in (None, "") and str(pk).strip() != str(self.criteria_set.pk):
            message = _("A file holds the marks of one criteria set: the first row gives %(id)d.") % {
                "id": self.criteria_set.pk
            }
            self.error(outcome, number, "set", ValidationError(message, code="set"))

    def _marks(self, outcome: Outcome, number: int, values: dict) -> dict:
        """The row's marks by leaf code, each checked by the set; empty when the row gives none."""
        marks = {}
        for leaf in self.leaves:
            key = mark_key(leaf.key)
            try:
                marks[leaf.key] = clean_mark(leaf, read_mark(leaf, values.get(key)))
            except ValidationError as error:
                self.error(outcome, number, key, error)
        return marks if any(value is not None for value in marks.values()) else {}

    def _change(self, outcome: Outcome, number: int, household, evaluation, marks: dict, submit: bool):
        if evaluation is None:
            if not marks:
                outcome.count("unchanged")
                return None
            if not self._area_open(outcome, number, household, None):
                return None
            sample = {"row": number, "code": household.code, **{c: mark_text(v) for c, v in marks.items()}}
            outcome.count("create", sample if outcome.wants_sample("create") else None)
            return RowChange(household, None, marks, submit)
        if evaluation.criteria_set_id != self.criteria_set.pk:
            if marks:
                message = _("%(household)s is evaluated for %(year)d with another criteria set, %(set)s.") % {
                    "household": household,
                    "year": self.year,
                    "set": evaluation.criteria_set,
                }
                self.error(outcome, number, "code", ValidationError(message, code="other_set"))
            else:
                outcome.count("unchanged")
            return None
        saved = {
            m.node.code: m.passed if m.node.scoring == Scoring.PASS_FAIL else m.points for m in evaluation.marks.all()
        }
        changed = [code for code, value in marks.items() if value != saved.get(code)]
        editable = evaluation.state in OWNER_EDITABLE
        if changed and not editable:
            message = _("The evaluation of %(household)s is “%(state)s”: its marks are no longer changed here.") % {
                "household": household,
                "state": evaluation.get_state_display(),
            }
            self.error(outcome, number, "code", ValidationError(message, code="state"))
            return None
        after = {**saved, **marks}
        submitting = submit and editable and all(after.get(leaf.key) is not None for leaf in self.leaves)
        if not changed and not submitting:
            outcome.count("unchanged")
            return None
        if not self._area_open(outcome, number, household, evaluation):
            return None
        if outcome.wants_sample("update"):
            before = {code: mark_text(saved.get(code)) for code in changed}
            after_sample = {code: mark_text(marks[code]) for code in changed}
            if submitting:
                before[SUBMIT], after_sample[SUBMIT] = NO, YES
            outcome.count("update", {"row": number, "code": household.code, "before": before, "after": after_sample})
        else:
            outcome.count("update")
        return RowChange(household, evaluation.version, marks, submitting)

    def _area_open(self, outcome: Outcome, number: int, household, evaluation) -> bool:
        """Whether the household's evaluation may change this year: its village has a commune in
        force, and the year is not closed there (asked once per village or area)."""
        key = ("area", evaluation.area_id) if evaluation is not None else ("village", household.village_id)
        if key not in self.area_problems:
            self.area_problems[key] = self._area_problem(household, evaluation)
        problem = self.area_problems[key]
        if problem is not None:
            self.error(outcome, number, "code", problem)
        return problem is None

    def _area_problem(self, household, evaluation) -> ValidationError | None:
        try:
            area = evaluation.area if evaluation is not None else subject_area(Title.HOUSEHOLD, household, self.year)
            check_in_force(area, self.year)
        except ValidationError as error:
            return error
        closed = closed_message(Evaluation(title=Title.HOUSEHOLD, year=self.year, area=area))
        return ValidationError(closed, code="closed") if closed else None

    def apply(self, changes, *, actor, job):
        """Save through the village grid's service (the rows to submit in a call of their own); the
        pipeline marks its history rows as this import's (`audit.services.audit_source`)."""
        for submit in (False, True):
            rows = [(change.household, change.version, change.marks) for change in changes if change.submit is submit]
            if rows:
                try:
                    evaluations_mark_many(
                        actor=actor, year=self.year, criteria_set=self.criteria_set, rows=rows, submit_complete=submit
                    )
                except ValidationError as error:
                    if not hasattr(error, "error_dict"):
                        raise
                    # The job keeps the messages only: each says which household it is about.
                    raise ValidationError(
                        [f"{code}: {message}" for code, messages in error.message_dict.items() for message in messages]
                    ) from error

    # The template is made for a year the user chooses (imports/views.py): backfilling 2019 needs the
    # criteria of the set that applied in 2019, not this year's.
    template_takes_year = True

    def template(self, year: int | None = None) -> bytes:
        """The households of the user's area (active ones), one row each, with the year (this year
        unless given) and the set that applies to it filled in, and the marks already saved with it;
        the criteria's texts on a second sheet. Written row by row to a temporary file: a province
        holds many households."""
        year = year or timezone.localdate().year
        criteria_set = default_set(year, self.user)
        leaves = definition_of(criteria_set).leaves if criteria_set is not None else ()
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as output:
            workbook = xlsxwriter.Workbook(output.name, {"constant_memory": True})
            self._marks_sheet(workbook, year, criteria_set, leaves)
            if criteria_set is not None:
                _criteria_sheet(workbook, criteria_set, leaves)
            workbook.close()
            return Path(output.name).read_bytes()

    def _marks_sheet(self, workbook, year: int, criteria_set, leaves) -> None:
        sheet = workbook.add_worksheet(SHEET)
        bold = workbook.add_format({"bold": True})
        text = workbook.add_format({"num_format": "@"})
        sheet.set_column(0, 0, 18, text)
        sheet.set_column(1, 1, 28)
        sheet.set_column(2, 3, 14)
        if leaves:
            sheet.set_column(4, 3 + len(leaves), 10)
        sheet.set_column(4 + len(leaves), 4 + len(leaves), 14)
        for column, header in enumerate(
            [HOUSEHOLD_CODE, HEAD_NAME, YEAR, CRITERIA_SET, *(leaf.key for leaf in leaves), SUBMIT]
        ):
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
            sheet.data_validation(1, column, LAST_ROW, column, rule)
        sheet.data_validation(1, 4 + len(leaves), LAST_ROW, 4 + len(leaves), {"validate": "list", "source": [YES, NO]})
        row = 0
        for chunk in self._household_chunks():
            saved = _saved_marks(year, criteria_set, [pk for pk, _code, _head in chunk])
            for pk, code, head_name in chunk:
                row += 1
                sheet.write_string(row, 0, code)
                sheet.write_string(row, 1, head_name)
                sheet.write_number(row, 2, year)
                if criteria_set is not None:
                    sheet.write_number(row, 3, criteria_set.pk)
                for offset, leaf in enumerate(leaves):
                    value = saved.get((pk, leaf.key))
                    if isinstance(value, bool):
                        sheet.write_string(row, 4 + offset, PASSED if value else NOT_PASSED)
                    elif value is not None:
                        sheet.write_number(row, 4 + offset, float(value))

    def _household_chunks(self):
        households = Household.objects.visible_to(self.user).filter(is_active=True)
        chunk = []
        rows = households.order_by("village__code", "sort_key", "code").values_list("pk", "code", "head_name")
        for household in rows.iterator(chunk_size=CHUNK):
            chunk.append(household)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _saved_marks(year: int, criteria_set, household_pks: list) -> dict:
    """(household pk, leaf code) → the self-assessed mark saved with the set for the year."""
    if criteria_set is None:
        return {}
    marks = Mark.objects.filter(
        evaluation__title=Title.HOUSEHOLD,
        evaluation__year=year,
        evaluation__criteria_set=criteria_set,
        evaluation__household_id__in=household_pks,
    )
    saved = {}
    for household_pk, code, scoring, points, passed in marks.values_list(
        "evaluation__household_id", "node__code", "node__scoring", "points", "passed"
    ):
        value = passed if scoring == Scoring.PASS_FAIL else points
        if value is not None:
            saved[(household_pk, code)] = value
    return saved


def _criteria_sheet(workbook, criteria_set: CriteriaSet, leaves) -> None:
    """What each column of marks asks, and the set it belongs to ("minh hoạ" when its values are invented)."""
    sheet = workbook.add_worksheet(CRITERIA_SHEET)
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 80)
    sheet.set_column(2, 3, 16)
    illustration = " · minh hoạ" if criteria_set.is_illustration else ""
    sheet.write_string(0, 0, CRITERIA_SET, bold)
    sheet.write_number(0, 1, criteria_set.pk)
    sheet.write_string(1, 0, INFO_LABELS["name"], bold)
    sheet.write_string(1, 1, f"{criteria_set}{illustration}")
    headers = [CRITERIA_COLUMNS[0], CRITERIA_COLUMNS[3], CRITERIA_COLUMNS[4], CRITERIA_COLUMNS[5]]
    for column, header in enumerate(headers):
        sheet.write_string(3, column, header, bold)
    names = {node.code: node.name for node in criteria_set.nodes.all()}
    for row, leaf in enumerate(leaves, start=4):
        sheet.write_string(row, 0, leaf.key)
        sheet.write_string(row, 1, names.get(leaf.key, ""))
        sheet.write_string(row, 2, SCORING_WORDS[leaf.scoring])
        if leaf.max_points is not None:
            sheet.write_number(row, 3, float(leaf.max_points))

"""An evaluation's marks and what they give: storing the marks an officer or the approver typed (each
change as before → after, for the history), and the total and result the criteria set computes from the
marks in force (the approver's where they adjusted one). Used by the services, which check who may
change what and write the audit row."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.memo import remembered
from criteria.models import ResultRule, Scoring, level_code
from criteria.scoring import clean_mark, evaluate
from criteria.services import criteria_marked, definition_of

from .models import SUBJECT_FIELD, Evaluation, EvaluationState, Mark

# A note's change in an entry's before and after: "note 1.1" (evaluations.wording names it).
NOTE_PREFIX = "note "


def _effective_marks(evaluation: Evaluation) -> dict:
    marks = {}
    for mark in evaluation.marks.select_related("node"):
        if mark.node.scoring == Scoring.PASS_FAIL:
            value = mark.adjusted_passed if mark.adjusted_passed is not None else mark.passed
        else:
            value = mark.adjusted_points if mark.adjusted_points is not None else mark.points
        marks[mark.node.code] = value
    return marks


def recompute(evaluation: Evaluation):
    definition = definition_of(evaluation.criteria_set)
    outcome = evaluate(definition, _effective_marks(evaluation))
    result = outcome.result
    criteria_set = evaluation.criteria_set
    if criteria_set.rule == ResultRule.LEVELS and result not in (level_code(1), "not_achieved"):
        result = _cap_by_time_at_level_1(evaluation, result)
    evaluation.total = outcome.total if criteria_set.rule != ResultRule.LEVELS else None
    evaluation.result = result
    return outcome


def _cap_by_time_at_level_1(evaluation: Evaluation, result: str) -> str:
    """Level 2 only after the set's years at level 1 (TT25/2023: 12 months)."""
    needed = evaluation.criteria_set.years_at_level_1 or 0
    field = SUBJECT_FIELD[evaluation.title]
    earlier = Evaluation.objects.filter(
        **{field: getattr(evaluation, f"{field}_id")},
        state=EvaluationState.APPROVED,
        result=level_code(1),
        year__lte=evaluation.year - needed,
    )
    return result if needed == 0 or earlier.exists() else level_code(1)


def write_marks(evaluation: Evaluation, marks: dict, notes: dict, *, adjusted: bool, reason: str = "") -> dict:
    """Store marks given by leaf code; returns {code: (before, after)} of what changed, a note's
    change under "note <code>"."""
    definition = definition_of(evaluation.criteria_set)
    leaves = {leaf.key: leaf for leaf in definition.leaves}
    criteria_set = evaluation.criteria_set
    nodes = remembered(("set nodes", criteria_set.pk), lambda: {n.code: n for n in criteria_set.nodes.all()})
    existing = {m.node.code: m for m in evaluation.marks.select_related("node")}
    changed, first_marked, new_marks = {}, [], []
    errors = []
    for code, value in marks.items():
        if code not in leaves:
            errors.append(_("%(code)s is not a scored criterion of this set.") % {"code": code})
            continue
        try:
            value = clean_mark(leaves[code], value)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        mark = existing.get(code) or Mark(evaluation=evaluation, node=nodes[code])
        attribute = ("adjusted_" if adjusted else "") + (
            "passed" if leaves[code].scoring == Scoring.PASS_FAIL else "points"
        )
        before, note_before = getattr(mark, attribute), mark.note
        if before != value or (code in notes and notes[code] != mark.note):
            setattr(mark, attribute, value)
            if adjusted:
                mark.adjust_reason = reason
            elif code in notes:
                mark.note = notes[code]
            if mark.pk is None:
                first_marked.append(mark.node)
                new_marks.append(mark)
            else:
                mark.save()
            if before != value:
                changed[code] = (_plain(before), _plain(value))
            if code in notes and notes[code] != note_before:
                changed[f"{NOTE_PREFIX}{code}"] = (note_before, notes[code])
    if errors:
        raise ValidationError(errors)
    Mark.objects.bulk_create(new_marks)  # a meeting's new row: its marks in one statement, not one each
    criteria_marked(first_marked)
    return changed


def sides(changed: dict) -> tuple[dict, dict]:
    return {c: b for c, (b, _a) in changed.items()}, {c: a for c, (_b, a) in changed.items()}


def _plain(value):
    if isinstance(value, Decimal):
        # As the officer wrote it, whether read from the row ("5.00") or from the form ("5").
        value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return str(value) if value is not None and not isinstance(value, bool) else value

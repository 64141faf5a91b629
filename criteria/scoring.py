"""From marks to a result, as the set's rule says. Pure functions over plain data, so that the
rules are tested exhaustively (hypothesis) without a database, and the same code scores one
evaluation on its page and ten thousand households from a village meeting's grid."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import ACHIEVED, NOT_ACHIEVED, ResultRule, Scoring, level_code

ZERO = Decimal(0)


@dataclass(frozen=True)
class Leaf:
    key: str  # the node's code
    scoring: str  # Scoring.POINTS or Scoring.PASS_FAIL
    max_points: Decimal | None = None
    level: int | None = None  # levels rule: needed from this level on
    groups: tuple[str, ...] = ()  # the codes of its ancestors, for their totals and minimums


@dataclass(frozen=True)
class Band:
    code: str
    min_total: Decimal


@dataclass(frozen=True)
class Definition:
    rule: str
    leaves: tuple[Leaf, ...]
    bands: tuple[Band, ...] = ()  # highest first
    pass_total: Decimal | None = None
    minimums: dict = field(default_factory=dict)  # criterion code → minimum points


@dataclass(frozen=True)
class Result:
    total: Decimal
    result: str
    complete: bool  # every leaf has a mark
    group_totals: dict


def clean_mark(leaf: Leaf, value):
    """A mark for a leaf: points within 0..max, or pass/fail; None when not marked yet."""
    if value is None or value == "":
        return None
    if leaf.scoring == Scoring.PASS_FAIL:
        if isinstance(value, bool):
            return value
        raise ValidationError(_("Mark %(code)s as passed or not passed.") % {"code": leaf.key}, code="pass_fail")
    try:
        points = Decimal(str(value))
    except ArithmeticError as error:
        raise ValidationError(_("Write the points of %(code)s as a number.") % {"code": leaf.key}) from error
    if not points.is_finite() or points < 0 or (leaf.max_points is not None and points > leaf.max_points):
        raise ValidationError(
            _("The points of %(code)s are from 0 to %(max)s.") % {"code": leaf.key, "max": leaf.max_points},
            code="points_range",
        )
    return points


def evaluate(definition: Definition, marks: dict) -> Result:
    """The result of `marks` ({leaf key: points, True/False or None}); unmarked leaves count as 0 / not passed."""
    total = ZERO
    group_totals: dict[str, Decimal] = {}
    leaf_points: dict[str, Decimal] = {}
    complete = True
    for leaf in definition.leaves:
        mark = marks.get(leaf.key)
        if mark is None:
            complete = False
        points = mark if leaf.scoring == Scoring.POINTS and mark is not None else ZERO
        total += points
        leaf_points[leaf.key] = points
        for group in leaf.groups:
            group_totals[group] = group_totals.get(group, ZERO) + points
    # A minimum may sit on a criterion with parts (its parts' sum) or on a scored criterion itself.
    reached = {**leaf_points, **group_totals}
    return Result(total, _result(definition, marks, total, reached), complete, group_totals)


def _result(definition: Definition, marks: dict, total: Decimal, reached: dict) -> str:
    if definition.rule == ResultRule.RATINGS:
        for band in definition.bands:
            if total >= band.min_total:
                return band.code
        return NOT_ACHIEVED
    if definition.rule == ResultRule.THRESHOLD:
        below_a_minimum = any(reached.get(code, ZERO) < m for code, m in definition.minimums.items())
        return ACHIEVED if total >= definition.pass_total and not below_a_minimum else NOT_ACHIEVED
    reached = 0
    for level in sorted({leaf.level for leaf in definition.leaves}):
        needed = [leaf for leaf in definition.leaves if leaf.level <= level]
        if not all(marks.get(leaf.key) is True for leaf in needed):
            break
        reached = level
    return level_code(reached) if reached else NOT_ACHIEVED

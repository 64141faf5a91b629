"""Scoring as the rules say it, for every total: sums, each threshold's boundaries, levels."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from criteria.models import ACHIEVED, NOT_ACHIEVED
from criteria.scoring import Band, Definition, Leaf, clean_mark, evaluate

POINTS = st.decimals(min_value=0, max_value=50, places=1, allow_nan=False, allow_infinity=False)
TT22_BANDS = (Band("tot", Decimal(85)), Band("kha", Decimal(70)), Band("trung_binh", Decimal(50)))


def points_leaves(maximums):
    return tuple(Leaf(f"{n}", "points", Decimal(m), groups=(str(n % 3),)) for n, m in enumerate(maximums))


@given(st.lists(POINTS, min_size=1, max_size=12))
def test_the_total_is_the_sum_of_the_marks_and_each_group_of_its_own(marks):
    leaves = points_leaves([50] * len(marks))
    result = evaluate(
        Definition("ratings", leaves, TT22_BANDS), {leaf.key: m for leaf, m in zip(leaves, marks, strict=True)}
    )
    assert result.total == sum(marks, Decimal(0))
    assert sum(result.group_totals.values(), Decimal(0)) == result.total
    assert result.complete


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False))
def test_a_total_gets_the_highest_rating_whose_threshold_it_reaches(total):
    leaf = Leaf("1", "points", Decimal(100))
    rating = evaluate(Definition("ratings", (leaf,), TT22_BANDS), {"1": total}).result
    expected = "tot" if total >= 85 else "kha" if total >= 70 else "trung_binh" if total >= 50 else NOT_ACHIEVED
    assert rating == expected


@pytest.mark.parametrize(
    "total, rating",
    [
        ("85", "tot"),
        ("84.99", "kha"),
        ("70", "kha"),
        ("69.99", "trung_binh"),
        ("50", "trung_binh"),
        ("49.99", NOT_ACHIEVED),
        ("0", NOT_ACHIEVED),
        ("100", "tot"),
    ],
)
def test_the_boundaries_of_the_tt22_ratings(total, rating):
    leaf = Leaf("1", "points", Decimal(100))
    assert evaluate(Definition("ratings", (leaf,), TT22_BANDS), {"1": Decimal(total)}).result == rating


@given(
    POINTS,
    POINTS,
    st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=50, places=1, allow_nan=False, allow_infinity=False),
)
def test_a_title_needs_the_threshold_total_and_every_minimum(first, second, threshold, minimum):
    leaves = (Leaf("1.1", "points", Decimal(50), groups=("1",)), Leaf("2.1", "points", Decimal(50), groups=("2",)))
    definition = Definition("threshold", leaves, pass_total=threshold, minimums={"1": minimum})
    result = evaluate(definition, {"1.1": first, "2.1": second}).result
    assert result == (ACHIEVED if first + second >= threshold and first >= minimum else NOT_ACHIEVED)


@given(st.lists(st.tuples(st.sampled_from([1, 2]), st.booleans()), min_size=1, max_size=10))
def test_a_level_is_reached_when_every_indicator_needed_up_to_it_passes(indicators):
    leaves = tuple(Leaf(f"{n}", "pass_fail", level=level) for n, (level, _passed) in enumerate(indicators))
    marks = {leaf.key: passed for leaf, (_level, passed) in zip(leaves, indicators, strict=True)}
    result = evaluate(Definition("levels", leaves), marks).result
    level_1 = all(p for level, p in indicators if level == 1)
    everything = all(p for _level, p in indicators)
    levels = {level for level, _p in indicators}
    if not level_1 or (levels == {2} and not everything):
        assert result == NOT_ACHIEVED
    elif everything:
        assert result == f"level_{max(levels)}"
    else:
        assert result == "level_1"


def test_an_unmarked_leaf_counts_nothing_and_the_result_says_it_is_incomplete():
    leaves = points_leaves([10, 10])
    result = evaluate(Definition("ratings", leaves, TT22_BANDS), {"0": Decimal(7)})
    assert (result.total, result.complete) == (Decimal(7), False)


@pytest.mark.parametrize("value", ["-1", "10.5", "mười", True])
def test_points_outside_zero_to_the_maximum_are_refused(value):
    with pytest.raises(ValidationError):
        clean_mark(Leaf("1.1", "points", Decimal(10)), value)


def test_pass_fail_takes_only_yes_or_no_and_an_empty_mark_is_none():
    leaf = Leaf("1.1", "pass_fail", level=1)
    assert clean_mark(leaf, True) is True and clean_mark(leaf, "") is None
    with pytest.raises(ValidationError):
        clean_mark(leaf, "7")


@given(POINTS, POINTS)
def test_a_minimum_on_a_scored_criterion_is_its_own_points(first, second):
    leaves = (Leaf("1", "points", Decimal(50)), Leaf("2", "points", Decimal(50)))
    definition = Definition("threshold", leaves, pass_total=Decimal(0), minimums={"1": Decimal(20)})
    result = evaluate(definition, {"1": first, "2": second}).result
    assert result == (ACHIEVED if first >= 20 else NOT_ACHIEVED)

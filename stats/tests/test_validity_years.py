"""Validity years (issue 15, item 5): lượt counts the years recognitions were granted for; “recognised
in year Y”, the figure behind rates and targets, counts, under a set that says so, every year a
recognition is still valid, once per subject; other sets count the year granted only. The services'
changes and a rebuild from the records give the same figures, on either tree."""

import pytest

from conftest import unit
from evaluations import decisions
from registry import services as registry_services
from stats import figures
from stats.models import Fact
from stats.rebuild import rebuild_all
from stats.verify import FIELDS, _meaningful

from .conftest import approved, published

pytestmark = pytest.mark.django_db

FIRST = 2023  # valid three years: 2023 and 2024 on the old tree, 2025 (the reform year) on the new one


@pytest.fixture
def valid_three_years(household_set):
    """The household set, saying that a recognition stays valid three years and counts in each."""
    household_set.validity_years, household_set.count_each_valid_year = 3, True
    household_set.save(update_fields=["validity_years", "count_each_valid_year"])
    return household_set


def snapshot():
    return _meaningful(Fact.objects.values_list(*FIELDS))


def recognise(admin_user, criteria_set, subject, year):
    evaluation = approved(admin_user, criteria_set, subject, year)
    area = ("pre2025", "01837") if year < 2025 else ("2025", "01843")
    return published(admin_user, [evaluation], year=year, area=area)


def recognised(code_tree, year, measure="recognised"):
    tree, code = code_tree
    return figures.for_unit(unit(tree, code), year, tree).value("household", measure) or 0


def test_a_recognition_counts_in_each_valid_year_and_lượt_in_its_own(admin_user, household, valid_three_years):
    assert figures.settings.KHUYENHOC_REFORM_YEAR == 2025
    recognise(admin_user, valid_three_years, household("Hoàng Văn An"), FIRST)
    old, new = ("pre2025", "01837"), ("2025", "01843")
    assert [recognised(old, y) for y in (2023, 2024)] == [1, 1]
    assert recognised(new, 2025) == 1  # its village is in the new ward from 2025
    assert recognised(new, 2026) == 0
    assert [recognised(old, y, "granted") for y in (2023, 2024)] == [1, 0]
    assert recognised(new, 2025, "granted") == 0
    assert figures.recognitions_over(unit(*new), "household", [2023, 2024, 2025], "2025") == 1
    before = snapshot()
    rebuild_all()
    assert snapshot() == before


def test_a_subject_is_counted_once_a_year_however_many_recognitions_cover_it(admin_user, household, valid_three_years):
    subject = household("Hoàng Văn An")
    recognise(admin_user, valid_three_years, subject, FIRST)
    second = recognise(admin_user, valid_three_years, subject, FIRST + 1)
    old, new = ("pre2025", "01837"), ("2025", "01843")
    assert [recognised(old, 2023), recognised(old, 2024), recognised(new, 2025), recognised(new, 2026)] == [1, 1, 1, 1]
    assert figures.recognitions_over(unit(*new), "household", [2023, 2024, 2025, 2026], "2025") == 2
    before = snapshot()
    rebuild_all()
    assert snapshot() == before
    # Revoking the second takes away 2026 only: 2024 and 2025 are still covered by the first.
    decisions.decision_revoke(actor=admin_user, decision=second, reason="Nhầm")
    assert [recognised(old, 2024), recognised(new, 2025), recognised(new, 2026)] == [1, 1, 0]
    before = snapshot()
    rebuild_all()
    assert snapshot() == before


def test_a_covered_household_adds_to_those_recognised_that_year_in_its_village_as_a_rebuild_adds_them(
    admin_user, household, villages, valid_three_years
):
    """The rebuild counts the year's recognitions with a grouped read of the evaluations and the ones an
    earlier year still covers in Python; where both fall on one village they add up, once per subject."""
    recognise(admin_user, valid_three_years, household("Hoàng Văn An"), FIRST)
    recognise(admin_user, valid_three_years, household("Lý Thị Bình"), FIRST + 1)
    at_village = Fact.objects.filter(village=villages["song_cau_1"], year=FIRST + 1, title="household")
    assert dict(at_village.values_list("measure", "value")) == {"registered": 1, "recognised": 2, "granted": 1}
    assert recognised(("pre2025", "01837"), FIRST + 1) == 2
    before = snapshot()
    rebuild_all()
    assert snapshot() == before


def test_other_sets_count_the_year_granted_only(admin_user, household, household_set):
    household_set.validity_years = 3  # valid three years, but not counted in each
    household_set.save(update_fields=["validity_years"])
    recognise(admin_user, household_set, household("Lý Thị Bình"), FIRST)
    old = ("pre2025", "01837")
    assert [recognised(old, 2023), recognised(old, 2024)] == [1, 0]
    assert recognised(old, 2023, "granted") == 1


def test_the_years_move_with_a_household_and_agree_with_a_rebuild(admin_user, household, villages, valid_three_years):
    subject = household("Hoàng Văn An")
    recognise(admin_user, valid_three_years, subject, FIRST)
    registry_services.household_update(
        actor=admin_user,
        household=subject,
        version=subject.version,
        village=villages["song_cau_2"],
        head_name=subject.head_name,
        members=subject.members,
        is_active=True,
    )
    value = Fact.objects.filter(village=villages["song_cau_2"], title="household", measure="recognised")
    assert sorted(value.filter(value=1).values_list("year", flat=True)) == [2023, 2024, 2025]
    assert not Fact.objects.filter(village=villages["song_cau_1"], measure="recognised", value__gt=0).exists()
    before = snapshot()
    rebuild_all()
    assert snapshot() == before


def test_old_years_map_onto_the_new_tree(admin_user, household, valid_three_years):
    recognise(admin_user, valid_three_years, household("Hoàng Văn An"), FIRST)
    by_year = figures.for_unit_years(unit("2025", "01843"), [2023, 2024, 2025], "2025")
    assert [by_year[y].value("household", "recognised") for y in (2023, 2024, 2025)] == [1, 1, 1]
    assert [by_year[y].value("household", "granted") or 0 for y in (2023, 2024, 2025)] == [1, 0, 0]


def test_an_entered_total_of_recognitions_is_also_its_lượt(admin_user):
    from stats import services

    services.aggregate_save(
        actor=admin_user, unit=unit("pre2025", "01837"), year=2018, title="household", measure="recognised", value=40
    )
    assert recognised(("pre2025", "01837"), 2018, "granted") == 40
    before = snapshot()
    rebuild_all()
    assert snapshot() == before

"""The national generator at a tiny size: what it writes is whole and in proportion, and the facts
rebuilt from it equal counts made independently from the rows."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import translation

from areas.models import AdministrativeUnit, Level, Tree, Village, VillagePlacement, subtree_q
from evaluations.models import Evaluation, EvaluationState
from registry.models import AreaYear, Household
from stats.models import EnteredAggregate, Fact

pytestmark = pytest.mark.django_db

SIZE = 0.0002  # 20 villages, about 5,400 households
YEAR = 2024


def test_a_tiny_national_dataset(reform_year):
    """One generation (it takes seconds), checked three ways."""
    report = StringIO()
    with translation.override("vi"):
        call_command("generate_national", size=SIZE, seed=2026, year=YEAR, stdout=report)
    counts_and_seconds_are_written_the_vietnamese_way(report.getvalue())
    households_and_evaluations_in_proportion()
    every_village_is_placed_on_both_trees(reform_year)
    rebuilt_facts_equal_the_rows_counted_independently(reform_year)


def counts_and_seconds_are_written_the_vietnamese_way(report: str):
    """5.400 hộ, 1,2 giây: a point groups thousands and a comma marks the decimal."""
    placed = next(line for line in report.splitlines() if line.startswith("Đã xếp"))
    assert re.fullmatch(r"Đã xếp 20 thôn \(\d+,\d giây\)\.", placed), placed
    households = re.search(r"(\d[\d.]*) / (\d[\d.]*)", report)
    assert households is not None and "," not in households.group(0), report
    assert int(households.group(2).replace(".", "")) > 1000


def figure(unit, year, measure, title="household"):
    fact = Fact.objects.filter(unit=unit, year=year, title=title, measure=measure).first()
    return fact.value if fact else 0


def households_and_evaluations_in_proportion():
    villages = Village.objects.filter(code__contains="-")
    households = Household.objects.count()
    evaluations = Evaluation.objects.filter(year=YEAR, title="household")
    assert villages.count() == 20
    assert 0.85 * 27_000_000 * SIZE < households < 1.15 * 27_000_000 * SIZE
    assert evaluations.count() == households
    assert evaluations.values("household").distinct().count() == households
    assert evaluations.filter(state=EvaluationState.APPROVED).count() > 0.9 * households
    assert 0.6 * households < evaluations.filter(recognised=True).count() < 0.73 * households
    assert not evaluations.filter(recognised=True).exclude(state=EvaluationState.APPROVED).exists()
    criteria_set = evaluations.first().criteria_set
    assert criteria_set.is_illustration
    assert criteria_set.frozen and criteria_set.in_use  # approved evaluations use it


def every_village_is_placed_on_both_trees(reform_year):
    for village in Village.objects.all():
        before, after = village.placement_in(reform_year - 1), village.placement_in(reform_year)
        assert before.commune.tree == Tree.PRE_2025 and before.commune.level == Level.COMMUNE
        assert after.commune.tree == Tree.Y2025
        assert after.commune.predecessions.filter(predecessor=before.commune, is_default=True).exists()
        assert not VillagePlacement.objects.filter(village=village, commune__tree=Tree.PRE_2025, to_year=None).exists()


def rebuilt_facts_equal_the_rows_counted_independently(reform_year):
    provinces = AdministrativeUnit.objects.filter(tree=Tree.PRE_2025, level=Level.PROVINCE)
    evaluations = Evaluation.objects.filter(year=YEAR, title="household")
    checked = 0
    for province in provinces:
        under = evaluations.filter(subtree_q("area__path", province.path))
        if not under.exists():
            assert not Fact.objects.filter(unit=province, year=YEAR, title="household").exclude(value=0).exists()
            continue
        assert figure(province, YEAR, "registered") == under.count()
        assert figure(province, YEAR, "recognised") == under.filter(recognised=True).count()
        # A year before the system: the totals villages entered, summed under the province.
        entered = EnteredAggregate.objects.filter(subtree_q("path", province.path), year=YEAR - 1)
        assert (
            figure(province, YEAR - 1, "registered")
            == entered.filter(measure="registered").aggregate(total=Sum("value"))["total"]
        )
        checked += 1
    assert checked > 0
    assert sum(figure(p, YEAR, "registered") for p in provinces) == evaluations.count()
    # After the reform the same villages' totals reach the 2025 provinces.
    new_provinces = AdministrativeUnit.objects.filter(tree=Tree.Y2025, level=Level.PROVINCE)
    after = EnteredAggregate.objects.filter(year=reform_year, measure="registered").aggregate(total=Sum("value"))
    assert sum(figure(p, reform_year, "registered") for p in new_provinces) == after["total"]
    base = AreaYear.objects.filter(year=YEAR).aggregate(total=Sum("households"))["total"]
    assert base == Household.objects.count()


def test_refuses_a_database_with_households(villages):
    Household.objects.create(code="X-0001", village=villages["ban_thi"], head_name="Lý Văn An", members=4)
    with pytest.raises(CommandError):
        call_command("generate_national", size=SIZE, stdout=StringIO())
    assert Household.objects.count() == 1

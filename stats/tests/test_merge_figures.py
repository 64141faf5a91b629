"""Duplicates merged (issue 15, item 9), what moves with them: every evaluation, with its marks and
history, goes to the household or clan kept; two evaluations of one year refuse the merge with nothing
changed; and the figures after a merge are those a rebuild from the records gives."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from audit.services import history_of
from conftest import unit
from evaluations import demo_sets
from evaluations import services as evaluation_services
from evaluations.models import Evaluation
from registry import merging
from registry import services as registry_services
from stats import figures
from stats.models import Fact
from stats.patterns import computed_patterns, stored_patterns
from stats.rebuild import rebuild_all
from stats.verify import FIELDS, _meaningful

from .conftest import approved, published

pytestmark = pytest.mark.django_db

OLD, NEW = ("pre2025", "01837"), ("2025", "01843")


@pytest.fixture
def valid_three_years(household_set):
    """The household set, saying that a recognition stays valid three years and counts in each."""
    household_set.validity_years, household_set.count_each_valid_year = 3, True
    household_set.save(update_fields=["validity_years", "count_each_valid_year"])
    return household_set


def facts():
    return _meaningful(Fact.objects.values_list(*FIELDS))


def recognise(actor, criteria_set, subject, year):
    evaluation = approved(actor, criteria_set, subject, year)
    published(actor, [evaluation], year=year, area=OLD if year < 2025 else NEW)
    return Evaluation.objects.get(pk=evaluation.pk)


def recognised(area, year):
    return figures.for_unit(unit(*area), year, area[0]).value("household", "recognised") or 0


def versions(*records):
    return {record.pk: record.version for record in records}


def test_the_evaluations_move_to_the_survivor_and_the_figures_equal_a_rebuild(admin_user, household, valid_three_years):
    survivor, duplicate = household("Hoàng Văn An"), household("HOÀNG VĂN AN")
    kept = recognise(admin_user, valid_three_years, survivor, 2022)
    moved = recognise(admin_user, valid_three_years, duplicate, 2023)
    # Two households: 2023 and 2024 count both (each still recognised); one subject once merged.
    assert [recognised(OLD, year) for year in (2022, 2023, 2024)] == [1, 2, 2]
    moved_history = list(history_of(moved).values_list("pk", flat=True))
    marks = sorted(moved.marks.values_list("pk", flat=True))

    merging.household_merge(
        survivor=survivor,
        duplicates=[duplicate],
        actor=admin_user,
        reason="Một hộ nhập hai lần",
        versions=versions(survivor, duplicate),
    )

    assert set(survivor.evaluations.values_list("pk", flat=True)) == {kept.pk, moved.pk}
    assert sorted(Evaluation.objects.get(pk=moved.pk).marks.values_list("pk", flat=True)) == marks
    assert list(history_of(moved).values_list("pk", flat=True)) == moved_history
    assert [recognised(OLD, year) for year in (2022, 2023, 2024)] == [1, 1, 1]
    assert recognised(NEW, 2025) == 1
    assert figures.for_unit(unit(*OLD), 2023, "pre2025").value("household", "granted") == 1  # lượt unchanged
    after, patterns = facts(), stored_patterns()
    assert patterns == computed_patterns()
    rebuild_all()
    assert facts() == after


def test_two_evaluations_of_one_year_refuse_the_merge_naming_the_year(admin_user, household, valid_three_years):
    survivor, duplicate = household("Hoàng Văn An"), household("Hoang Van An")
    recognise(admin_user, valid_three_years, survivor, 2023)
    theirs = recognise(admin_user, valid_three_years, duplicate, 2023)
    before, entries = facts(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        merging.household_merge(
            survivor=survivor,
            duplicates=[duplicate],
            actor=admin_user,
            reason="Trùng",
            versions=versions(survivor, duplicate),
        )
    assert "năm 2023" in refused.value.messages[0] and duplicate.code in refused.value.messages[0]
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None and duplicate.is_active
    assert Evaluation.objects.get(pk=theirs.pk).household_id == duplicate.pk
    assert facts() == before and AuditEntry.objects.count() == entries


def test_merging_clans_keeps_their_evaluations_and_the_figures_of_a_rebuild(admin_user, villages):
    def clan(name):
        return registry_services.clan_save(
            actor=admin_user,
            clan=None,
            commune=unit(*OLD),
            name=name,
            head_name="",
            member_households=20,
            has_board=False,
            villages=[villages["song_cau_1"]],
        )

    survivor, duplicate = clan("Họ Hoàng"), clan("Họ Hoàng")
    clan_set, _created = demo_sets._clan(admin_user)
    for subject, year in ((survivor, 2023), (duplicate, 2024)):
        evaluation_services.evaluation_register(
            actor=admin_user, title="clan", year=year, subject=subject, criteria_set=clan_set
        )
    merging.clan_merge(
        survivor=survivor,
        duplicates=[duplicate],
        actor=admin_user,
        reason="Một dòng họ",
        versions=versions(survivor, duplicate),
    )
    assert sorted(survivor.evaluations.values_list("year", flat=True)) == [2023, 2024]
    assert figures.for_unit(unit(*OLD), 2024, "pre2025").value("clan", "registered") == 1
    after = facts()
    rebuild_all()
    assert facts() == after

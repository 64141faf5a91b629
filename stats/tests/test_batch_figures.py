"""A meeting's grid or a marks import saves many evaluations in one transaction, and their
registrations reach the figures together at its end (`core.changes.gathered`): the figures are the
same as if each had been saved alone, and equal a rebuild; a batch refused changes none of them."""

import pytest
from django.core.exceptions import ValidationError

from conftest import unit
from evaluations import batch
from stats.models import Fact
from stats.verify import rebuild_problems

from .conftest import FULL_MARKS
from .test_facts import snapshot

pytestmark = pytest.mark.django_db


def registered(year, **holder) -> int:
    fact = Fact.objects.filter(year=year, title="household", measure="registered", **holder).first()
    return fact.value if fact else 0


def test_a_batch_over_two_villages_counts_every_registration_once_at_every_level(
    personas, household_set, household, villages, reform_year
):
    first = [household(f"Hộ Sông Cầu 1 số {n}") for n in range(5)]
    second = [household(f"Hộ Sông Cầu 2 số {n}", "song_cau_2") for n in range(3)]
    rows = [(h, None, FULL_MARKS) for h in [*first, *second]]

    counts = batch.evaluations_mark_many(
        actor=personas["commune_officer"], year=reform_year, criteria_set=household_set, rows=rows
    )

    assert counts["registered"] == 8
    assert registered(reform_year, village=villages["song_cau_1"]) == 5
    assert registered(reform_year, village=villages["song_cau_2"]) == 3
    assert registered(reform_year, unit=unit("2025", "01843")) == 8
    assert registered(reform_year, unit=unit("2025", "19")) == 8
    assert rebuild_problems(reform_year) == []


def test_a_refused_batch_changes_no_figure(personas, household_set, household, reform_year):
    before = snapshot()
    good, bad = household("Hộ đủ điểm"), household("Hộ điểm sai")
    rows = [(good, None, FULL_MARKS), (bad, None, {**FULL_MARKS, "2.2": 999})]

    with pytest.raises(ValidationError) as refused:
        batch.evaluations_mark_many(
            actor=personas["commune_officer"], year=reform_year, criteria_set=household_set, rows=rows
        )

    assert list(refused.value.message_dict) == [bad.code]
    assert snapshot() == before


def test_a_second_batch_adds_to_the_first(personas, household_set, household, villages, reform_year):
    officer = personas["commune_officer"]
    earlier = [household(f"Hộ họp lần đầu {n}") for n in range(2)]
    batch.evaluations_mark_many(
        actor=officer, year=reform_year, criteria_set=household_set, rows=[(h, None, FULL_MARKS) for h in earlier]
    )
    later = [household(f"Hộ họp lần sau {n}") for n in range(3)]
    batch.evaluations_mark_many(
        actor=officer, year=reform_year, criteria_set=household_set, rows=[(h, None, FULL_MARKS) for h in later]
    )
    assert registered(reform_year, village=villages["song_cau_1"]) == 5
    assert rebuild_problems(reform_year) == []

"""The rebuild computes a year in the database and writes only the rows that differ: a check that
finds the figures right writes nothing, and a wrong, missing or stray row is put right. Whatever it
writes equals the incremental figures and the reference computed in Python (`stats.verify`)."""

import pytest
from django.db import connection

from conftest import unit
from stats import services
from stats.models import Fact
from stats.rebuild import entered_values, other_own, rebuild_year
from stats.rebuild_sql import rebuild_facts
from stats.verify import rebuild_problems

from .conftest import approved, published
from .test_facts import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(personas, household_set, household, villages, reform_year):
    officer = personas["commune_officer"]
    made = [approved(officer, household_set, household(name), reform_year) for name in ("An", "Bình", "Cúc")]
    made.append(approved(officer, household_set, household("Dũng", "song_cau_2"), reform_year))
    published(officer, made[:2], year=reform_year, area=("2025", "01843"))
    services.aggregate_save(
        actor=officer,
        village=villages["song_cau_2"],
        year=reform_year,
        title="household",
        measure="recognised",
        value=7,
    )
    return snapshot()


def rebuild_writes(year) -> int:
    return rebuild_facts(year, other_own(year), entered_values(year))[1]


def test_a_rebuild_of_right_figures_writes_nothing(figures, reform_year):
    assert rebuild_writes(reform_year) == 0
    assert snapshot() == figures


def test_a_wrong_a_missing_and_a_stray_row_are_put_right(figures, villages, reform_year):
    province = Fact.objects.get(unit=unit("2025", "19"), year=reform_year, title="household", measure="registered")
    assert province.value == 4
    Fact.objects.filter(pk=province.pk).update(value=40, computed=40)
    Fact.objects.filter(village=villages["song_cau_1"], year=reform_year, measure="recognised").delete()
    Fact.objects.create(unit=unit("2025", "01840"), year=reform_year, title="clan", measure="registered", value=5)
    assert rebuild_problems(reform_year)

    assert rebuild_writes(reform_year) == 3
    assert snapshot() == figures
    assert rebuild_problems(reform_year) == []


def test_a_year_rebuilt_from_nothing_equals_the_incremental_figures(figures, reform_year):
    Fact.objects.filter(year=reform_year).delete()
    rebuild_year(reform_year)
    assert snapshot() == figures
    assert rebuild_problems(reform_year) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no block-range index")
def test_on_postgresql_a_years_facts_are_found_by_a_range_index_of_their_years():
    """The rebuild reads one year's facts among every year's; no B-tree index leads with the year for
    villages' facts (migration 0012 says why a block-range index does)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [Fact._meta.db_table])
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("USING brin (year)" in d and "autosummarize='on'" in d for d in definitions), definitions


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's settings are PostgreSQL's")
def test_on_postgresql_a_rebuild_leaves_the_planners_settings_as_it_found_them(figures, reform_year):
    """The rebuild turns compiling (JIT) off after its grouped read, a merge join off for its merge and
    gives itself more memory: whatever the same transaction runs after it plans as before, even with
    settings of its own."""
    settings = ("jit", "enable_mergejoin", "work_mem")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '8MB'")

    def shown():
        with connection.cursor() as cursor:
            values = []
            for name in settings:
                cursor.execute(f"SHOW {name}")
                values.append(cursor.fetchone()[0])
            return values

    before = shown()
    rebuild_writes(reform_year)
    Fact.objects.filter(year=reform_year).delete()
    rebuild_year(reform_year)
    assert shown() == before

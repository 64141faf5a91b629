"""The rebuild computes a year in the database and writes only the rows that differ: a check that
finds the figures right writes nothing, and a wrong, missing or stray row is put right. Whatever it
writes equals the incremental figures and the reference computed in Python (`stats.verify`)."""

import pytest
from django.db import connection

from conftest import unit
from registry import network
from stats import services
from stats.models import EnteredAggregate, Fact
from stats.rebuild import python_own, rebuild_year
from stats.rebuild_sql import _write_year_apart, rebuild_facts
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
    return rebuild_facts(year, python_own(year))[1]


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


NO_BRANCHES = dict.fromkeys(["village_branches", "agency_branches", "agency_boards", "clan_boards"], 0)


def test_the_network_the_structure_and_the_entered_figures_are_rebuilt_as_they_were_kept(
    figures, personas, reform_year
):
    """The rebuild groups these in the database, `verify` in Python, and the services kept them
    change by change: two associations of one area at different levels both count."""
    officer, province, commune = personas["province_officer"], unit("2025", "19"), unit("2025", "01843")
    for level, name, members in (("province", "Hội Khuyến học tỉnh", 120), ("province_school", "Hội trường", 30)):
        association = network.association_create(actor=officer, level=level, area=province, name=name)
        network.association_year_save(
            actor=officer,
            association=association,
            year=reform_year,
            **{**NO_BRANCHES, "members": members, "school_boards": 2},
        )
    network.area_year_save(actor=officer, area=commune, year=reform_year, population=5200, households=1300)
    kept = snapshot()

    Fact.objects.filter(year=reform_year).delete()
    rebuild_year(reform_year)

    assert snapshot() == kept
    assert rebuild_problems(reform_year) == []
    value = {(f.title, f.measure): f.value for f in Fact.objects.filter(unit=province, year=reform_year)}
    assert value["", "members"] == 150
    assert value["", "school_boards"] == 4
    assert value["", "associations_province"] == value["", "associations_province_school"] == 1
    assert (value["", "population"], value["household", "base"]) == (5200, 1300)
    villages = Fact.objects.get(unit=commune, year=reform_year, title="village", measure="base").value
    assert value["village", "base"] >= villages > 0
    assert value["commune", "base"] > 0


def test_a_total_entered_for_an_area_years_figure_replaces_the_field_in_the_rebuild(figures, personas, reform_year):
    """The services send the household base to the area year and refuse it as a total; a total
    entered before that rule, still in the table, wins over the field, in the rebuild as in `verify`."""
    officer, commune = personas["province_officer"], unit("2025", "01843")
    network.area_year_save(actor=officer, area=commune, year=reform_year, population=5200, households=1300)
    EnteredAggregate.objects.create(
        unit=commune,
        path=commune.path,
        year=reform_year,
        title="household",
        measure="base",
        value=1350,
        entered_by=officer,
    )

    rebuild_year(reform_year)

    assert rebuild_problems(reform_year) == []
    fact = Fact.objects.get(unit=commune, year=reform_year, title="household", measure="base")
    assert (fact.value, fact.entered) == (1350, 1350)


def partition_of(year: int) -> tuple[str, str] | None:
    """The partition holding `year`'s facts, by name and bounds, as PostgreSQL describes it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass "
            "AND pg_get_expr(c.relpartbound, c.oid) = %s",
            [Fact._meta.db_table, f"FOR VALUES IN ('{year}')"],
        )
        return cursor.fetchone()


def rows_in(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps every year in one table")
def test_on_postgresql_each_year_has_a_partition_of_its_own_and_a_rebuild_from_nothing_writes_a_new_one(
    figures, reform_year
):
    """A year gets its partition when it is opened, before its first facts; rebuilt from nothing, the
    year's rows are written into a new one that takes the old one's place."""
    own = (f"stats_fact_y{reform_year}", f"FOR VALUES IN ('{reform_year}')")
    assert partition_of(reform_year) == own
    assert rows_in(own[0]) == Fact.objects.filter(year=reform_year).count() > 0
    assert rows_in("stats_fact_other") == 0

    for _again in range(2):
        Fact.objects.filter(year=reform_year).delete()
        rebuild_year(reform_year)
        assert partition_of(reform_year) == own
        assert rows_in(own[0]) == Fact.objects.filter(year=reform_year).count() > 0
        assert rows_in("stats_fact_other") == 0
        assert snapshot() == figures
        assert rebuild_problems(reform_year) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps every year in one table")
def test_on_postgresql_a_year_never_opened_is_rebuilt_into_a_partition_of_its_own(figures, reform_year):
    year = reform_year - 6
    assert partition_of(year) is None and not Fact.objects.filter(year=year).exists()
    rebuild_year(year)
    assert partition_of(year) == (f"stats_fact_y{year}", f"FOR VALUES IN ('{year}')")
    assert rows_in(f"stats_fact_y{year}") == Fact.objects.filter(year=year).count() > 0
    assert rebuild_problems(year) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps every year in one table")
def test_on_postgresql_a_partition_that_holds_facts_is_never_replaced(figures, reform_year):
    """A rebuild that found the year empty and then finds facts in its partition (written since, by
    another transaction) leaves the partition to the merge."""
    Fact.objects.filter(year=reform_year).delete()
    rebuild_year(reform_year)
    held = rows_in(f"stats_fact_y{reform_year}")
    with connection.cursor() as cursor:
        assert _write_year_apart(cursor, reform_year) is None
    assert rows_in(f"stats_fact_y{reform_year}") == held
    assert snapshot() == figures


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

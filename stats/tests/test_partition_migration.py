"""The migration that splits the fact table into a partition a year (0014) keeps every fact with its id,
gives each year found its own partition, keeps the table's rules (one fact per holder, year, title and
measure; holders that exist) and numbers new facts after the old ones; and it goes back whole. A
national database holds millions of facts when it is run. PostgreSQL only: SQLite keeps one table."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree
from stats.models import Fact

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fact table is partitioned on PostgreSQL only"),
]

BEFORE, PARTITIONED = ("stats", "0013_lean_indexes"), ("stats", "0014_fact_partitions")


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target])


def kind_of(table: str) -> str | None:
    """'r' for a plain table, 'p' for a partitioned one, None when there is no such table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        found = cursor.fetchone()
    return found[0] if found else None


def facts() -> list[tuple]:
    return list(Fact.objects.order_by("id").values_list("id", "unit_id", "year", "title", "measure", "value"))


def test_the_facts_of_each_year_move_into_its_partition_and_back():
    if not AdministrativeUnit.objects.exists():
        load_administrative_units()
    province, commune = (AdministrativeUnit.objects.get(tree=Tree.Y2025, code=code) for code in ("19", "01843"))
    migrate(BEFORE)
    try:
        assert kind_of("stats_fact") == "r" and kind_of("stats_fact_y2017") is None
        Fact.objects.bulk_create(
            Fact(unit=unit, year=year, title="household", measure="recognised", value=value)
            for unit, year, value in ((province, 2017, 1_001), (commune, 2017, 334), (province, 2024, 667))
        )
        written = facts()

        migrate(PARTITIONED)
        assert kind_of("stats_fact") == "p"
        assert kind_of("stats_fact_y2017") == kind_of("stats_fact_y2024") == "r" and kind_of("stats_fact_other")
        assert facts() == written  # every fact, with its id
        with connection.cursor() as cursor:
            cursor.execute("SELECT year, count(*) FROM stats_fact_y2017 GROUP BY year")
            assert cursor.fetchall() == [(2017, 2)]
        newer = Fact.objects.create(unit=commune, year=2024, title="household", measure="recognised", value=5)
        assert newer.pk > max(row[0] for row in written)
        with pytest.raises(IntegrityError), transaction.atomic():  # one fact per holder, year, title, measure
            Fact.objects.create(unit=province, year=2017, title="household", measure="recognised", value=1)
        with pytest.raises(IntegrityError), transaction.atomic():  # a holder that exists
            Fact.objects.create(unit_id=10**9, year=2017, title="household", measure="recognised", value=1)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

        written = facts()
        migrate(BEFORE)
        assert kind_of("stats_fact") == "r" and kind_of("stats_fact_y2017") is None
        assert facts() == written
    finally:
        migrate(PARTITIONED)
    assert kind_of("stats_fact") == "p"

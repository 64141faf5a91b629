"""The fact table's partitions on PostgreSQL, one a year (stats/migrations/0014 says why); SQLite keeps
every year in one table and nothing here runs there.

A year gets its partition when it is opened (`facts.open_year`, before its first facts are written)
or when a rebuild writes it from nothing (`rebuild_sql`). Facts of a year without one go to the
default partition, `stats_fact_other`: years written before the partitions existed are given theirs
by the migration.
"""

from django.db import connection

from .models import Fact


def partition_name(year: int) -> str:
    return f"{Fact._meta.db_table}_y{int(year)}"


def has_partition(cursor, year: int) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [partition_name(year)])
    return cursor.fetchone()[0]


def create_detached(cursor, year: int) -> str:
    """A table shaped as the fact table, to hold `year`'s facts until `attach` makes it the year's
    partition; returns its quoted name."""
    facts, partition = connection.ops.quote_name(Fact._meta.db_table), connection.ops.quote_name(partition_name(year))
    cursor.execute(f"CREATE TABLE {partition} (LIKE {facts} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    # Says what the partition holds, so that attaching it need not read it to know.
    cursor.execute(f"ALTER TABLE {partition} ADD CHECK (year = {int(year)})")
    return partition


def attach(cursor, year: int) -> None:
    """The table of `create_detached` made the year's partition: its indexes are built and its foreign
    keys checked, one query each; the default partition is read to find no facts of the year. Locks
    the fact table only against other changes of its partitions, not against reads and writes."""
    facts, partition = connection.ops.quote_name(Fact._meta.db_table), connection.ops.quote_name(partition_name(year))
    cursor.execute(f"ALTER TABLE {facts} ATTACH PARTITION {partition} FOR VALUES IN ({int(year)})")


def add_year(year: int) -> None:
    """`year`'s partition, if it has none and no facts (else they lie in the default partition, and
    stay there)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if has_partition(cursor, year):
            return
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(Fact._meta.db_table)} WHERE year = %s)",
            [int(year)],
        )
        if cursor.fetchone()[0]:
            return
        create_detached(cursor, year)
        attach(cursor, year)

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


def has_facts(cursor, year: int) -> bool:
    """Whether `year` has any fact, in its partition or the default one."""
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(Fact._meta.db_table)} WHERE year = %s)", [int(year)]
    )
    return cursor.fetchone()[0]


def drop_if_empty(cursor, year: int) -> bool:
    """`year`'s partition detached and dropped, unless it holds facts (False). Locks the fact table,
    readers included, until the transaction ends: detaching takes that lock, taken here before
    looking so that no fact is written in between."""
    facts, partition = connection.ops.quote_name(Fact._meta.db_table), connection.ops.quote_name(partition_name(year))
    cursor.execute(f"LOCK TABLE {facts} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {partition})")
    if cursor.fetchone()[0]:
        return False
    # Facts written to the partition earlier in this transaction (and deleted since) have their
    # holders' checks queued for the commit, and PostgreSQL drops no table with checks pending.
    cursor.execute(
        "SELECT string_agg(quote_ident(conname), ', ') FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype = 'f'",
        [Fact._meta.db_table],
    )
    checks = cursor.fetchone()[0]
    if checks:
        cursor.execute(f"SET CONSTRAINTS {checks} IMMEDIATE")
    cursor.execute(f"ALTER TABLE {facts} DETACH PARTITION {partition}")
    cursor.execute(f"DROP TABLE {partition}")
    if checks:
        cursor.execute(f"SET CONSTRAINTS {checks} DEFERRED")
    return True


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
        if has_partition(cursor, year) or has_facts(cursor, year):
            return
        create_detached(cursor, year)
        attach(cursor, year)

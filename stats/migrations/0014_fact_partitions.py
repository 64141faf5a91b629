"""The fact table split into one partition a year, on PostgreSQL (SQLite keeps one table).

A rebuild that writes a whole year (the first of a year, or after its facts were deleted) can then
write the year's rows into a table of their own and attach it: the table's indexes are built once over
its 450,000 rows and each foreign key is checked by one query, where inserting the rows into one table
of every year updated indexes of 5 million entries and checked each row's holder one by one at commit
(4.2–4.6 s of a national year's 9.9 s; docs/performance.md). Every read of the facts names its year, so
it reads one partition; the block-range index of the years (0012) has nothing left to do.

What PostgreSQL asks of a partitioned table, and how it is met:
- every unique index holds the partition key: rows are found by id through a unique index of
  (id, year) (see ID_INDEX for why not a primary key); the holders' unique indexes hold the year;
- no identity column (before PostgreSQL 17): the ids come from a sequence of the same name, owned by
  the column, as a serial's (Django resets and reads it the same way);
- a year without a partition of its own goes to the default one, `stats_fact_other`.

The models describe the same columns, so Django's state does not change. The constraints' and indexes'
names are kept, read from the table itself rather than written here. A schema step of its own, not a
RunPython: the tests run every RunPython again as a data step (conftest.put_back_what_migrations_bring).
"""

from django.db import migrations

TABLE = "stats_fact"
OTHER_YEARS = "stats_fact_other"
YEAR_RANGE_INDEX = "fact_year_range"
PRIMARY_KEY = "stats_fact_pkey"
# The partitioned table's rows are found by id through a unique index rather than a primary key:
# PostgreSQL 15's dump asks to drop each partition's inherited primary key on a restore over the
# database (khuyenhoc/backup.py's `pg_restore --clean`) and then refuses it; a partitioned index is
# dropped whole.
ID_INDEX = "fact_id_year"


def _shape(cursor, table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The table's foreign keys and its indexes other than those that find a row by id (name, definition)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype = 'f' ORDER BY conname",
        [table],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
        "AND indexname NOT IN (%s, %s, %s) ORDER BY indexname",
        [table, PRIMARY_KEY, ID_INDEX, YEAR_RANGE_INDEX],
    )
    return foreign_keys, cursor.fetchall()


def _strip(cursor, table: str, foreign_keys, indexes) -> None:
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    for name in (YEAR_RANGE_INDEX, ID_INDEX):
        cursor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, _definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {PRIMARY_KEY}")


def _dress(cursor, table: str, foreign_keys, indexes, *, partitioned: bool) -> None:
    if partitioned:
        cursor.execute(f"CREATE UNIQUE INDEX {ID_INDEX} ON {table} (id, year)")
    else:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {PRIMARY_KEY} PRIMARY KEY (id)")
    for _name, definition in indexes:
        cursor.execute(definition)  # names the table as `table`, now the new one
    for name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


class PartitionFactsByYear(migrations.operations.base.Operation):
    reversible = True

    def state_forwards(self, app_label, state):
        pass  # the same columns: only how PostgreSQL stores them changes

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            shape = _shape(cursor, TABLE)
            _strip(cursor, TABLE, *shape)
            cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_unpartitioned")
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {TABLE}_unpartitioned")
            next_id = cursor.fetchone()[0]
            cursor.execute(f"ALTER TABLE {TABLE}_unpartitioned ALTER COLUMN id DROP IDENTITY IF EXISTS")
            cursor.execute(
                f"CREATE TABLE {TABLE} (LIKE {TABLE}_unpartitioned INCLUDING CONSTRAINTS) PARTITION BY LIST (year)"
            )
            cursor.execute(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
            cursor.execute(f"SELECT setval('{TABLE}_id_seq', %s, false)", [next_id])
            cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
            cursor.execute(f"CREATE TABLE {OTHER_YEARS} PARTITION OF {TABLE} DEFAULT")
            cursor.execute(f"SELECT DISTINCT year FROM {TABLE}_unpartitioned ORDER BY year")
            for (year,) in cursor.fetchall():
                cursor.execute(f"CREATE TABLE {TABLE}_y{int(year)} PARTITION OF {TABLE} FOR VALUES IN ({int(year)})")
            cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_unpartitioned")
            cursor.execute(f"DROP TABLE {TABLE}_unpartitioned")
            _dress(cursor, TABLE, *shape, partitioned=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            shape = _shape(cursor, TABLE)
            _strip(cursor, TABLE, *shape)
            cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_partitioned")
            cursor.execute(f"CREATE TABLE {TABLE} (LIKE {TABLE}_partitioned INCLUDING CONSTRAINTS)")
            cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_partitioned")
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {TABLE}")
            next_id = cursor.fetchone()[0]
            cursor.execute(f"DROP TABLE {TABLE}_partitioned")  # its partitions and its sequence with it
            cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), %s, false)", [next_id])
            _dress(cursor, TABLE, *shape, partitioned=False)
            cursor.execute(f"CREATE INDEX {YEAR_RANGE_INDEX} ON {TABLE} USING brin (year) WITH (autosummarize = on)")

    def describe(self):
        return "The fact table split into one partition a year (PostgreSQL)"


class Migration(migrations.Migration):
    dependencies = [("stats", "0013_lean_indexes")]

    operations = [PartitionFactsByYear()]

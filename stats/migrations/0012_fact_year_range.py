"""A block-range index of the facts' years, on PostgreSQL only (SQLite has no such index).

A rebuild reads all of one year's facts to compare them with what the records say. No B-tree index
leads with the year for villages' facts, and one more would be written for each of a year's 450,000
rows; without any index, the read scanned every year's rows (0.34 s of a national rebuild with eleven
years). A year's facts are written together, so they lie in a few runs of pages: a range index of 32 kB
finds them, and costs a year written from nothing nothing measurable. `autosummarize` has the
autovacuum describe the ranges written since, so that they are not all read as possible matches.

A schema step of its own, not a RunPython: the tests run every RunPython again as a data step after a
test empties the database (conftest.put_back_what_migrations_bring).
"""

from django.db import migrations

INDEX = "fact_year_range"


class CreateYearRangeIndex(migrations.operations.base.Operation):
    reversible = True

    def state_forwards(self, app_label, state):
        pass  # the models do not describe it: Django has no portable range index

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"CREATE INDEX {INDEX} ON stats_fact USING brin (year) WITH (autosummarize = on)")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")

    def describe(self):
        return "A block-range index of the facts' years (PostgreSQL)"


class Migration(migrations.Migration):
    dependencies = [("stats", "0011_fact_holders_without_own_index")]

    operations = [CreateYearRangeIndex()]

"""Upserts of many rows without the ORM's per-object overhead (the import speed goal needs it).

PostgreSQL: COPY into a temporary table, then one INSERT … SELECT … ON CONFLICT. SQLite: one
executemany of INSERT … ON CONFLICT. Callers pass plain tuples in the order of `columns` and hold
the transaction.
"""

from django.db import connection


def upsert(model, columns: list[str], rows, *, conflict: str, update: list[str]) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = [connection.ops.quote_name(model._meta.get_field(c).column) for c in columns]
    conflict_column = connection.ops.quote_name(model._meta.get_field(conflict).column)
    assignments = ", ".join(
        f"{connection.ops.quote_name(model._meta.get_field(c).column)} = EXCLUDED."
        f"{connection.ops.quote_name(model._meta.get_field(c).column)}"
        for c in update
    )
    column_list = ", ".join(quoted)
    rows = list(rows)
    if not rows:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            staging = connection.ops.quote_name(f"staging_{model._meta.db_table}")
            # Only the written columns, without the table's constraints; dropped when the transaction ends.
            cursor.execute(f"DROP TABLE IF EXISTS {staging}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {column_list} FROM {table} WITH NO DATA"
            )
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {staging} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM {staging} "
                f"ON CONFLICT ({conflict_column}) DO UPDATE SET {assignments}"
            )
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({column_list}) VALUES ({placeholders}) "
                f"ON CONFLICT ({conflict_column}) DO UPDATE SET {assignments}",
                rows,
            )
    return len(rows)

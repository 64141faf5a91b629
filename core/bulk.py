"""Writing and looking up many rows without the ORM's per-object overhead (the import speed goal
needs it). Callers pass plain tuples in the order of `columns`, with dates and times already
through `connection.ops.adapt_datetimefield_value`, and hold the transaction."""

import json
from itertools import islice

from django.db import connection
from psycopg.copy import QueuedLibpqWriter
from psycopg.types.json import Jsonb

SQLITE_CHUNK = 5000


class JsonText(str):
    """A JSON text written beforehand, for a JSON column: a writer of thousands of alike values (an
    import's audit entries) writes their shared parts once, not json.dumps of each whole value."""


def json_values():
    """A function making what `insert` writes into a JSON column of a value: it encoded, or a
    JsonText as it is. Asked once for many rows: which database is behind the connection takes
    longer to find than a value to wrap."""
    if connection.vendor == "postgresql":
        return lambda value: Jsonb(value, dumps=str if isinstance(value, JsonText) else json.dumps)
    return lambda value: value if isinstance(value, JsonText) else json.dumps(value)


def insert(model, columns: list[str], rows) -> int:
    """Plain inserts of new rows: COPY straight into the table on PostgreSQL, executemany on SQLite."""
    table = connection.ops.quote_name(model._meta.db_table)
    fields = [model._meta.get_field(c) for c in columns]
    column_list = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [f.db_type(connection).split("(")[0] for f in fields]
            count = copy_rows(cursor, f"{table} ({column_list})", types, rows)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            rows = iter(rows)
            # A chunk at a time: the rows may be a stream of millions.
            while chunk := list(islice(rows, SQLITE_CHUNK)):
                cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", chunk)
                count += len(chunk)
    return count


def copy_rows(cursor, target: str, types: list[str], rows) -> int:
    """COPY rows into `target` in PostgreSQL's binary format: with the column types given, psycopg
    writes each row in C, about 4× faster than the text format (measured in bench/). A thread
    sends the data, so that Python prepares rows while the network and the server take the last."""
    count = 0
    statement = f"COPY {target} FROM STDIN (FORMAT BINARY)"
    with cursor.cursor.copy(statement, writer=QueuedLibpqWriter(cursor.cursor)) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def update_where_unchanged(model, *, seen: list[str], columns: list[str], rows, now) -> int:
    """Set `columns` on the rows of `model` whose `seen` fields still hold the values the caller read,
    moving their `updated_at` to `now` and their `version` on; the number updated (fewer than given:
    someone else's change landed first, and the caller refuses the whole as stale). Rows are (pk,
    *seen values, *new values), fields named as on the model. PostgreSQL: the rows are copied into a
    temporary table and applied by one UPDATE joined to it; SQLite: one UPDATE per row."""
    meta, quote = model._meta, connection.ops.quote_name
    table = quote(meta.db_table)
    seen_fields = [meta.get_field(name) for name in seen]
    new_fields = [meta.get_field(name) for name in columns]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            staged = f"{meta.db_table}_update"
            staged_columns = [
                ("id", meta.pk.rel_db_type(connection)),
                *((f"seen_{f.column}", f.db_type(connection)) for f in seen_fields),
                *((f.column, f.db_type(connection)) for f in new_fields),
            ]
            cursor.execute(f"DROP TABLE IF EXISTS {staged}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staged} ({', '.join(f'{quote(c)} {t}' for c, t in staged_columns)}) "
                "ON COMMIT DROP"
            )
            copy_rows(cursor, staged, [t.split("(")[0] for _c, t in staged_columns], rows)
            assignments = ", ".join(f"{quote(f.column)} = u.{quote(f.column)}" for f in new_fields)
            unchanged = " AND ".join(f"t.{quote(f.column)} = u.{quote('seen_' + f.column)}" for f in seen_fields)
            cursor.execute(
                f"UPDATE {table} t SET {assignments}, updated_at = %s, version = t.version + 1 FROM {staged} u "
                f"WHERE t.id = u.id AND {unchanged}",
                [now],
            )
            return cursor.rowcount
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in new_fields)
        unchanged = " AND ".join(f"{quote(f.column)} = %s" for f in seen_fields)
        cut = 1 + len(seen_fields)
        cursor.executemany(
            f"UPDATE {table} SET {assignments}, updated_at = %s, version = version + 1 WHERE id = %s AND {unchanged}",
            [(*row[cut:], now, *row[:cut]) for row in rows],
        )
        return cursor.rowcount


def text_in(column: str, values) -> tuple[str, list]:
    """SQL and parameters for "this text column is one of values". PostgreSQL gets the values as
    one JSON text: psycopg parses a query of thousands of placeholders, or dumps a list as an
    array, element by element in Python, and imports ask about thousands of values per batch."""
    values = list(values)
    if not values:
        return "1 = 0", []
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY(SELECT json_array_elements_text(%s::json)))", [json.dumps(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def int_in(column: str, values) -> tuple[str, list]:
    """SQL and parameters for "this integer column is one of values" (see `text_in`)."""
    values = [int(value) for value in values]
    if not values:
        return "1 = 0", []
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def holding(*, parent, child, column: str, ids, batch: int = SQLITE_CHUNK) -> set[int]:
    """Which of the `parent` rows with these ids at least one `child` row refers to by `column` (the
    villages holding any household): an import asks before looking for its rows among the existing
    ones, as a first import fills empty villages. One index probe per id."""
    ids = sorted(ids)
    found = set()
    parents, children = parent._meta.db_table, child._meta.db_table
    for start in range(0, len(ids), batch):
        where, params = int_in("p.id", ids[start : start + batch])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.id FROM {parents} p WHERE {where} AND EXISTS "
                f"(SELECT 1 FROM {children} c WHERE c.{column} = p.id)",
                params,
            )
            found.update(row[0] for row in cursor.fetchall())
    return found


def reserved_ids(model, count: int):
    """Ids for `count` new rows of `model`, taken before they are written, so that what refers to them
    (placements, audit entries) is written without reading them back. Inside the caller's transaction."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence looked up once: pg_get_serial_sequence per id took seconds for 200,000.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)", [sequence, count])
            return cursor.fetchone()[0]
        # SQLite: read and written in one transaction, which another writer cannot slip between (it
        # fails with "database is locked" instead); an AUTOINCREMENT table never gives an id again,
        # even one of a deleted row.
        cursor.execute(
            f"SELECT MAX(n) FROM (SELECT MAX(id) AS n FROM {connection.ops.quote_name(table)} UNION ALL "
            "SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        last = cursor.fetchone()[0] or 0
        return range(last + 1, last + count + 1)

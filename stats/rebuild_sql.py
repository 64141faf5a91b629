"""A year's facts recomputed inside the database: the evaluations grouped by the village or unit
holding them, rolled up level by level with grouped statements, and merged into the fact table by
writing only the rows that differ. Nothing per village passes through Python, which took a national
year (27 million evaluations, some 300,000 facts) from about 28 s to the time of a grouped read.

The same statements run on PostgreSQL and SQLite, but for two that PostgreSQL does its own way (the
village level's join and the merge). The figures follow the rules of
`rebuild.rolled_up` (which `verify` keeps as the reference, computed in Python): a holder's computed
figure is its own records plus its children's values; an entered figure replaces it; a child passes
up only a value or an entered count that is not zero; a figure with nothing own, entered or passed up
has no row.

Work tables are temporary and named `stats_rebuild_*`; holders in them are (unit id, village id) with
0 for the one that is absent, so that keys compare with plain equality (and hash on PostgreSQL).
"""

from django.db import connection

from areas.models import AdministrativeUnit, Level, VillagePlacement, tree_for_year
from core.bulk import copy_rows
from criteria.models import Title
from evaluations.models import Evaluation
from registry.models import AreaYear, Association, AssociationYear

from . import partitions
from .facts import VILLAGE_DEPTH
from .models import AREA_YEAR_FIGURES, ASSOCIATION_COUNT, ASSOCIATION_SUMS, NETWORK, EnteredAggregate, Fact, Measure

OWN, ENTERED, ROWS = "stats_rebuild_own", "stats_rebuild_entered", "stats_rebuild_fact"
HOUSEHOLDS = "stats_rebuild_households"  # the year's household evaluations grouped by village
KEY = "unit_id, village_id, title, measure"
WORK_MEM = "64MB"
MERGE_WORK_MEM = "256MB"  # one backend, for the one merge of a rebuild


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _run(cursor, sql: str, params=()) -> int:
    cursor.execute(sql, list(params))
    return cursor.rowcount


def _create_work_tables(cursor) -> None:
    """The work tables (`_households_grouped` creates the fourth as it fills it)."""
    for name in (OWN, ENTERED, ROWS, HOUSEHOLDS):
        _run(cursor, f"DROP TABLE IF EXISTS {name}")
    holder = (
        "unit_id bigint NOT NULL, village_id bigint NOT NULL, title varchar(12) NOT NULL, measure varchar(32) NOT NULL"
    )
    _run(cursor, f"CREATE TEMPORARY TABLE {OWN} ({holder}, own bigint NOT NULL)")
    _run(cursor, f"CREATE TEMPORARY TABLE {ENTERED} ({holder}, entered bigint NOT NULL)")
    _run(
        cursor,
        f"CREATE TEMPORARY TABLE {ROWS} ({holder}, parent_id bigint NOT NULL, "
        "parent_depth integer NOT NULL, own bigint NOT NULL, computed bigint NOT NULL, entered bigint, "
        "value bigint NOT NULL, entered_count bigint NOT NULL)",
    )


def _drop_work_tables(cursor) -> None:
    for name in (OWN, ENTERED, ROWS, HOUSEHOLDS):
        _run(cursor, f"DROP TABLE {name}")


def _write_own(cursor, own: dict) -> None:
    """Figures computed in Python (`rebuild.python_own`: thousands, not millions) into the own rows."""
    rows = [(k.unit_id or 0, k.village_id or 0, str(k.title), str(k.measure), v) for k, v in own.items()]
    if not rows:
        return
    if connection.vendor == "postgresql":
        copy_rows(cursor, f"{OWN} ({KEY}, own)", ["int8", "int8", "varchar", "varchar", "int8"], rows)
    else:
        cursor.executemany(f"INSERT INTO {OWN} ({KEY}, own) VALUES (%s, %s, %s, %s, %s)", rows)


def _network_and_structure_own(cursor, year: int) -> None:
    """The network's figures (associations counted by level, their yearly figures summed per area) and
    the structure's (villages under each commune of the year's tree, and each commune once), grouped
    as `rebuild.network_own` and `rebuild.structural_own` do in Python, which `verify` keeps as the
    reference. A key may come twice (an area with associations of two levels): the unit levels of
    `_roll_up` group their own rows. In Python, making and writing these 90,000 keys of a national
    year took 0.35 s."""
    reports, associations = _table(AssociationYear), _table(Association)
    units, placements = _table(AdministrativeUnit), _table(VillagePlacement)
    columns = {measure: AssociationYear._meta.get_field(measure).column for measure in ASSOCIATION_SUMS}
    # The year's reports are read once: PostgreSQL materialises a WITH query that several parts read.
    reported = (
        f"SELECT a.area_id, a.level, {', '.join(f'y.{column}' for column in columns.values())} "
        f"FROM {reports} y JOIN {associations} a ON a.id = y.association_id WHERE y.year = %s"
    )
    levels = " ".join("WHEN %s THEN %s" for _level in ASSOCIATION_COUNT)
    parts = [f"SELECT area_id, 0, %s, CASE level {levels} END, COUNT(*) FROM reported GROUP BY area_id, level"]
    params = [year, NETWORK, *(str(v) for pair in ASSOCIATION_COUNT.items() for v in pair)]
    for measure, column in columns.items():
        parts.append(f"SELECT area_id, 0, %s, %s, SUM({column}) FROM reported GROUP BY area_id")
        params += [NETWORK, str(measure)]
    tree = str(tree_for_year(year))
    parts.append(
        f"SELECT p.commune_id, 0, %s, %s, COUNT(*) FROM {placements} p JOIN {units} c ON c.id = p.commune_id "
        "WHERE c.tree = %s AND p.from_year <= %s AND (p.to_year IS NULL OR p.to_year >= %s) GROUP BY p.commune_id"
    )
    parts.append(f"SELECT id, 0, %s, %s, 1 FROM {units} WHERE tree = %s AND level = %s")
    params += [str(Title.VILLAGE), str(Measure.BASE), tree, year, year]
    params += [str(Title.COMMUNE), str(Measure.BASE), tree, int(Level.COMMUNE)]
    _run(cursor, f"WITH reported AS ({reported}) INSERT INTO {OWN} ({KEY}, own) {' UNION ALL '.join(parts)}", params)


def _entered(cursor, year: int) -> None:
    """The year's entered figures into their work table, as `rebuild.entered_values` reads them: each
    entered aggregate (a total of recognitions names the recognitions granted too), and the fields of
    the area years that no aggregate of the same figure replaces. Each key once."""
    aggregates, area_years = _table(EnteredAggregate), _table(AreaYear)
    granted, recognised = str(Measure.GRANTED), str(Measure.RECOGNISED)
    holder = "COALESCE(g.unit_id, 0), COALESCE(g.village_id, 0)"
    parts = [
        f"SELECT {holder}, g.title, g.measure, g.value FROM totals g WHERE NOT (g.measure = %s AND EXISTS ("
        "SELECT 1 FROM totals r WHERE r.title = g.title AND r.measure = %s "
        "AND COALESCE(r.unit_id, 0) = COALESCE(g.unit_id, 0) "
        "AND COALESCE(r.village_id, 0) = COALESCE(g.village_id, 0)))",
        f"SELECT {holder}, g.title, %s, g.value FROM totals g WHERE g.measure = %s",
    ]
    params = [year, year, granted, recognised, granted, recognised]
    for field, (title, measure) in AREA_YEAR_FIGURES.items():
        column = AreaYear._meta.get_field(field).column
        parts.append(
            f"SELECT a.area_id, 0, %s, %s, a.{column} FROM fields a WHERE a.{column} IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM totals g WHERE g.unit_id = a.area_id AND g.title = %s AND g.measure = %s)"
        )
        params += [str(title), str(measure), str(title), str(measure)]
    # The year's area years and totals are read once each, as the reports above.
    _run(
        cursor,
        f"WITH fields AS (SELECT * FROM {area_years} WHERE year = %s), "
        f"totals AS (SELECT unit_id, village_id, title, measure, value FROM {aggregates} WHERE year = %s) "
        f"INSERT INTO {ENTERED} ({KEY}, entered) {' UNION ALL '.join(parts)}",
        params,
    )


def _households_grouped(cursor, year: int) -> None:
    """Registered and recognised per village from the year's household evaluations, grouped into a
    work table by one CREATE TABLE … AS: PostgreSQL shares its read among parallel workers, as for a
    plain SELECT (never for INSERT … SELECT), and nothing passes through Python, where fetching a
    national year's 100,000 villages, making their 300,000 keys and copying them back took 0.22 s.
    `_households_keys` makes each village's three keys."""
    _run(
        cursor,
        f"CREATE TEMPORARY TABLE {HOUSEHOLDS} AS SELECT household_village_id AS village_id, COUNT(*) AS registered, "
        "SUM(CASE WHEN recognised THEN 1 ELSE 0 END) AS recognised "
        f"FROM {_table(Evaluation)} WHERE year = %s AND title = %s GROUP BY household_village_id",
        [year, str(Title.HOUSEHOLD)],
    )


def _literal(value: str) -> str:
    """A title or measure (a constant of the code, never a user's text) as an SQL string."""
    return "'" + str(value).replace("'", "''") + "'"


def _households_keys() -> str:
    """Each village's three household keys from its grouped row: registered, recognised, and granted
    (lượt), which equals recognised here; what a set that counts each valid year adds to recognised
    comes from the own rows (`_village_keys`). Read three times: 0.03 s for a national year, where
    joining each row with the three measures took 0.05 s."""
    registered, recognised, granted = (_literal(m) for m in (Measure.REGISTERED, Measure.RECOGNISED, Measure.GRANTED))
    return " UNION ALL ".join(
        f"SELECT village_id, {measure} AS measure, {column} AS own FROM {HOUSEHOLDS}"
        for measure, column in ((registered, "registered"), (recognised, "recognised"), (granted, "recognised"))
    )


def _grouped(level_rows: str, children: str) -> str:
    """One level's keys: own rows, entered rows and children's rows summed per key, keeping a key
    only when it holds something (as `rolled_up`: own not zero, entered, or passed up by a child)."""
    return (
        f"SELECT {KEY}, SUM(own) AS own, SUM(from_children) AS from_children, SUM(child_count) AS child_count, "
        f"MAX(entered) AS entered, MAX(is_entered) AS is_entered FROM ("
        f"{level_rows} UNION ALL {children}) parts GROUP BY {KEY} "
        "HAVING SUM(own) <> 0 OR MAX(is_entered) = 1 OR SUM(is_child) > 0"
    )


def _level_parts(holder: str, join: str) -> str:
    """The own and entered rows of the holders a level holds (`holder` is the key column to test,
    `join` limits it to that level)."""
    return (
        f"SELECT o.unit_id, o.village_id, o.title, o.measure, o.own, 0 AS from_children, 0 AS child_count, "
        f"NULL AS entered, 0 AS is_entered, 0 AS is_child FROM {OWN} o {join.format(alias='o')} WHERE o.{holder} <> 0 "
        f"UNION ALL SELECT e.unit_id, e.village_id, e.title, e.measure, 0, 0, 0, e.entered, 1, 0 "
        f"FROM {ENTERED} e {join.format(alias='e')} WHERE e.{holder} <> 0"
    )


def _village_keys(carried: bool) -> str:
    """The village level's keys (villages have no children). On PostgreSQL each key is made once on
    each side, the own and the entered, and the two sides are joined, which took 0.36 s for a
    national year's 300,000 villages' keys where grouping them took 0.78 s: the households' keys
    come from their grouped evaluations, joined, when the own rows hold any (`carried`), with what
    those add to them (recognitions an earlier year still covers); the own rows of other titles
    follow; entered keys are each held once (`_entered`). SQLite before 3.39 has no FULL JOIN: it
    groups them, as the other levels are grouped."""
    household = _literal(Title.HOUSEHOLD)
    if connection.vendor != "postgresql":
        households = (
            f"SELECT 0, h.village_id, {household}, h.measure, h.own, 0, 0, NULL, 0, 0 FROM ({_households_keys()}) h"
        )
        nothing = "SELECT 0, 0, '', '', 0, 0, 0, NULL, 0, 0 FROM (SELECT 1 AS one) none WHERE 1 = 0"
        return _grouped(f"{_level_parts('village_id', '')} UNION ALL {households}", nothing)
    households = f"SELECT 0 AS unit_id, village_id, {household} AS title, measure, own FROM ({_households_keys()}) h"
    if carried:
        households = (
            f"SELECT 0 AS unit_id, COALESCE(h.village_id, c.village_id) AS village_id, {household} AS title, "
            "COALESCE(h.measure, c.measure) AS measure, COALESCE(h.own, 0) + COALESCE(c.own, 0) AS own "
            f"FROM ({_households_keys()}) h FULL JOIN (SELECT village_id, measure, own FROM {OWN} "
            f"WHERE village_id <> 0 AND title = {household}) c ON c.village_id = h.village_id AND c.measure = h.measure"
        )
    own = (
        f"{households} UNION ALL SELECT unit_id, village_id, title, measure, own FROM {OWN} "
        f"WHERE village_id <> 0 AND title <> {household}"
    )
    return (
        "SELECT COALESCE(o.unit_id, e.unit_id) AS unit_id, COALESCE(o.village_id, e.village_id) AS village_id, "
        "COALESCE(o.title, e.title) AS title, COALESCE(o.measure, e.measure) AS measure, "
        "COALESCE(o.own, 0) AS own, 0 AS from_children, 0 AS child_count, e.entered, "
        "CASE WHEN e.title IS NULL THEN 0 ELSE 1 END AS is_entered "
        f"FROM (SELECT * FROM ({own}) own WHERE own <> 0) o "
        f"FULL JOIN (SELECT * FROM {ENTERED} WHERE village_id <> 0) e "
        "ON o.unit_id = e.unit_id AND o.village_id = e.village_id AND o.title = e.title AND o.measure = e.measure"
    )


def _roll_up(cursor, year: int, *, carried: bool) -> int:
    """The work rows of every holder, villages first and then each level of units up; returns how
    many there are (the rows the year's facts will have). `carried`: the own rows add to the
    households' keys of villages."""
    units, placements = _table(AdministrativeUnit), _table(VillagePlacement)
    row_columns = f"INSERT INTO {ROWS} ({KEY}, parent_id, parent_depth, own, computed, entered, value, entered_count) "
    figures = (
        "k.own, k.own + k.from_children, k.entered, COALESCE(k.entered, k.own + k.from_children), "
        "k.child_count + k.is_entered"
    )
    # Villages, under the commune that holds each of them in `year` (the units' tree of that year).
    commune = (
        f"SELECT village_id, MAX(commune_id) AS commune_id FROM {placements} "
        "WHERE from_year <= %s AND (to_year IS NULL OR to_year >= %s) GROUP BY village_id"
    )
    rows = _run(
        cursor,
        f"{row_columns} SELECT k.unit_id, k.village_id, k.title, k.measure, "
        f"COALESCE(p.commune_id, 0), COALESCE(c.level, 0), {figures} "
        f"FROM ({_village_keys(carried)}) k "
        f"LEFT JOIN ({commune}) p ON p.village_id = k.village_id LEFT JOIN {units} c ON c.id = p.commune_id",
        [year, year],
    )
    if connection.vendor == "postgresql":
        _run(cursor, f"ANALYZE {ROWS} (parent_depth)")
    for level in range(VILLAGE_DEPTH - 1, 0, -1):
        join = f"JOIN {units} u ON u.id = {{alias}}.unit_id AND u.level = {level}"
        children = (
            f"SELECT parent_id, 0, title, measure, 0, value, entered_count, NULL, 0, 1 FROM {ROWS} "
            f"WHERE parent_depth = {level} AND (value <> 0 OR entered_count <> 0)"
        )
        rows += _run(
            cursor,
            f"{row_columns} SELECT k.unit_id, k.village_id, k.title, k.measure, "
            f"COALESCE(u.parent_id, 0), COALESCE(p.level, 0), {figures} "
            f"FROM ({_grouped(_level_parts('unit_id', join), children)}) k "
            f"JOIN {units} u ON u.id = k.unit_id LEFT JOIN {units} p ON p.id = u.parent_id",
        )
    return rows


FIGURES = ("own", "computed", "entered", "value", "entered_count")
MATCH = (
    "COALESCE(f.unit_id, 0) = r.unit_id AND COALESCE(f.village_id, 0) = r.village_id "
    "AND f.title = r.title AND f.measure = r.measure"
)


def _merge(cursor, year: int) -> int:
    """The year's fact rows made equal to the work rows: changed ones updated, missing ones inserted,
    the others deleted. A rebuild that finds the figures right writes nothing."""
    if connection.vendor == "postgresql":
        return _merge_in_one_pass(cursor, year)
    facts = _table(Fact)
    changed = " OR ".join(f"f.{name} IS NOT r.{name}" for name in FIGURES)
    updated = _run(
        cursor,
        f"UPDATE {facts} AS f SET {', '.join(f'{name} = r.{name}' for name in FIGURES)} "
        f"FROM {ROWS} r WHERE f.year = %s AND {MATCH} AND ({changed})",
        [year],
    )
    deleted = _run(
        cursor,
        f"DELETE FROM {facts} AS f WHERE f.year = %s AND NOT EXISTS (SELECT 1 FROM {ROWS} r WHERE f.year = %s "
        f"AND {MATCH})",
        [year, year],
    )
    inserted = 0
    for holder in ("unit_id", "village_id"):
        # One kind of holder at a time, matched on the fact's own column so that its unique index
        # finds the fact: through COALESCE, SQLite read the year's facts for every work row (two
        # minutes a year on the demo).
        inserted += _run(
            cursor,
            f"INSERT INTO {facts} (unit_id, village_id, year, title, measure, {', '.join(FIGURES)}) "
            f"SELECT NULLIF(r.unit_id, 0), NULLIF(r.village_id, 0), %s, r.title, r.measure, "
            f"{', '.join(f'r.{name}' for name in FIGURES)} FROM {ROWS} r "
            f"WHERE r.{holder} <> 0 AND NOT EXISTS (SELECT 1 FROM {facts} f WHERE f.{holder} = r.{holder} "
            "AND f.year = %s AND f.title = r.title AND f.measure = r.measure)",
            [year, year],
        )
    return updated + deleted + inserted


def _merge_in_one_pass(cursor, year: int) -> int:
    """PostgreSQL: the year's facts and the work rows read once, in one hash join that finds every
    difference; the updates, deletions and insertions are then written from it by id. Three passes
    (one per kind of change) took 0.24 s of a 0.56 s rebuild on the 1% dataset."""
    facts = _table(Fact)
    columns, values = ", ".join(FIGURES), ", ".join(f"r.{name}" for name in FIGURES)
    # A year built for the first time (or whose facts were deleted) has nothing to compare with: every
    # work row is new, and the year's partition is written whole.
    if not partitions.has_facts(cursor, year) and (written := _write_year_apart(cursor, year)) is not None:
        return written
    _run(cursor, f"ANALYZE {ROWS} (unit_id, village_id)")  # temporary tables have no statistics until analysed
    changed = " OR ".join(f"f.{name} IS DISTINCT FROM r.{name}" for name in FIGURES)
    # On the national dataset (450,000 rows a side) the planner chose a merge join of two sorts, one
    # spilling to disk (and compiled it: see `rebuild_facts`); a hash join in memory (merge joins are
    # off since the roll-up) took 1.0 s instead of 2.1 s. `rebuild_facts` puts the settings back.
    _run(cursor, f"SET LOCAL work_mem = '{MERGE_WORK_MEM}'")
    cursor.execute(
        f"WITH diff AS (SELECT f.id AS fact_id, r.title IS NULL AS gone, r.unit_id, r.village_id, r.title, "
        f"r.measure, {values} "
        f"FROM (SELECT * FROM {facts} WHERE year = %s) f FULL JOIN {ROWS} r ON {MATCH} "
        f"WHERE f.id IS NULL OR r.title IS NULL OR {changed}), "
        f"updated AS (UPDATE {facts} AS f SET {', '.join(f'{name} = d.{name}' for name in FIGURES)} "
        "FROM diff d WHERE f.id = d.fact_id AND NOT d.gone RETURNING 1), "
        f"deleted AS (DELETE FROM {facts} AS f USING diff d WHERE f.id = d.fact_id AND d.gone RETURNING 1), "
        f"inserted AS (INSERT INTO {facts} (unit_id, village_id, year, title, measure, {columns}) "
        f"SELECT NULLIF(d.unit_id, 0), NULLIF(d.village_id, 0), %s, d.title, d.measure, "
        f"{', '.join(f'd.{name}' for name in FIGURES)} FROM diff d WHERE d.fact_id IS NULL RETURNING 1) "
        "SELECT (SELECT COUNT(*) FROM updated) + (SELECT COUNT(*) FROM deleted) + (SELECT COUNT(*) FROM inserted)",
        [year, year],
    )
    return cursor.fetchone()[0]


def _write_year_apart(cursor, year: int) -> int | None:
    """PostgreSQL, a year without facts: its rows written into a table of their own that then becomes
    the year's partition of the fact table (`stats.partitions`), replacing an empty one. Attaching
    builds the table's indexes once and checks each foreign key with one query; inserted into the fact
    table, the rows of a national year updated indexes of every year and had their holders checked one
    by one at commit (4.2–4.6 s of the 9.9 s the rebuild took). Returns the rows written, or None
    when the year's partition holds facts after all (written since the caller looked): it is then
    left to the merge. Replacing a partition locks the fact table against readers until the
    rebuild's transaction ends (`partitions.drop_if_empty`; writing the rows, attaching them and a
    commit: about 1.3 s for a national year)."""
    if partitions.has_partition(cursor, year) and not partitions.drop_if_empty(cursor, year):
        return None
    partition = partitions.create_detached(cursor, year)
    written = _run(
        cursor,
        f"INSERT INTO {partition} (unit_id, village_id, year, title, measure, {', '.join(FIGURES)}) "
        f"SELECT NULLIF(r.unit_id, 0), NULLIF(r.village_id, 0), {int(year)}, r.title, r.measure, "
        f"{', '.join(f'r.{name}' for name in FIGURES)} FROM {ROWS} r",
    )
    partitions.attach(cursor, year)
    return written


def rebuild_facts(year: int, python_own: dict) -> tuple[int, int]:
    """Recompute `year`'s facts in the database; `python_own` holds what is computed in Python
    (`rebuild.python_own`: other titles, carried recognitions, the learning citizens' base). Returns
    (rows the year has, rows written). Runs in the caller's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            found = _planner_settings(cursor)
            # The grouped read and the joins of some 300,000 rows stay in memory (4 MB by default).
            _run(cursor, f"SET LOCAL work_mem = '{WORK_MEM}'")
        _create_work_tables(cursor)
        _write_own(cursor, python_own)
        _network_and_structure_own(cursor, year)
        _entered(cursor, year)
        _households_grouped(cursor, year)
        if connection.vendor == "postgresql":
            # Compiling (JIT) pays for itself in the grouped read of 27 million evaluations (2.6 s
            # with it, 3.4 s without), not in the statements after it, each run once on a few hundred
            # thousand rows: the national roll-up took 1.48 s with it and 1.33 s without (4 runs
            # each, no overlap), and the merge compiled for 0.3–0.4 s.
            _run(cursor, "SET LOCAL jit = off")
            # Work tables are joined by hashing: the planner, without statistics of the own rows,
            # sorted the village level's 300,000 keys for a merge join.
            _run(cursor, "SET LOCAL enable_mergejoin = off")
        carried = any(key.village_id and key.title == Title.HOUSEHOLD for key in python_own)
        total = _roll_up(cursor, year, carried=carried)
        if connection.vendor != "postgresql":  # SQLite looks rows up by key: an index, not a hash
            _run(cursor, f"CREATE INDEX stats_rebuild_fact_key ON {ROWS} ({KEY})")
        written = _merge(cursor, year)
        _drop_work_tables(cursor)
        if connection.vendor == "postgresql":
            _put_back(cursor, found)
    return total, written


PLANNER_SETTINGS = ("work_mem", "jit", "enable_mergejoin")


def _planner_settings(cursor) -> list[str]:
    """The settings the rebuild changes, as the caller's transaction has them."""
    cursor.execute(f"SELECT {', '.join(['current_setting(%s)'] * len(PLANNER_SETTINGS))}", PLANNER_SETTINGS)
    return list(cursor.fetchone())


def _put_back(cursor, found: list[str]) -> None:
    """What the caller's transaction runs after the rebuild plans as it did before."""
    pairs = [value for pair in zip(PLANNER_SETTINGS, found, strict=True) for value in pair]
    cursor.execute(f"SELECT {', '.join(['set_config(%s, %s, true)'] * len(PLANNER_SETTINGS))}", pairs)

"""Keeping facts current: a change to records moves its holder's figure and every ancestor's, in
the transaction that made the change.

The callers are the services that change records (registration, decisions, the network's yearly
figures, villages' placements, entered aggregates). They describe what changed as deltas on the
records held somewhere (`record_changes`) or as a new entered figure (`set_entered`); this module
walks up the tree. An entered figure at an ancestor stops the walk: it replaces its children's sum.

Rows are locked level by level, villages first, each level in key order, so two transactions
touching the same ancestors always lock in the same order and cannot deadlock.
"""

import json
from collections import defaultdict
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from areas.models import AdministrativeUnit, VillagePlacement, tree_for_year
from core.bulk import int_in
from criteria.models import Title

from . import partitions
from .models import EnteredAggregate, Fact, Measure, OpenedYear

# A holder is (unit id, None) or (None, village id); a key adds (year, title, measure).
VILLAGE_DEPTH = 4


class Key(NamedTuple):
    """A figure's holder, year, title and measure. A named tuple, not a dataclass: a national rebuild
    makes and hashes hundreds of thousands of keys; a tuple is hashed in C and made faster."""

    unit_id: int | None
    village_id: int | None
    year: int
    title: str
    measure: str

    @classmethod
    def at_unit(cls, unit_id: int, year: int, title: str, measure: str) -> "Key":
        return cls(unit_id, None, year, title, measure)

    @classmethod
    def at_village(cls, village_id: int, year: int, title: str, measure: str) -> "Key":
        return cls(None, village_id, year, title, measure)

    def moved_to(self, *, unit_id: int) -> "Key":
        return Key(unit_id, None, self.year, self.title, self.measure)


_PLACEMENTS = connection.ops.quote_name(VillagePlacement._meta.db_table)
LOOKUP_BATCH = 5000  # villages asked about per query (SQLite allows 32,766 parameters)


class _Tree:
    """Parents and depths of the units and villages a change touches, read once per change."""

    def __init__(self):
        self.units: dict[int, tuple[int, int | None]] = {}
        self.village_commune: dict[tuple[int, int], int | None] = {}

    def load_units(self, ids) -> None:
        missing = {i for i in ids if i not in self.units}
        while missing:
            rows = AdministrativeUnit.objects.filter(pk__in=missing).values_list("pk", "level", "parent_id")
            for pk, level, parent_id in rows:
                self.units[pk] = (level, parent_id)
            missing = {parent for _level, parent in self.units.values() if parent and parent not in self.units}

    def load_villages(self, pairs) -> None:
        """The commune holding each (village, year): the villages' placements read once for every year
        (a query a year, each naming thousands of villages, took 0.3 s of an import of 100,000 persons)."""
        missing = {p for p in pairs if p not in self.village_commune}
        if not missing:
            return
        spans = defaultdict(list)
        village_ids = sorted({village_id for village_id, _year in missing})
        for start in range(0, len(village_ids), LOOKUP_BATCH):
            where, params = int_in("village_id", village_ids[start : start + LOOKUP_BATCH])
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT village_id, commune_id, from_year, to_year FROM {_PLACEMENTS} WHERE {where}", params
                )
                for village_id, commune_id, from_year, to_year in cursor.fetchall():
                    spans[village_id].append((commune_id, from_year, to_year))
        for village_id, year in missing:
            # The highest commune id where two spans cover a year, as the rebuild takes (rebuild_sql).
            covering = [
                commune_id
                for commune_id, from_year, to_year in spans.get(village_id, ())
                if from_year <= year and (to_year is None or year <= to_year)
            ]
            self.village_commune[(village_id, year)] = max(covering, default=None)
        self.load_units({c for c in self.village_commune.values() if c})

    def depth(self, key: Key) -> int:
        return VILLAGE_DEPTH if key.village_id else self.units[key.unit_id][0]

    def parent(self, key: Key) -> Key | None:
        if key.village_id:
            commune_id = self.village_commune.get((key.village_id, key.year))
            return key.moved_to(unit_id=commune_id) if commune_id else None
        parent_id = self.units[key.unit_id][1]
        return key.moved_to(unit_id=parent_id) if parent_id else None


def record_changes(deltas: dict[Key, int]) -> None:
    """Records held at these keys' holders changed by these amounts (their `own` figures)."""
    _apply(own={k: d for k, d in deltas.items() if d}, entered={})


def set_entered(values: dict[Key, int | None]) -> None:
    """Entered aggregates typed in (a number) or removed (None) at these keys."""
    _apply(own={}, entered=values)


def _apply(*, own: dict[Key, int], entered: dict[Key, int | None], children=None, children_entered=None) -> None:
    """`children` and `children_entered`: changes to the sum of some holders' children and to the
    entered totals below them (a village moved between communes)."""
    from_children: dict[Key, int] = defaultdict(int, {k: d for k, d in (children or {}).items() if d})
    entered_below: dict[Key, int] = defaultdict(int, {k: d for k, d in (children_entered or {}).items() if d})
    touched = [*own, *entered, *from_children, *entered_below]
    if not touched:
        return
    for year in {k.year for k in touched}:
        open_year(year)
    tree = _Tree()
    tree.load_units({k.unit_id for k in touched if k.unit_id})
    tree.load_villages({(k.village_id, k.year) for k in touched if k.village_id})
    for depth in range(VILLAGE_DEPTH, 0, -1):
        keys = sorted(
            {k for k in [*own, *entered, *from_children, *entered_below] if tree.depth(k) == depth},
            key=lambda k: (k.unit_id or 0, k.village_id or 0, k.year, k.title, k.measure),
        )
        if not keys:
            continue
        rows = _locked_rows(keys)
        for key in keys:
            row = rows[key]
            before, was_entered = row.value, row.entered is not None
            row.own += own.get(key, 0)
            row.computed += own.get(key, 0) + from_children.get(key, 0)
            if key in entered:
                row.entered = entered[key]
            row.value = row.computed if row.entered is None else row.entered
            count_change = entered_below.get(key, 0) + (row.entered is not None) - was_entered
            row.entered_count += count_change
            change = row.value - before
            parent = tree.parent(key) if change or count_change else None
            if parent is not None:
                from_children[parent] += change
                entered_below[parent] += count_change
        _write(rows.values())


FACT_COLUMNS = ["own", "computed", "entered", "value", "entered_count"]


def _write(rows) -> None:
    """The rows' figures written back by id. PostgreSQL: one statement for all of them, the figures sent
    as arrays (3,321 statements, one a commune, took 0.3 s of a national import of villages); SQLite:
    one statement run for every row (bulk_update's CASE expressions took seconds for thousands)."""
    rows = list(rows)
    if not rows:
        return
    table = connection.ops.quote_name(Fact._meta.db_table)
    columns = [Fact._meta.get_field(name).column for name in FACT_COLUMNS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Joined on the id: the planner sizes the table by its pages, so even without statistics
            # it probes the index rather than reading every fact; the years named let it probe only
            # their partitions (stats/migrations/0014). The rows go as one JSON text: as arrays,
            # psycopg quoted each element in Python (0.1 s for 10,000 facts).
            fields = ", ".join(f"(e->>{n + 1})::bigint AS {column}" for n, column in enumerate(columns))
            cursor.execute(
                f"UPDATE {table} AS f SET {', '.join(f'{column} = v.{column}' for column in columns)} "
                f"FROM (SELECT (e->>0)::bigint AS id, {fields} FROM json_array_elements(%s::json) e) AS v "
                "WHERE f.id = v.id AND f.year = ANY(%s)",
                [
                    json.dumps([[row.pk, *(getattr(row, name) for name in FACT_COLUMNS)] for row in rows]),
                    sorted({row.year for row in rows}),
                ],
            )
            return
        assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE id = %s",
            [(*(getattr(row, name) for name in FACT_COLUMNS), row.pk) for row in rows],
        )


def _locked_rows(keys: list[Key]) -> dict[Key, Fact]:
    """The fact rows of `keys`, created where missing, locked until the transaction ends."""
    if connection.vendor == "postgresql":
        return _locked_rows_in_one_pass(keys)
    Fact.objects.bulk_create(
        [Fact(unit_id=k.unit_id, village_id=k.village_id, year=k.year, title=k.title, measure=k.measure) for k in keys],
        ignore_conflicts=True,
    )
    wanted = Q()
    for holder_field, ids in (
        ("unit_id", {k.unit_id for k in keys if k.unit_id}),
        ("village_id", {k.village_id for k in keys if k.village_id}),
    ):
        if ids:
            wanted |= Q(**{f"{holder_field}__in": ids})
    rows = Fact.objects.select_for_update().filter(
        wanted,
        year__in={k.year for k in keys},
        title__in={k.title for k in keys},
        measure__in={k.measure for k in keys},
    )
    found = {Key(r.unit_id, r.village_id, r.year, r.title, r.measure): r for r in rows}
    return {k: found[k] for k in keys}


_FACT_FIELDS = [field.attname for field in Fact._meta.concrete_fields]


def _locked_rows_in_one_pass(keys: list[Key]) -> dict[Key, Fact]:
    """PostgreSQL: the keys sent as one JSON text, one statement per kind of holder to add the missing rows
    and one to lock and read them all, in the order of their keys as every transaction here locks
    them (so two cannot deadlock). An insert of thousands of keys as 5 parameters each and an
    IN list per column took a quarter of a second for the communes of a national import."""
    table = connection.ops.quote_name(Fact._meta.db_table)
    found = {}
    with connection.cursor() as cursor:
        for holder in ("unit_id", "village_id"):
            held = [k for k in keys if getattr(k, holder)]
            if not held:
                continue
            # The keys as one JSON text of rows: as four arrays, psycopg quoted each element in Python.
            given = (
                f"(SELECT (e->>0)::bigint AS {holder}, (e->>1)::int AS year, e->>2 AS title, e->>3 AS measure "
                "FROM json_array_elements(%s::json) e) AS k"
            )
            keys_json = [json.dumps([[getattr(k, holder), k.year, k.title, k.measure] for k in held])]
            cursor.execute(
                f"INSERT INTO {table} ({holder}, year, title, measure, own, computed, value, entered_count) "
                f"SELECT k.{holder}, k.year, k.title, k.measure, 0, 0, 0, 0 FROM {given} ON CONFLICT DO NOTHING",
                keys_json,
            )
            # The years named as well, so that the planner reads only their partitions of the fact table
            # (stats/migrations/0014): through the keys alone it looked in every year's.
            cursor.execute(
                f"SELECT {', '.join(f'f.{name}' for name in _FACT_FIELDS)} FROM {table} f JOIN {given} "
                f"ON f.{holder} = k.{holder} AND f.year = k.year AND f.title = k.title AND f.measure = k.measure "
                f"WHERE f.year = ANY(%s) ORDER BY f.{holder}, f.year, f.title, f.measure FOR UPDATE OF f",
                [*keys_json, sorted({k.year for k in held})],
            )
            for values in cursor.fetchall():
                fact = Fact.from_db(connection.alias, _FACT_FIELDS, values)
                found[Key(fact.unit_id, fact.village_id, fact.year, fact.title, fact.measure)] = fact
    return {k: found[k] for k in keys}


# Structural figures: how many villages and communes there are, counted from the trees -------------


def open_year(year: int) -> None:
    """Count the villages and communes of `year` the first time anything is recorded for it."""
    if OpenedYear.objects.filter(year=year).exists():
        return
    try:
        with transaction.atomic():
            OpenedYear.objects.create(year=year)
    except IntegrityError:
        return  # another transaction opened it first
    from .citizen_base import base_own
    from .rebuild import rolled_up, structural_own, write_facts

    # Every fact write opens its year first, so an unopened year has no rows yet: its partition is
    # added, and its rows inserted in bulk.
    partitions.add_year(year)
    write_facts(rolled_up(year, {**structural_own(year), **base_own(year)}, {}))


def opened_years(first: int, last: int | None) -> list[int]:
    years = OpenedYear.objects.filter(year__gte=first)
    if last is not None:
        years = years.filter(year__lte=last)
    return list(years.values_list("year", flat=True))


def placement_changes(village_id: int, before: list[tuple[int, int, int | None]], after: list[tuple]) -> None:
    """A village's (commune id, from year, to year) spans changed: in each opened year it is
    counted under the commune that holds it then, and its own figures roll up there."""

    def commune_by_year(spans) -> dict[int, int]:
        trees = dict(AdministrativeUnit.objects.filter(pk__in={s[0] for s in spans}).values_list("pk", "tree"))
        return {
            year: commune_id
            for commune_id, from_year, to_year in spans
            for year in opened_years(from_year, to_year)
            if trees[commune_id] == tree_for_year(year)
        }

    old, new = commune_by_year(before), commune_by_year(after)
    changed_years = {y for y in {*old, *new} if old.get(y) != new.get(y)}
    if not changed_years:
        return
    own: dict[Key, int] = defaultdict(int)
    children: dict[Key, int] = defaultdict(int)
    children_entered: dict[Key, int] = defaultdict(int)
    village_facts = Fact.objects.filter(village_id=village_id, year__in=changed_years).exclude(value=0, entered_count=0)
    for year in changed_years:
        for commune_id, sign in ((old.get(year), -1), (new.get(year), 1)):
            if commune_id:
                own[Key.at_unit(commune_id, year, Title.VILLAGE, Measure.BASE)] += sign
    for fact in village_facts:
        for commune_id, sign in ((old.get(fact.year), -1), (new.get(fact.year), 1)):
            if commune_id:
                key = Key.at_unit(commune_id, fact.year, fact.title, fact.measure)
                children[key] += sign * fact.value
                children_entered[key] += sign * fact.entered_count
    _apply(own=own, entered={}, children=children, children_entered=children_entered)
    # Totals entered at the village carry its commune's path that year, for "entered below" lookups.
    paths = dict(AdministrativeUnit.objects.filter(pk__in=set(new.values())).values_list("pk", "path"))
    for year in changed_years:
        if year in new:
            EnteredAggregate.objects.filter(village_id=village_id, year=year).update(path=paths[new[year]])

"""Checking the facts against themselves and against the records, for a year or every year:
- every figure not entered is its own records plus the sum of its children (villages of a commune
  that year, the units below a district or province);
- the stored rows are exactly what a rebuild from the records would write.
Run by `manage.py check_figures` (the demo, a copy of production) and by the tests."""

from collections import defaultdict

from areas.models import VillagePlacement

from .models import Fact
from .patterns import computed_patterns, stored_patterns
from .rebuild import entered_values, records_own, rolled_up, years_with_data

FIELDS = ("unit_id", "village_id", "year", "title", "measure", "own", "computed", "entered", "value", "entered_count")


def _meaningful(rows):
    return {row for row in rows if any(row[5:7]) or row[7] is not None or row[8] or row[9]}


def sum_problems(year: int) -> list[str]:
    facts = list(Fact.objects.filter(year=year).values_list(*FIELDS))
    children = defaultdict(int)
    commune_of = dict(VillagePlacement.objects.covering(year).values_list("village_id", "commune_id"))
    from areas.models import AdministrativeUnit

    parent_of = dict(AdministrativeUnit.objects.exclude(parent=None).values_list("pk", "parent_id"))
    for unit_id, village_id, _year, title, measure, _own, _computed, _entered, value, _count in facts:
        parent = commune_of.get(village_id) if village_id else parent_of.get(unit_id)
        if parent:
            children[(parent, title, measure)] += value
    problems = []
    for unit_id, village_id, _year, title, measure, own, computed, entered, value, _count in facts:
        if village_id:
            continue
        expected = own + children[(unit_id, title, measure)]
        if computed != expected or (entered is None and value != computed):
            problems.append(f"{year} unit {unit_id} {title}/{measure}: {value} ≠ {own} + children {expected - own}")
    return problems


def rebuild_problems(year: int) -> list[str]:
    stored = _meaningful(Fact.objects.filter(year=year).values_list(*FIELDS))
    fresh = _meaningful(
        tuple(getattr(f, name) for name in FIELDS) for f in rolled_up(year, records_own(year), entered_values(year))
    )
    return [f"{year} differs from a rebuild: {row}" for row in sorted(stored ^ fresh, key=str)[:20]]


def pattern_problems() -> list[str]:
    stored, fresh = stored_patterns(), computed_patterns()
    return [
        f"recognition pattern differs from a rebuild: {key}"
        for key in sorted(stored.keys() ^ fresh.keys(), key=str)[:20]
    ] + [
        f"recognition pattern {key}: {stored[key]} ≠ {fresh[key]}"
        for key in stored.keys() & fresh.keys()
        if stored[key] != fresh[key]
    ][:20]


def verify(years=None) -> dict:
    """Problems per year, and under "patterns" those of the recognition patterns."""
    problems = {year: sum_problems(year) + rebuild_problems(year) for year in (years or years_with_data())}
    problems["patterns"] = pattern_problems()
    return problems

"""Recomputing a year's facts from the records, with grouped queries: after a bulk load (the demo,
a national generator) or a correction made outside the services. It must give exactly what the
incremental path keeps (tests compare both).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q, Sum

from areas.models import AdministrativeUnit, Level, VillagePlacement, tree_for_year
from audit.services import audit_record
from core.bulk import insert
from criteria.models import Title
from evaluations.models import Evaluation
from registry.models import AreaYear, AssociationYear

from .citizen_base import base_own
from .facts import VILLAGE_DEPTH, Key
from .models import (
    AREA_YEAR_FIGURES,
    ASSOCIATION_COUNT,
    ASSOCIATION_SUMS,
    NETWORK,
    EnteredAggregate,
    Fact,
    Measure,
    OpenedYear,
)
from .rebuild_sql import rebuild_facts
from .validity import carried_own


def evaluation_holder(evaluation) -> tuple[int | None, int | None]:
    """Where an evaluation is counted: households, persons and villages at their village (so villages
    can be drilled into), the other titles at the unit that owns the evaluation."""
    if evaluation.title == Title.HOUSEHOLD:
        return None, evaluation.household.village_id
    if evaluation.title == Title.CITIZEN:
        return None, evaluation.citizen.village_id
    if evaluation.title == Title.VILLAGE:
        return None, evaluation.village_id
    return evaluation.area_id, None


def evaluation_key(evaluation, measure: str) -> Key:
    unit_id, village_id = evaluation_holder(evaluation)
    return Key(unit_id, village_id, evaluation.year, evaluation.title, measure)


def structural_own(year: int) -> dict[Key, int]:
    """Villages and communes counted in `year`, held at each commune of the tree in force then."""
    tree = tree_for_year(year)
    own: dict[Key, int] = {}
    villages = (
        VillagePlacement.objects.covering(year)
        .filter(commune__tree=tree)
        .values("commune_id")
        .annotate(villages=Count("pk"))
        .order_by()
    )
    for row in villages:
        own[Key.at_unit(row["commune_id"], year, Title.VILLAGE, Measure.BASE)] = row["villages"]
    for commune_id in AdministrativeUnit.objects.filter(tree=tree, level=Level.COMMUNE).values_list("pk", flat=True):
        own[Key.at_unit(commune_id, year, Title.COMMUNE, Measure.BASE)] = 1
    return own


def records_own(year: int) -> dict[Key, int]:
    """Everything records hold in `year`, per holder: evaluations registered and recognised, the
    network's associations and their yearly figures, and the structural counts. Computed in Python
    from the households' own villages: `verify` compares the facts with it, so a drift of the village
    each evaluation holds would show."""
    # The households' evaluations here; every other title's are in other_own, counted once.
    own: dict[Key, int] = defaultdict(int, _evaluations_own(year, [Title.HOUSEHOLD]))
    for key, count in other_own(year).items():
        own[key] += count
    return {k: v for k, v in own.items() if v}


def _evaluations_own(year: int, titles) -> dict[Key, int]:
    """Registered and recognised per holder, from the year's evaluations of `titles`: one grouped
    query per title held at villages, one for the others (each reads only its titles' rows)."""
    own: dict[Key, int] = defaultdict(int)
    evaluations = Evaluation.objects.filter(year=year)
    at_village = {
        Title.HOUSEHOLD: "household__village_id",
        Title.CITIZEN: "citizen__village_id",
        Title.VILLAGE: "village_id",
    }
    grouped = [(evaluations.filter(title=t), at_village[t], None, t) for t in titles if t in at_village]
    if at_units := [t for t in titles if t not in at_village]:
        grouped.append((evaluations.filter(title__in=at_units), None, "area_id", None))
    for queryset, village_field, unit_field, title in grouped:
        fields = [village_field or unit_field] + ([] if title else ["title"])
        rows = queryset.values(*fields).annotate(registered=Count("pk"), recognised=Count("pk", Q(recognised=True)))
        for row in rows.order_by():
            holder = row[fields[0]]
            row_title = title or row["title"]
            for measure, counted in (
                (Measure.REGISTERED, row["registered"]),
                (Measure.RECOGNISED, row["recognised"]),
                (Measure.GRANTED, row["recognised"]),
            ):
                key = (
                    Key.at_village(holder, year, row_title, measure)
                    if village_field
                    else Key.at_unit(holder, year, row_title, measure)
                )
                own[key] += counted
    return own


def python_own(year: int) -> dict[Key, int]:
    """What the rebuild takes from Python (`rebuild_sql` groups the rest in the database): the other
    titles' evaluations, the subjects an earlier recognition still covers under a set that counts
    each valid year (`stats.validity`), and the learning citizens' base where age bounds apply."""
    own: dict[Key, int] = _evaluations_own(year, [t for t in Title.values if t != Title.HOUSEHOLD])
    for key, count in carried_own(year).items():
        own[key] += count
    for key, count in base_own(year).items():
        own[key] += count
    return {k: v for k, v in own.items() if v}


def network_own(year: int) -> dict[Key, int]:
    """The associations of each area, counted by level, and their yearly figures summed."""
    own: dict[Key, int] = defaultdict(int)
    network = (
        AssociationYear.objects.filter(year=year)
        .values("association__area_id", "association__level")
        .annotate(associations=Count("pk"), **{m: Sum(m) for m in ASSOCIATION_SUMS})
        .order_by()
    )
    for row in network:
        area_id = row["association__area_id"]
        own[Key.at_unit(area_id, year, NETWORK, ASSOCIATION_COUNT[row["association__level"]])] += row["associations"]
        for measure in ASSOCIATION_SUMS:
            own[Key.at_unit(area_id, year, NETWORK, measure)] += row[measure] or 0
    return own


def other_own(year: int) -> dict[Key, int]:
    """What records other than the year's household evaluations hold (those are millions: the
    rebuild groups them in the database): the other evaluations, the subjects an earlier recognition
    still covers, the network and the structure. The reference that `verify` compares with the
    facts; the rebuild computes the network and the structure in the database."""
    own: dict[Key, int] = defaultdict(int, python_own(year))
    for part in (network_own(year), structural_own(year)):
        for key, count in part.items():
            own[key] += count
    return {k: v for k, v in own.items() if v}


def entered_values(year: int) -> dict[Key, int]:
    """The figures entered for `year` (area years' fields and entered aggregates; an aggregate wins
    over an area year's field of the same figure). The reference: the rebuild reads them in the
    database (`rebuild_sql`)."""
    entered: dict[Key, int] = {}
    for row in AreaYear.objects.filter(year=year).values("area_id", *AREA_YEAR_FIGURES):
        for field, (title, measure) in AREA_YEAR_FIGURES.items():
            if row[field] is not None:
                entered[Key.at_unit(row["area_id"], year, title, measure)] = row[field]
    for aggregate in EnteredAggregate.objects.filter(year=year).values(
        "unit_id", "village_id", "title", "measure", "value"
    ):
        key = Key(aggregate["unit_id"], aggregate["village_id"], year, aggregate["title"], aggregate["measure"])
        entered[key] = aggregate["value"]
        if aggregate["measure"] == Measure.RECOGNISED:  # a total entered names its recognitions (lượt) too
            entered[Key(key.unit_id, key.village_id, year, key.title, Measure.GRANTED)] = aggregate["value"]
    return entered


@transaction.atomic
def rebuild_year(year: int) -> int:
    """Make `year`'s facts what the records say (in the database: `stats.rebuild_sql`); returns the
    number of rows the year has."""
    total, _written = rebuild_facts(year, python_own(year))
    opened, _created = OpenedYear.objects.get_or_create(year=year)
    # The figures may change without any record changing (a rule or the program changed): the history
    # says so, and what reads "has anything changed" from it (the public pages' ETag) sees it.
    audit_record(actor=None, action="stats.rebuild", obj=opened, after={"year": year, "facts": total})
    return total


FACT_COLUMNS = ["unit", "village", "year", "title", "measure", "own", "computed", "entered", "value", "entered_count"]


def write_facts(rows: list[Fact]) -> None:
    """New fact rows in bulk: COPY on PostgreSQL (a national year is some 300,000 rows)."""
    insert(
        Fact,
        FACT_COLUMNS,
        (
            (
                f.unit_id,
                f.village_id,
                f.year,
                f.title,
                f.measure,
                f.own,
                f.computed,
                f.entered,
                f.value,
                f.entered_count,
            )
            for f in rows
        ),
    )


def rolled_up(year: int, own: dict[Key, int], entered: dict[Key, int]) -> list[Fact]:
    """The fact rows of `year` from what records hold and what was entered, every holder's value
    added to its parent's, villages first."""
    units = dict(AdministrativeUnit.objects.values_list("pk", "level"))
    parents = dict(AdministrativeUnit.objects.exclude(parent=None).values_list("pk", "parent_id"))
    village_commune = dict(VillagePlacement.objects.covering(year).values_list("village_id", "commune_id"))

    def depth(key: Key) -> int:
        return VILLAGE_DEPTH if key.village_id else units[key.unit_id]

    def parent(key: Key) -> Key | None:
        parent_id = village_commune.get(key.village_id) if key.village_id else parents.get(key.unit_id)
        return key.moved_to(unit_id=parent_id) if parent_id else None

    from_children: dict[Key, int] = defaultdict(int)
    entered_below: dict[Key, int] = defaultdict(int)
    rows = []
    for level in range(VILLAGE_DEPTH, 0, -1):
        keys = {k for k in [*own, *entered, *from_children, *entered_below] if depth(k) == level}
        for key in keys:
            computed = own.get(key, 0) + from_children.get(key, 0)
            value = entered.get(key, computed)
            entered_count = entered_below.get(key, 0) + (key in entered)
            rows.append(
                Fact(
                    unit_id=key.unit_id,
                    village_id=key.village_id,
                    year=year,
                    title=key.title,
                    measure=key.measure,
                    own=own.get(key, 0),
                    computed=computed,
                    entered=entered.get(key),
                    value=value,
                    entered_count=entered_count,
                )
            )
            above = parent(key)
            if above is not None:
                if value:
                    from_children[above] += value
                if entered_count:
                    entered_below[above] += entered_count
    return rows


def years_with_data() -> list[int]:
    years = set(Evaluation.objects.values_list("year", flat=True).distinct())
    years |= set(AssociationYear.objects.values_list("year", flat=True).distinct())
    years |= set(AreaYear.objects.values_list("year", flat=True).distinct())
    years |= set(EnteredAggregate.objects.values_list("year", flat=True).distinct())
    years |= set(OpenedYear.objects.values_list("year", flat=True))
    return sorted(years)


def rebuild_all() -> dict[int, int]:
    """Every year's facts, and the recognition patterns the distinct counts read."""
    from .patterns import rebuild_patterns

    rebuilt = {year: rebuild_year(year) for year in years_with_data()}
    rebuild_patterns()
    return rebuilt

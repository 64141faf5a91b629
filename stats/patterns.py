"""Entities recognised at least once in a period, without reading the evaluations.

Each household, clan, village, unit or commune has a pattern: the set of years it was recognised
(one bit a year). `RecognitionPattern` counts, per holder (the village for households, persons and
villages, the owning unit for the other titles) and title, how many entities have each pattern. The decision
services keep it current in their transaction (`recognitions_changed`), a household that moves takes
its pattern along, and `rebuild_patterns` recomputes it with grouped queries (tests compare both).

A period's count of households, persons and villages for an area is the sum over the villages under it of the
entities whose pattern meets the years the village was under the area: a village moves between
communes, so each year is checked where the village was placed that year (as its figures roll up); on
the 2025 tree, a year before the reform counts the villages of the old units mapped into the area (the
default new unit). Clans, units and communes are counted from their evaluations themselves
(`_unit_held_distinct`), each once, whichever unit owned each year's evaluation.
"""

from collections import Counter, defaultdict

from django.db import connection, transaction
from django.db.models import F, Q, Sum

from areas.models import Tree, VillagePlacement, subtree_q, tree_for_year
from criteria.models import Title

from .models import PATTERN_FIRST_YEAR, PATTERN_LAST_YEAR, RecognitionPattern

VILLAGE_HELD = (Title.HOUSEHOLD, Title.CITIZEN, Title.VILLAGE)
SUBJECT_COLUMN = {
    Title.HOUSEHOLD: "household_id",
    Title.CLAN: "clan_id",
    Title.VILLAGE: "village_id",
    Title.UNIT: "organisation_id",
    Title.COMMUNE: "commune_id",
    Title.CITIZEN: "citizen_id",
}

Holder = tuple[int | None, int | None]  # (unit id, village id)


def year_bit(year: int) -> int:
    if not PATTERN_FIRST_YEAR <= year <= PATTERN_LAST_YEAR:
        raise ValueError(f"recognition patterns cover {PATTERN_FIRST_YEAR}–{PATTERN_LAST_YEAR}, not {year}")
    return 1 << (year - PATTERN_FIRST_YEAR)


def years_mask(years) -> int:
    mask = 0
    for year in years:
        mask |= year_bit(year)
    return mask


# Keeping patterns current ---------------------------------------------------------------------------


def _current_masks(title: str, subject_ids) -> dict[int, int]:
    """subject id → the years it is recognised in now (as the evaluations' flags say)."""
    from evaluations.models import Evaluation

    column = SUBJECT_COLUMN[title]
    masks = defaultdict(int)
    rows = Evaluation.objects.filter(title=title, recognised=True, **{f"{column}__in": subject_ids})
    for subject_id, year in rows.values_list(column, "year"):
        masks[subject_id] |= year_bit(year)
    return masks


def _current_masks_at_units(title: str, subject_ids) -> dict[tuple[int, int], int]:
    """(subject id, owning unit id) → the years it is recognised in there now: a title held at the unit
    that owns each evaluation counts a subject once per unit (a person evaluated by an old commune
    before the reform and by the new one after it is in each one's figures), as the rebuild groups it."""
    from evaluations.models import Evaluation

    column = SUBJECT_COLUMN[title]
    masks = defaultdict(int)
    rows = Evaluation.objects.filter(title=title, recognised=True, **{f"{column}__in": subject_ids})
    for subject_id, area_id, year in rows.values_list(column, "area_id", "year"):
        masks[(subject_id, area_id)] |= year_bit(year)
    return masks


def recognitions_changed(evaluations, *, recognised: bool) -> None:
    """Evaluations (their flags already saved) started or stopped counting as recognised."""
    from .rebuild import evaluation_holder

    toggled: dict[tuple[str, int, tuple], int] = {}
    for evaluation in evaluations:
        key = (evaluation.title, getattr(evaluation, SUBJECT_COLUMN[evaluation.title]), evaluation_holder(evaluation))
        toggled[key] = toggled.get(key, 0) | year_bit(evaluation.year)
    deltas = Counter()
    for title in {title for title, _subject, _holder in toggled}:
        subjects = [subject for t, subject, _holder in toggled if t == title]
        if title in VILLAGE_HELD:
            # Held at the village the subject is in now, whatever the year: one pattern per subject.
            by_subject = _current_masks(title, subjects)
            now = {(subject, holder): by_subject.get(subject, 0) for t, subject, holder in toggled if t == title}
        else:
            by_unit = _current_masks_at_units(title, subjects)
            now = {
                (subject, holder): by_unit.get((subject, holder[0]), 0) for t, subject, holder in toggled if t == title
            }
        for (t, subject, holder), bits in toggled.items():
            if t != title:
                continue
            new = now[(subject, holder)]
            old = new ^ bits  # the toggled years were the other way round before
            if old:
                deltas[(*holder, title, old)] -= 1
            if new:
                deltas[(*holder, title, new)] += 1
    _apply(deltas)


def households_moved(moves, title: str = Title.HOUSEHOLD) -> None:
    """(household or person id, old village id, new village id): each one's pattern moves with it."""
    villages = {pk: (old, new) for pk, old, new in moves if old != new}
    deltas = Counter()
    for subject_id, mask in _current_masks(title, list(villages)).items():
        old, new = villages[subject_id]
        deltas[(None, old, title, mask)] -= 1
        deltas[(None, new, title, mask)] += 1
    _apply(deltas)


def subjects_merged(title: str, survivor_id: int, duplicate_ids) -> None:
    """Duplicates about to be merged into a survivor (their evaluations not yet moved): their patterns
    become one, the survivor's, holding every year any of them was recognised in."""
    from registry.models import Household

    subjects = [survivor_id, *duplicate_ids]
    deltas = Counter()
    if title in VILLAGE_HELD:
        villages = dict(Household.objects.filter(pk__in=subjects).values_list("pk", "village_id"))
        masks = _current_masks(title, subjects)
        for subject_id, mask in masks.items():
            deltas[(None, villages[subject_id], title, mask)] -= 1
        union = 0
        for mask in masks.values():
            union |= mask
        if union:
            deltas[(None, villages[survivor_id], title, union)] += 1
    else:
        unions = defaultdict(int)
        for (_subject, unit_id), mask in _current_masks_at_units(title, subjects).items():
            deltas[(unit_id, None, title, mask)] -= 1
            unions[unit_id] |= mask
        for unit_id, mask in unions.items():
            deltas[(unit_id, None, title, mask)] += 1
    _apply(deltas)


def _apply(deltas: Counter) -> None:
    """Add the deltas to the pattern rows, creating and locking them in one order (no deadlocks)."""
    keys = sorted((k for k, d in deltas.items() if d), key=lambda k: (k[0] or 0, k[1] or 0, k[2], k[3]))
    if not keys:
        return
    RecognitionPattern.objects.bulk_create(
        [RecognitionPattern(unit_id=u, village_id=v, title=t, years=y) for u, v, t, y in keys], ignore_conflicts=True
    )
    wanted = Q()
    for field, ids in (("unit_id", {k[0] for k in keys if k[0]}), ("village_id", {k[1] for k in keys if k[1]})):
        if ids:
            wanted |= Q(**{f"{field}__in": ids})
    rows = RecognitionPattern.objects.select_for_update().filter(
        wanted, title__in={k[2] for k in keys}, years__in={k[3] for k in keys}
    )
    found = {(r.unit_id, r.village_id, r.title, r.years): r for r in rows.order_by("pk")}
    changed = []
    for key in keys:
        row = found[key]
        row.count += deltas[key]
        changed.append(row)
    RecognitionPattern.objects.bulk_update(changed, ["count"])
    RecognitionPattern.objects.filter(pk__in=[r.pk for r in changed if r.count == 0]).delete()


# Rebuilding them ----------------------------------------------------------------------------------


def computed_patterns() -> dict[tuple, int]:
    """(unit id, village id, title, years) → entities, grouped from the recognised evaluations."""
    from evaluations.models import Evaluation
    from registry.models import Citizen, Household

    evaluation = connection.ops.quote_name(Evaluation._meta.db_table)
    household = connection.ops.quote_name(Household._meta.db_table)
    citizen = connection.ops.quote_name(Citizen._meta.db_table)
    bit = (
        f"(CAST(1 AS BIGINT) << (e.year - {PATTERN_FIRST_YEAR}))"
        if connection.vendor == "postgresql"
        else f"(1 << (e.year - {PATTERN_FIRST_YEAR}))"
    )
    holders = {
        # Households and persons are held at the village they live in; a unique (subject, year) makes
        # the sum an OR.
        Title.HOUSEHOLD: (f"JOIN {household} h ON h.id = e.household_id", "village_id", "h.village_id"),
        Title.CITIZEN: (f"JOIN {citizen} c ON c.id = e.citizen_id", "village_id", "c.village_id"),
        Title.VILLAGE: ("", "village_id", "e.village_id"),
        Title.CLAN: ("", "unit_id", "e.area_id"),
        Title.UNIT: ("", "unit_id", "e.area_id"),
        Title.COMMUNE: ("", "unit_id", "e.area_id"),
    }
    patterns = {}
    with connection.cursor() as cursor:
        for title, (join, holder_kind, holder) in holders.items():
            cursor.execute(
                f"SELECT holder, years, COUNT(*) FROM (SELECT {holder} AS holder, SUM({bit}) AS years "
                f"FROM {evaluation} e {join} WHERE e.title = %s AND e.recognised "
                f"GROUP BY e.{SUBJECT_COLUMN[title]}, {holder}) subjects GROUP BY holder, years",
                [title],
            )
            for holder_id, years, count in cursor.fetchall():
                unit_id, village_id = (None, holder_id) if holder_kind == "village_id" else (holder_id, None)
                patterns[(unit_id, village_id, title, int(years))] = count
    return patterns


@transaction.atomic
def rebuild_patterns() -> int:
    fresh = computed_patterns()
    RecognitionPattern.objects.all().delete()
    rows = [RecognitionPattern(unit_id=u, village_id=v, title=t, years=y, count=c) for (u, v, t, y), c in fresh.items()]
    RecognitionPattern.objects.bulk_create(rows, batch_size=5000)
    return len(fresh)


def stored_patterns() -> dict[tuple, int]:
    rows = RecognitionPattern.objects.exclude(count=0).values_list("unit_id", "village_id", "title", "years", "count")
    return {(u, v, t, y): c for u, v, t, y, c in rows}


# Reading -----------------------------------------------------------------------------------------


def distinct(area, titles, years, tree: str, old_paths) -> dict[str, int]:
    """title → entities recognised at least once in `years` under `area` (None: the whole country) on
    `tree`; `old_paths`: the paths of the old units mapped into a 2025 area, for the years before."""
    years = [y for y in years if tree == Tree.Y2025 or tree_for_year(y) == Tree.PRE_2025]
    counts = dict.fromkeys(titles, 0)
    if not years or not titles:
        return counts
    village_held = [t for t in titles if t in VILLAGE_HELD]
    patterns = RecognitionPattern.objects.filter(title__in=village_held)
    if area is None:
        if village_held:
            _add_met(counts, patterns, years_mask(years))
        counts.update(_unit_held_distinct([t for t in titles if t not in VILLAGE_HELD], Q(year__in=years)))
        return counts
    own = [y for y in years if tree_for_year(y) == area.tree]
    mapped = [y for y in years if y not in own and area.tree == Tree.Y2025]
    old_paths = old_paths if mapped else []
    if village_held:
        meets = _villages_meeting(area, years, own, mapped, old_paths)
        _add_meeting(counts, patterns, "village_id", meets)
    within = Q(pk__in=[])
    if own:
        within |= subtree_q("area__path", area.path) & Q(year__in=own)
    if old_paths:
        within |= Q(area__path__in=old_paths, year__in=mapped)
    counts.update(_unit_held_distinct([t for t in titles if t not in VILLAGE_HELD], within))
    return counts


def _unit_held_distinct(titles, within: Q) -> dict[str, int]:
    """title → the clans, units, communes or persons recognised in the evaluations `within` selects,
    each once. Their patterns are kept per owning unit, and a clan or unit brought over to a new
    commune in the reform year is owned by its old commune before and by the new one after: counted
    from the patterns it would count once at each. These titles have few subjects per area (no more than
    the units and clans there), so their evaluations are read directly."""
    from evaluations.models import Evaluation

    found = {}
    for title in titles:
        recognised = Evaluation.objects.filter(within, title=title, recognised=True)
        found[title] = recognised.values(SUBJECT_COLUMN[title]).distinct().count()
    return found


def _add_meeting(counts: dict, patterns, holder_field: str, meets: dict[int, int]) -> None:
    """Add up, per title, the entities whose pattern meets their holder's years. Holders mostly share
    the same years (all of the period), so the database adds up each group of them."""
    by_years = defaultdict(list)
    for holder, mask in meets.items():
        by_years[mask].append(holder)
    for mask, holders in by_years.items():
        _add_met(counts, patterns.filter(**{f"{holder_field}__in": holders}), mask)


def _add_met(counts: dict, patterns, mask: int) -> None:
    """Add up, per title, the entities of `patterns` recognised in any year of `mask`."""
    rows = patterns.annotate(met=F("years").bitand(mask)).exclude(met=0).values("title")
    for row in rows.annotate(entities=Sum("count")).order_by():
        counts[row["title"]] += row["entities"]


def _villages_meeting(area, years, own, mapped, old_paths) -> dict[int, int]:
    """village id → the years it was placed under the area (its own years), or in an old unit
    mapped into it (the years before the reform)."""
    within = Q()
    if own:
        within |= subtree_q("commune_path", area.path)
    if old_paths:
        within |= Q(commune_path__in=old_paths)
    placements = VillagePlacement.objects.filter(within, from_year__lte=max(years)).filter(
        Q(to_year__isnull=True) | Q(to_year__gte=min(years))
    )
    meets = defaultdict(int)
    for village_id, path, start, end in placements.values_list("village_id", "commune_path", "from_year", "to_year"):
        for year in own if path.startswith(area.path) else mapped:
            if start <= year and (end is None or year <= end):
                meets[village_id] |= year_bit(year)
    return meets

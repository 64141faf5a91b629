"""The learning citizens' base: the persons of the registry still living in a village whose age in the
year lies within the age bounds that apply there (`CitizenAgeBounds`: the province's own, else the
national default), held at their village as their evaluations are. No bounds for a year, no base:
the figure reads unknown, never 0 (the bounds are not confirmed, rules.md §1).

The rebuild counts it with one grouped query a year (`base_own`); a person added, changed or moved
moves it by deltas (`changed_deltas`), and bounds changed recount the years they touch (`recount`).
All three read the bounds through `BoundsBook`, so they agree; the tests compare them."""

from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from areas.models import VillagePlacement, tree_for_year
from criteria.models import Title
from criteria.scope import PROVINCE_PATH_LENGTH

from .facts import LOOKUP_BATCH, Key, open_year, opened_years, record_changes
from .models import PATTERN_FIRST_YEAR, CitizenAgeBounds, Fact, Measure

Person = tuple[int, int, bool]  # (village id, year of birth, still living here)


class BoundsBook:
    """The bounds of one year: the national default and each province's own."""

    def __init__(self, year: int):
        self.year = year
        self.by_province, self.national = {}, None
        rules = CitizenAgeBounds.objects.filter(from_year__lte=year).filter(Q(to_year=None) | Q(to_year__gte=year))
        for rule in rules.select_related("area").order_by("from_year"):
            if rule.area_id is None:
                self.national = rule
            else:
                self.by_province[rule.area.path] = rule

    def __bool__(self):
        return self.national is not None or bool(self.by_province)

    def rule_at(self, commune_path: str):
        return self.by_province.get(commune_path[:PROVINCE_PATH_LENGTH], self.national)


def _village_paths(year: int) -> dict[int, str]:
    """village id → the path of the commune holding it in `year`, on that year's tree."""
    placements = VillagePlacement.objects.covering(year).filter(commune__tree=tree_for_year(year))
    return dict(placements.values_list("village_id", "commune_path"))


def base_own(year: int) -> dict[Key, int]:
    """Each village's base in `year`, from the registry (the rebuild's count)."""
    from registry.models import Citizen

    book = BoundsBook(year)
    if not book:
        return {}
    paths = _village_paths(year)
    own: dict[Key, int] = defaultdict(int)
    rows = Citizen.objects.filter(is_active=True).values("village_id", "birth_year").annotate(persons=Count("pk"))
    for row in rows.order_by():
        path = paths.get(row["village_id"])
        rule = book.rule_at(path) if path else None
        if rule is not None and rule.admits(year, row["birth_year"]):
            own[Key.at_village(row["village_id"], year, Title.CITIZEN, Measure.BASE)] += row["persons"]
    return dict(own)


def changed_deltas(changes) -> Counter:
    """`changes`: (before, after) each, a `Person` or None (not yet recorded): the base's deltas in
    every opened year. The persons are netted per village and year of birth first, and each village's
    rule is looked up once a year: asked for each person and year, an import of 100,000 persons into
    villages placed in two opened years spent a second here once bounds were set. Where no opened year
    has bounds (none ship), nothing is read or netted: the base is unknown, and moves by nothing."""
    deltas = Counter()
    books = [(year, book) for year in opened_years(0, None) if (book := BoundsBook(year))]
    if not books:
        return deltas
    counted = Counter()
    for before, after in changes:
        if before == after:
            continue
        for person, sign in ((before, -1), (after, 1)):
            if person is not None and person[2]:
                counted[person[0], person[1]] += sign
    by_village = defaultdict(list)  # village → (year of birth, change in persons) of the nonzero changes
    for (village, born), change in counted.items():
        if change:
            by_village[village].append((born, change))
    if not by_village:
        return deltas
    placements = _placements_of(by_village)
    for year, book in books:
        tree = tree_for_year(year)
        for village, births in by_village.items():
            admitted = _births_admitted(book, year, tree, placements.get(village, ()))
            if admitted is None:
                continue
            earliest, latest = admitted
            change = sum(c for born, c in births if (earliest is None or earliest <= born) and born <= latest)
            if change:
                deltas[Key.at_village(village, year, Title.CITIZEN, Measure.BASE)] += change
    return deltas


def _placements_of(village_ids) -> dict[int, list[tuple[str, int, int | None, str]]]:
    """village id → its (commune path, from year, to year, tree) spans, read once for every year."""
    spans = defaultdict(list)
    ids = sorted(village_ids)
    for start in range(0, len(ids), LOOKUP_BATCH):
        rows = VillagePlacement.objects.filter(village_id__in=ids[start : start + LOOKUP_BATCH]).values_list(
            "village_id", "commune_path", "from_year", "to_year", "commune__tree"
        )
        for village_id, *span in rows:
            spans[village_id].append(tuple(span))
    return spans


def _births_admitted(book: BoundsBook, year: int, tree: str, spans) -> tuple[int | None, int] | None:
    """The years of birth counted in `year` at a village with these spans: by the rule of the commune
    holding it that year on that year's tree (as `_village_paths`), None where none holds it or no
    rule applies."""
    for path, from_year, to_year, span_tree in spans:
        if span_tree == tree and from_year <= year and (to_year is None or year <= to_year):
            rule = book.rule_at(path)
            return rule.births_admitted(year) if rule is not None else None
    return None


def persons_changed(changes) -> None:
    record_changes(changed_deltas(changes))


def recount(from_year: int, to_year: int | None) -> None:
    """Bounds covering these years were added, changed or removed: each opened year's base counted
    again and the difference applied, so that every ancestor's figure follows. The years up to this
    one that nothing has opened yet are opened (counting their base as they open)."""
    this_year = timezone.localdate().year
    for year in range(max(from_year, PATTERN_FIRST_YEAR), min(to_year or this_year, this_year) + 1):
        open_year(year)
    for year in opened_years(from_year, to_year):
        fresh = base_own(year)
        stored = Fact.objects.filter(
            year=year, title=Title.CITIZEN, measure=Measure.BASE, village__isnull=False
        ).exclude(own=0)
        deltas = Counter(fresh)
        for village_id, own in stored.values_list("village_id", "own"):
            deltas[Key.at_village(village_id, year, Title.CITIZEN, Measure.BASE)] -= own
        record_changes(deltas)

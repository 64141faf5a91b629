"""Many villages placed at once (an import of villages): the same figures `facts.placement_changes`
keeps for one village, for a whole batch in a few queries and one walk up the tree."""

from collections import Counter, defaultdict

from areas.models import AdministrativeUnit, tree_for_year
from criteria.models import Title

from .facts import Key, _apply
from .models import EnteredAggregate, Fact, Measure, OpenedYear


def placements_changed_many(changes) -> None:
    """`changes`: (village id, spans before, spans after) each, a span being (commune id, from year,
    to year or None). In each opened year a village is counted under the commune holding it then,
    and its own figures roll up there."""
    changes = list(changes)
    if not changes:
        return
    opened = sorted(OpenedYear.objects.values_list("year", flat=True))
    units = {span[0] for _village, before, after in changes for span in (*before, *after)}
    trees = dict(AdministrativeUnit.objects.filter(pk__in=units).values_list("pk", "tree"))

    trees_by_year = {year: tree_for_year(year) for year in opened}

    def commune_by_year(spans) -> dict[int, int]:
        return {
            year: commune_id
            for commune_id, from_year, to_year in spans
            for year in opened
            if from_year <= year and (to_year is None or year <= to_year) and trees[commune_id] == trees_by_year[year]
        }

    # Worked out once per distinct history and counted: an import's new villages share a few per commune.
    histories = {}  # (spans before, spans after) → (commune by year before, after, the years that changed)
    per_history = Counter()
    moved = {}
    for village_id, before, after in changes:
        history = (tuple(before), tuple(after))
        found = histories.get(history)  # hashed once or twice per village, not five times: 100,000 in a file
        if found is None:
            old, new = commune_by_year(before), commune_by_year(after)
            found = histories[history] = (old, new, {y for y in {*old, *new} if old.get(y) != new.get(y)})
        if found[2]:
            per_history[history] += 1
            if before:
                moved[village_id] = found
    if not per_history:
        return
    own: dict[Key, int] = defaultdict(int)
    children: dict[Key, int] = defaultdict(int)
    children_entered: dict[Key, int] = defaultdict(int)
    for history, count in per_history.items():
        old, new, changed_years = histories[history]
        for year in changed_years:
            for commune_id, sign in ((old.get(year), -1), (new.get(year), 1)):
                if commune_id:
                    own[Key.at_unit(commune_id, year, Title.VILLAGE, Measure.BASE)] += sign * count
    # A new village holds no figures yet: only villages that had spans before are looked for.
    earlier = list(moved)
    facts = Fact.objects.filter(village_id__in=earlier).exclude(value=0, entered_count=0) if earlier else []
    for fact in facts:
        old, new, changed_years = moved[fact.village_id]
        if fact.year not in changed_years:
            continue
        for commune_id, sign in ((old.get(fact.year), -1), (new.get(fact.year), 1)):
            if commune_id:
                key = Key.at_unit(commune_id, fact.year, fact.title, fact.measure)
                children[key] += sign * fact.value
                children_entered[key] += sign * fact.entered_count
    _apply(own=own, entered={}, children=children, children_entered=children_entered)
    # Totals entered at a village carry its commune's path that year, for "entered below" lookups.
    entered = set(EnteredAggregate.objects.filter(village_id__in=earlier).values_list("village_id", "year"))
    if entered:
        paths = dict(AdministrativeUnit.objects.filter(pk__in=units).values_list("pk", "path"))
        for village_id, year in entered:
            new = moved[village_id][1]
            if year in moved[village_id][2] and year in new:
                EnteredAggregate.objects.filter(village_id=village_id, year=year).update(path=paths[new[year]])

"""What the services of other apps call when they change records that figures count.

Each function turns one kind of change into fact deltas; `stats.facts` walks them up the tree in
the caller's transaction. The callers: evaluation registration and the decision services
(registered, recognised), the network's yearly figures (forms, API and imports), area years (the
entered base), and villages' placements.
"""

from collections import Counter

from . import patterns
from .facts import Key, record_changes, set_entered
from .models import AREA_YEAR_FIGURES, NETWORK, Measure
from .rebuild import ASSOCIATION_COUNT, ASSOCIATION_SUMS, evaluation_key


def evaluations_registered(evaluations) -> None:
    record_changes(Counter(evaluation_key(e, Measure.REGISTERED) for e in evaluations))


def households_moved(moves) -> None:
    """Households moved to another village, as (household id, old village id, new village id): their
    evaluations are counted where the household now lives (its record says where; an evaluation keeps
    no village of its own), so each year's figures move with them."""
    from evaluations.models import Evaluation

    moves = [(pk, old, new) for pk, old, new in moves if old != new]
    if not moves:
        return
    villages = {pk: (old, new) for pk, old, new in moves}
    deltas = Counter()
    rows = Evaluation.objects.filter(title="household", household_id__in=villages).values_list(
        "household_id", "year", "recognised"
    )
    for household_id, year, recognised in rows:
        old, new = villages[household_id]
        for measure, counted in ((Measure.REGISTERED, True), (Measure.RECOGNISED, recognised)):
            if counted:
                deltas[Key.at_village(old, year, "household", measure)] -= 1
                deltas[Key.at_village(new, year, "household", measure)] += 1
    record_changes(deltas)
    patterns.households_moved(moves)


def evaluations_recognised(evaluations, *, recognised: bool) -> None:
    """The evaluations of a decision start (published) or stop (revoked) counting as recognised."""
    from evaluations.models import Evaluation

    evaluations = list(evaluations)
    Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).update(recognised=recognised)
    patterns.recognitions_changed(evaluations, recognised=recognised)
    sign = 1 if recognised else -1
    deltas = Counter()
    for evaluation in evaluations:
        deltas[evaluation_key(evaluation, Measure.RECOGNISED)] += sign
    record_changes(deltas)


def association_years_changed(changes) -> None:
    """`changes`: (association year, figures before or None if new, figures after)."""
    from registry.models import Association

    changes = list(changes)
    associations = Association.objects.only("area_id", "level").in_bulk({r.association_id for r, _b, _a in changes})
    deltas = Counter()
    for record, before, after in changes:
        association = associations[record.association_id]
        area_id, year = association.area_id, record.year
        if before is None:
            deltas[Key.at_unit(area_id, year, NETWORK, ASSOCIATION_COUNT[association.level])] += 1
        for measure in ASSOCIATION_SUMS:
            deltas[Key.at_unit(area_id, year, NETWORK, measure)] += (after.get(measure) or 0) - (
                (before or {}).get(measure) or 0
            )
    record_changes(deltas)


def area_years_changed(changes) -> None:
    """`changes`: (area year, figures before or None, figures after). An area year's figures are
    entered aggregates: the population and household base, fund and scholarships."""
    entered = {}
    for record, before, after in changes:
        for field, (title, measure) in AREA_YEAR_FIGURES.items():
            if field in after and (before is None or before.get(field) != after[field]):
                entered[Key.at_unit(record.area_id, record.year, title, measure)] = after[field]
    set_entered(entered)


def aggregate_changed(aggregate, value) -> None:
    """An entered aggregate was typed in, changed (a number) or removed (None)."""
    set_entered(
        {Key(aggregate.unit_id, aggregate.village_id, aggregate.year, aggregate.title, aggregate.measure): value}
    )

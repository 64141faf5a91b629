"""The handlers of the changes other apps announce (`core.changes`), and of entered totals.

Each handler turns one kind of change into fact deltas; `stats.facts` walks them up the tree in the
announcer's transaction. The announcers: evaluation registration and the decision services
(registered, recognised), the network's yearly figures (forms, API and imports), area years (the
entered base), households moved, persons added or changed, duplicates merged and villages placed.
`subscribe_all` is called by the app's `ready()`.
"""

from collections import Counter

from areas.changes import VillagePlaced, VillagesPlaced
from core.changes import subscribe
from evaluations.changes import EvaluationsRecognised, EvaluationsRegistered
from evaluations.models import Evaluation
from registry.changes import AreaYearsChanged, AssociationYearsChanged, CitizensChanged, HouseholdsMoved, RecordsMerging
from registry.models import Association

from . import citizen_base, patterns, validity
from .facts import Key, placement_changes, record_changes, set_entered
from .facts_villages import placements_changed_many
from .models import AREA_YEAR_FIGURES, ASSOCIATION_COUNT, ASSOCIATION_SUMS, NETWORK, Measure
from .rebuild import evaluation_key


def subscribe_all() -> None:
    subscribe(VillagePlaced, village_placed)
    subscribe(VillagesPlaced, villages_placed)
    subscribe(HouseholdsMoved, households_moved)
    subscribe(CitizensChanged, citizens_changed)
    subscribe(EvaluationsRegistered, evaluations_registered)
    subscribe(EvaluationsRecognised, evaluations_recognised)
    subscribe(AssociationYearsChanged, association_years_changed)
    subscribe(AreaYearsChanged, area_years_changed)
    subscribe(RecordsMerging, records_merging)


def village_placed(change: VillagePlaced) -> None:
    placement_changes(change.village_id, change.before, change.after)


def villages_placed(change: VillagesPlaced) -> None:
    placements_changed_many(change.changes)


def evaluations_registered(change: EvaluationsRegistered) -> None:
    record_changes(Counter(evaluation_key(e, Measure.REGISTERED) for e in change.evaluations))


def households_moved(change: HouseholdsMoved) -> None:
    """Households moved to another village: their evaluations are counted where the household now
    lives (its record says where; an evaluation keeps no village of its own), so each year's figures
    move with them."""
    _subjects_moved(change.moves, "household")


def citizens_changed(change: CitizensChanged) -> None:
    """Persons added or changed: their evaluations move with them as households' do, and the base
    follows their village, year of birth and whether they still live there (stats.citizen_base)."""
    _subjects_moved([(pk, before[0], after[0]) for pk, before, after in change.changes if before], "citizen")
    citizen_base.persons_changed([(before, after) for _pk, before, after in change.changes])


def _subjects_moved(moves, title: str) -> None:
    moves = [(pk, old, new) for pk, old, new in moves if old != new]
    if not moves:
        return
    villages = {pk: (old, new) for pk, old, new in moves}
    field = f"{title}_id"
    deltas = Counter()
    rows = Evaluation.objects.filter(title=title, **{f"{field}__in": villages}).values_list(field, "year", "recognised")
    for subject_id, year, recognised in rows:
        old, new = villages[subject_id]
        for measure, counted in ((Measure.REGISTERED, True), (Measure.GRANTED, recognised)):
            if counted:
                deltas[Key.at_village(old, year, title, measure)] -= 1
                deltas[Key.at_village(new, year, title, measure)] += 1
    deltas.update(validity.moved_deltas(moves, title))  # the years each is recognised in (stats.validity)
    record_changes(deltas)
    patterns.households_moved(moves, title)


def records_merging(change: RecordsMerging) -> None:
    """Duplicate households or clans about to be merged into a survivor of the same village or commune:
    their evaluations stay counted where they are (registered and lượt unchanged), but the years they
    are recognised in, and their patterns, become one subject's."""
    record_changes(validity.merged_deltas(change.field, change.survivor_id, change.duplicate_ids))
    patterns.subjects_merged(change.field, change.survivor_id, change.duplicate_ids)


def evaluations_recognised(change: EvaluationsRecognised) -> None:
    """The evaluations of a decision start (published) or stop (revoked) counting as recognised."""
    evaluations, recognised = change.evaluations, change.recognised
    patterns.recognitions_changed(evaluations, recognised=recognised)
    sign = 1 if recognised else -1
    deltas = Counter()
    for evaluation in evaluations:
        deltas[evaluation_key(evaluation, Measure.GRANTED)] += sign
    # Recognised in each year a recognition covers, once per subject (stats.validity).
    deltas.update(validity.coverage_deltas(evaluations, recognised=recognised))
    record_changes(deltas)


def association_years_changed(change: AssociationYearsChanged) -> None:
    changes = list(change.changes)
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


def area_years_changed(change: AreaYearsChanged) -> None:
    """An area year's figures are entered aggregates: the population and household base, fund and
    scholarships."""
    entered = {}
    for record, before, after in change.changes:
        for field, (title, measure) in AREA_YEAR_FIGURES.items():
            if field in after and (before is None or before.get(field) != after[field]):
                entered[Key.at_unit(record.area_id, record.year, title, measure)] = after[field]
    set_entered(entered)


def aggregate_changed(aggregate, value) -> None:
    """An entered aggregate was typed in, changed (a number) or removed (None)."""
    key = Key(aggregate.unit_id, aggregate.village_id, aggregate.year, aggregate.title, aggregate.measure)
    values = {key: value}
    if aggregate.measure == Measure.RECOGNISED:  # a total entered names its recognitions (lượt) too
        values[Key(key.unit_id, key.village_id, key.year, key.title, Measure.GRANTED)] = value
    set_entered(values)

"""“Recognised in year Y” with validity years (issue 15, item 5).

Two figures come from recognitions:
- `Measure.GRANTED` — recognitions granted for year Y (the decision's year): what lượt sums over a
  period, as always;
- `Measure.RECOGNISED` — the subjects recognised in year Y, the figure behind rates and targets. For a
  criteria set that says so (`count_each_valid_year`, with `validity_years` N, e.g. the commune title
  under TT 25/2023 valid three years), a recognition counts in each of the N years from the year it
  was granted for; once per subject and year however many recognitions cover it (the latest, which
  holds the highest level it reached, decides where it is held). Other sets count the year granted only,
  so for them both figures are equal.

A year that a recognition carries into is counted where the subject is held: households, persons and
villages at their village (whose commune that year the figures follow, on either tree); the other titles at the
unit that owns the covering evaluation, only while that unit is on the tree in force (a commune
recognised before the 2025 reform does not carry its title into the new commune, a new unit).

Both the rebuild (`recognised_own`) and the services' changes (`coverage_deltas`) use `covered_years`,
so they agree by construction; the tests compare them."""

from collections import Counter, defaultdict

from django.db.models import Q

from areas.models import AdministrativeUnit, tree_for_year
from criteria.models import Title
from evaluations.models import SUBJECT_FIELD, Evaluation

from .facts import Key
from .models import Measure

# No set is valid longer than this (the criteria form allows up to 50 years).
LONGEST_VALIDITY = 50


def years_counted(criteria_set) -> int:
    """How many years, from the year granted, a recognition under the set counts as recognised."""
    if criteria_set.count_each_valid_year and (criteria_set.validity_years or 1) > 1:
        return criteria_set.validity_years
    return 1


def subject_of(evaluation) -> tuple[str, int]:
    return evaluation.title, getattr(evaluation, f"{SUBJECT_FIELD[evaluation.title]}_id")


def holder_of(evaluation) -> tuple[int | None, int | None]:
    """(unit id, village id) where the evaluation's subject is counted (as `rebuild.evaluation_holder`,
    without loading the household: its village is read with the evaluation)."""
    if evaluation.title == Title.HOUSEHOLD:
        return None, evaluation.household.village_id
    if evaluation.title == Title.CITIZEN:
        return None, evaluation.citizen.village_id
    if evaluation.title == Title.VILLAGE:
        return None, evaluation.village_id
    return evaluation.area_id, None


def covered_years(recognised) -> dict[int, object]:
    """One subject's recognised evaluations → year → the evaluation it is counted by that year (the
    latest granted among those still valid)."""
    covering = {}
    for evaluation in sorted(recognised, key=lambda e: (e.year, e.pk)):
        for year in range(evaluation.year, evaluation.year + years_counted(evaluation.criteria_set)):
            covering[year] = evaluation
    return covering


def _keys(covering: dict[int, object], unit_trees: dict[int, str]) -> set[Key]:
    keys = set()
    for year, evaluation in covering.items():
        unit_id, village_id = holder_of(evaluation)
        if unit_id is not None and year != evaluation.year and unit_trees.get(unit_id) != tree_for_year(year):
            continue  # the owning unit is not on that year's tree
        keys.add(Key(unit_id, village_id, year, evaluation.title, Measure.RECOGNISED))
    return keys


def _unit_trees(evaluations) -> dict[int, str]:
    ids = {e.area_id for e in evaluations if e.title not in (Title.HOUSEHOLD, Title.CITIZEN, Title.VILLAGE)}
    return dict(AdministrativeUnit.objects.filter(pk__in=ids).values_list("pk", "tree")) if ids else {}


def _evaluations():
    return Evaluation.objects.select_related("criteria_set", "household", "citizen").only(
        "pk",
        "title",
        "year",
        "area_id",
        "recognised",
        *[f"{field}_id" for field in SUBJECT_FIELD.values()],
        "household__village_id",
        "citizen__village_id",
        "criteria_set__validity_years",
        "criteria_set__count_each_valid_year",
    )


def coverage_deltas(evaluations, *, recognised: bool) -> Counter:
    """`Measure.RECOGNISED` deltas when `evaluations` started (True) or stopped (False) counting as
    recognised: each affected subject's covered years before and after."""
    flipped = {e.pk for e in evaluations}
    subjects = defaultdict(set)
    for evaluation in evaluations:
        title, subject_id = subject_of(evaluation)
        subjects[title].add(subject_id)
    rows = []
    for title, ids in subjects.items():
        field = SUBJECT_FIELD[title]
        rows += list(
            _evaluations().filter(Q(recognised=True) | Q(pk__in=flipped), title=title, **{f"{field}__in": ids})
        )
    unit_trees = _unit_trees(rows)
    by_subject = defaultdict(list)
    for evaluation in rows:
        by_subject[subject_of(evaluation)].append(evaluation)
    deltas = Counter()
    for found in by_subject.values():
        after = [e for e in found if (recognised if e.pk in flipped else e.recognised)]
        before = [e for e in found if ((not recognised) if e.pk in flipped else e.recognised)]
        for key in _keys(covered_years(before), unit_trees):
            deltas[key] -= 1
        for key in _keys(covered_years(after), unit_trees):
            deltas[key] += 1
    return deltas


def moved_deltas(moves, title: str = Title.HOUSEHOLD) -> Counter:
    """(household or person id, old village, new village): the years each is recognised in move too."""
    villages = {pk: (old, new) for pk, old, new in moves if old != new}
    field = f"{SUBJECT_FIELD[title]}_id"
    deltas = Counter()
    by_subject = defaultdict(list)
    for evaluation in _evaluations().filter(title=title, recognised=True, **{f"{field}__in": villages}):
        by_subject[getattr(evaluation, field)].append(evaluation)
    for subject_id, found in by_subject.items():
        old, new = villages[subject_id]
        for year in covered_years(found):
            deltas[Key.at_village(old, year, title, Measure.RECOGNISED)] -= 1
            deltas[Key.at_village(new, year, title, Measure.RECOGNISED)] += 1
    return deltas


def merged_deltas(title: str, survivor_id: int, duplicate_ids) -> Counter:
    """Duplicates about to be merged into a survivor (their evaluations not yet moved): each was counted
    once in each year it was recognised in; from now on one subject is, once a year."""
    field = SUBJECT_FIELD[title]
    rows = list(
        _evaluations().filter(title=title, recognised=True, **{f"{field}_id__in": [survivor_id, *duplicate_ids]})
    )
    unit_trees = _unit_trees(rows)
    by_subject = defaultdict(list)
    for evaluation in rows:
        by_subject[subject_of(evaluation)].append(evaluation)
    deltas = Counter()
    for found in by_subject.values():
        for key in _keys(covered_years(found), unit_trees):
            deltas[key] -= 1
    for key in _keys(covered_years(rows), unit_trees):
        deltas[key] += 1
    return deltas


def carried_own(year: int) -> dict[Key, int]:
    """What the rebuild adds to `year`'s `Measure.RECOGNISED` beyond the recognitions granted for
    `year` (which it counts with grouped queries): the subjects not recognised for `year` whom an
    earlier recognition under a set that counts each valid year still covers, per holder."""
    earlier = _evaluations().filter(
        recognised=True,
        criteria_set__count_each_valid_year=True,
        criteria_set__validity_years__gt=1,
        year__lt=year,
        year__gt=year - LONGEST_VALIDITY,
    )
    by_subject = defaultdict(list)
    for evaluation in earlier:
        by_subject[subject_of(evaluation)].append(evaluation)
    if not by_subject:
        return {}
    granted_now = set()
    for title in {title for title, _id in by_subject}:
        field = f"{SUBJECT_FIELD[title]}_id"
        ids = [subject_id for t, subject_id in by_subject if t == title]
        now = Evaluation.objects.filter(title=title, year=year, recognised=True, **{f"{field}__in": ids})
        granted_now |= {(title, subject_id) for subject_id in now.values_list(field, flat=True)}
    unit_trees = _unit_trees([e for found in by_subject.values() for e in found])
    own = Counter()
    for subject, found in by_subject.items():
        if subject in granted_now:
            continue
        covering = covered_years(found).get(year)
        if covering is not None:
            for key in _keys({year: covering}, unit_trees):
                own[key] += 1
    return own

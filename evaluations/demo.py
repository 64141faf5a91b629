"""Demo evaluations, recognition decisions and deadlines for Bắc Kạn, 2019 to the reform year.

Against the illustration sets of `demo_sets` (every invented value flagged "minh hoạ"), each year:
every active household and every village of the demo communes, every clan and unit, and every commune
(the old communes until the reform; from the reform year the new communes their villages moved into).
Clans and units are evaluated at their old commune until the year before the reform; then the new
commune's officer brings them over (`registry.reform.reform_bring_over`, as a user would, with its
history), and the reform year's evaluations are the new commune's.

Marks are drawn from a quality per subject that grows a little each year; the total and the result of
each evaluation come from `criteria.scoring.evaluate` over its marks, and its area is the one
`services.subject_area` gives (a village's commune of that year). Household marks are stored for the
latest year only (HOUSEHOLD_MARK_YEARS): the registry's 80,000 households (as many as the yearly base)
over seven years would be about 3.9 million rows and triple the time of `load_demo`; older household
evaluations keep the total and result their marks gave.

Most evaluations are approved (some not achieved); in the latest year a few are still submitted, being
marked or only registered. Each approving unit publishes one decision per title and year recognising
its approved, recognised evaluations.

Generated data, not users' changes: rows are written in bulk like an import, with no audit rows, and
the decisions are created directly as published rather than through the decision services, which
are for users. A second run adds nothing.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from areas.demo import demo_communes
from areas.models import AdministrativeUnit, Tree, VillagePlacement
from areas.services import default_successor
from core.bulk import insert
from criteria.models import ResultRule, Scoring, Title, level_code
from criteria.scoring import evaluate
from criteria.services import criteria_marked, criteria_set_frozen, criteria_set_used, definition_of
from registry.demo import GIVEN, SURNAMES
from registry.models import Clan, Household, Organisation
from registry.reform import reform_bring_over

from .demo_sets import FIRST_YEAR, build_illustration_sets
from .household_villages import fill_household_villages
from .models import (
    SUBJECT_FIELD,
    Deadline,
    DeadlineKind,
    DecisionStatus,
    Evaluation,
    EvaluationState,
    Mark,
    RecognitionDecision,
)
from .services import approver_level

SUBJECT_FIELDS = ["household", "clan", "village", "organisation", "commune"]
EVALUATION_COLUMNS = [
    "title",
    "year",
    "criteria_set",
    "area",
    *SUBJECT_FIELDS,
    "state",
    "total",
    "result",
    "version",
    "registered_at",
    "submitted_at",
    "approved_at",
    "approved_by",
    "changes_since_approval",
    "note",
]
MARK_COLUMNS = ["evaluation", "node", "points", "passed", "note", "adjusted_points", "adjusted_passed", "adjust_reason"]
# The version an evaluation reaches through the services: registered, marked, submitted, approved.
VERSION = {
    EvaluationState.REGISTERED: 1,
    EvaluationState.IN_PROGRESS: 2,
    EvaluationState.SUBMITTED: 3,
    EvaluationState.APPROVED: 4,
}
# Where a subject's quality starts in 2019 (a share of the maximum marks), and its yearly growth.
# Households start where the seed article's 2016–2018 left them (about 70% of the base recognised
# in 2018) and grow slowly, so the rate goes on from there rather than restarting.
QUALITY = {
    Title.HOUSEHOLD: (0.52, 1.07),
    Title.CLAN: (0.5, 1.0),
    Title.VILLAGE: (0.5, 1.0),
    Title.UNIT: (0.55, 1.0),
    Title.COMMUNE: (0.55, 1.0),
}
GROWTH = {Title.HOUSEHOLD: 0.01}
DEFAULT_GROWTH = 0.025
POINTS = [Decimal(n) for n in range(101)]
HOUSEHOLD_MARK_YEARS = 1
LEVEL_1 = level_code(1)
SIGNER_MIDDLE = ["Văn", "Thị", "Đức", "Quốc", "Ngọc"]


def evaluation_years() -> range:
    return range(FIRST_YEAR, settings.KHUYENHOC_REFORM_YEAR + 1)


@transaction.atomic
def build_demo_evaluations(*, actor, seed: int = 2018, communes=None) -> dict:
    """Evaluate the demo `communes` (old communes; all of the demo by default) from 2019 to the reform year."""
    sets, sets_created = build_illustration_sets(actor=actor)
    builder = _Builder(actor, sets, communes if communes is not None else demo_communes(), seed)
    counts = builder.evaluate_all()
    counts["decisions"] = builder.decide()
    counts["deadlines"] = _deadlines(sets["commune_tt25"].valid_from)
    counts["sets"] = sets_created
    return counts


class _Sheet:
    """A criteria set as the generator marks it."""

    def __init__(self, criteria_set):
        self.criteria_set = criteria_set
        self.definition = definition_of(criteria_set)
        node_ids = dict(criteria_set.nodes.values_list("code", "pk"))
        self.keys = [leaf.key for leaf in self.definition.leaves]
        self.node_ids = [node_ids[key] for key in self.keys]
        self.maxima = [
            None if leaf.scoring == Scoring.PASS_FAIL else int(leaf.max_points) for leaf in self.definition.leaves
        ]
        self.levels = criteria_set.rule == ResultRule.LEVELS
        self.top_level = [i for i, leaf in enumerate(self.definition.leaves) if self.levels and leaf.level == 2]
        self.recognised = set(criteria_set.recognised_results)
        self.scores = {}

    def draw(self, rng, quality: float, may_reach_level_2: bool) -> list:
        random = rng.random
        values = [
            quality + 0.5 * random() > 0.75
            if maximum is None
            else POINTS[round(maximum * min(1.0, max(0.0, quality - 0.15 + 0.3 * random())))]
            for maximum in self.maxima
        ]
        if self.top_level and not may_reach_level_2 and all(values[i] for i in self.top_level):
            # Level 2 only after time at level 1: the services would cap it, so the marks do not reach it.
            values[rng.choice(self.top_level)] = False
        return values

    def score(self, values: list) -> tuple:
        """(total, result) by `evaluate`, remembered: households often draw the same marks."""
        key = tuple(values)
        if key not in self.scores:
            outcome = evaluate(self.definition, dict(zip(self.keys, values, strict=True)))
            self.scores[key] = (None if self.levels else outcome.total), outcome.result
        return self.scores[key]


class _Builder:
    def __init__(self, actor, sets, communes, seed):
        self.actor, self.seed = actor, seed
        self.rng = random.Random(seed)
        self.years = evaluation_years()
        self.sheets = {s.pk: _Sheet(s) for s in sets.values()}
        self.sets = list(sets.values())
        self.quality = {}
        self.level_1_since = {}
        self.recognitions = defaultdict(list)  # (title, year, area id, set id) → evaluation ids
        self.adapted = {}
        villages = set(VillagePlacement.objects.filter(commune__in=communes).values_list("village_id", flat=True))
        self.commune_of = {}
        placements = VillagePlacement.objects.filter(village_id__in=villages)
        for village_id, commune_id, from_year, to_year in placements.values_list(
            "village_id", "commune_id", "from_year", "to_year"
        ):
            for year in self.years:
                if from_year <= year and (to_year is None or year <= to_year):
                    self.commune_of[(village_id, year)] = commune_id
        self.villages = sorted(villages)
        self.households = list(
            Household.objects.filter(village_id__in=self.villages, is_active=True)
            .order_by("pk")
            .values_list("pk", "village_id")
        )
        self.clans = list(Clan.objects.filter(commune__in=communes).order_by("pk").values_list("pk", "commune_id"))
        self.units = list(Organisation.objects.filter(area__in=communes).order_by("pk").values_list("pk", "area_id"))
        self.brought_over = False

    def sheet_for(self, title: str, year: int) -> _Sheet:
        return next(self.sheets[s.pk] for s in self.sets if s.title == title and s.covers(year))

    def subjects(self, title: str, year: int) -> list[tuple[int, int]]:
        """(subject id, area id) of every subject of the title evaluated in the year."""
        reformed = year >= settings.KHUYENHOC_REFORM_YEAR
        if title in (Title.HOUSEHOLD, Title.VILLAGE):
            # A village added by a user later has no commune in the earlier years: nothing to evaluate there.
            pairs = self.households if title == Title.HOUSEHOLD else [(pk, pk) for pk in self.villages]
            placed = ((pk, self.commune_of.get((village_id, year))) for pk, village_id in pairs)
            return [(pk, commune) for pk, commune in placed if commune is not None]
        if title in (Title.CLAN, Title.UNIT):
            if not reformed:
                return self.clans if title == Title.CLAN else self.units
            self.bring_over()
            model = Clan if title == Title.CLAN else Organisation
            pairs = model.objects.filter(
                pk__in=[pk for pk, _old in (self.clans if title == Title.CLAN else self.units)]
            )
            return list(pairs.order_by("pk").values_list("pk", "commune_id" if title == Title.CLAN else "area_id"))
        communes = sorted({commune for (_village, y), commune in self.commune_of.items() if y == year})
        return [(pk, pk) for pk in communes]

    def bring_over(self) -> None:
        """The reform: each new commune's officer brings the clans and units of its old communes over."""
        if self.brought_over:
            return
        self.brought_over = True
        by_new = defaultdict(lambda: ([], []))
        successors = {}
        for index, pairs in enumerate((self.clans, self.units)):
            for pk, old in pairs:
                if old not in successors:
                    successors[old] = default_successor(AdministrativeUnit.objects.get(pk=old))
                if successors[old] is not None:
                    by_new[successors[old]][index].append(pk)
        for commune, (clans, units) in by_new.items():
            reform_bring_over(
                actor=self.actor,
                commune=commune,
                clans=Clan.objects.filter(pk__in=clans),
                organisations=Organisation.objects.filter(pk__in=units),
            )

    def evaluate_all(self) -> dict:
        counts = {"evaluations": 0, "marks": 0}
        for year in self.years:
            for title in (Title.COMMUNE, Title.UNIT, Title.CLAN, Title.VILLAGE, Title.HOUSEHOLD):
                subjects = self.subjects(title, year)
                if subjects:
                    evaluations, marks = self.evaluate(title, year, subjects)
                    counts["evaluations"] += evaluations
                    counts["marks"] += marks
        return counts

    def evaluate(self, title: str, year: int, subjects) -> tuple[int, int]:
        field = SUBJECT_FIELD[title]
        sheet = self.sheet_for(title, year)
        in_area = Evaluation.objects.filter(title=title, year=year, area_id__in={area for _subject, area in subjects})
        done = set(in_area.values_list(f"{field}_id", flat=True))
        rows, planned = self._rows(title, year, sheet, [(s, area) for s, area in subjects if s not in done])
        insert(Evaluation, EVALUATION_COLUMNS, rows)
        if title == Title.HOUSEHOLD:
            fill_household_villages()
        _record_use(sheet.criteria_set, rows)
        marks = self._marks(title, year, sheet, planned, dict(in_area.values_list(f"{field}_id", "pk")))
        insert(Mark, MARK_COLUMNS, marks)
        if marks:
            criteria_marked(sheet.criteria_set.nodes.filter(pk__in={mark[1] for mark in marks}))
        return len(rows), len(marks)

    def _rows(self, title: str, year: int, sheet: _Sheet, subjects) -> tuple[list, dict]:
        """The subjects' evaluations as rows, and subject id → (area id, marks, whether recognised)."""
        set_id, approver_id, rng = sheet.criteria_set.pk, self.actor.pk, self.rng
        calendar = _calendar(title, year, sheet)
        registered = self.moments(calendar["register"], 8)
        submitted, approved = self.moments(calendar["submit"], 10), self.moments(calendar["approve"], 15)
        before = (None,) * SUBJECT_FIELDS.index(SUBJECT_FIELD[title])
        after = (None,) * (len(SUBJECT_FIELDS) - len(before) - 1)
        rows, planned = [], {}
        for subject_id, area_id in subjects:
            state, values, total, result = self._outcome(title, subject_id, year, sheet)
            done_at = [None, None, None]
            if state in (EvaluationState.SUBMITTED, EvaluationState.APPROVED):
                done_at[0] = rng.choice(submitted)
            if state == EvaluationState.APPROVED:
                done_at[1:] = rng.choice(approved), approver_id
                if result == LEVEL_1:
                    self.level_1_since.setdefault((title, subject_id), year)
            rows.append(
                (
                    title,
                    year,
                    set_id,
                    area_id,
                    *before,
                    subject_id,
                    *after,
                    state,
                    total,
                    result,
                    VERSION[state],
                    rng.choice(registered),
                    *done_at,
                    0,
                    "",
                )
            )
            planned[subject_id] = (area_id, values, state == EvaluationState.APPROVED and result in sheet.recognised)
        return rows, planned

    def _outcome(self, title: str, subject_id: int, year: int, sheet: _Sheet) -> tuple:
        """(state, marks, total, result), the marks drawn from the subject's quality of the year."""
        rng = self.rng
        if (title, subject_id) not in self.quality:
            low, high = QUALITY[title]
            self.quality[(title, subject_id)] = rng.uniform(low, high)
        growth = GROWTH.get(title, DEFAULT_GROWTH) * (year - FIRST_YEAR)
        quality = self.quality[(title, subject_id)] + growth + rng.gauss(0, 0.05)
        state = _state(rng, year == self.years[-1])
        if state == EvaluationState.REGISTERED:
            return state, None, None, ""
        values = sheet.draw(rng, quality, self._may_reach_level_2(title, subject_id, year, sheet))
        if state == EvaluationState.IN_PROGRESS:
            marked = rng.randrange(1, len(values))
            values = values[:marked] + [None] * (len(values) - marked)
        total, result = sheet.score(values)
        return state, values, total, result

    def _marks(self, title: str, year: int, sheet: _Sheet, planned: dict, ids: dict) -> list[tuple]:
        """Notes the recognised evaluations for the decisions; returns the mark rows (households' only for the
        latest HOUSEHOLD_MARK_YEARS)."""
        marks = []
        keep_marks = title != Title.HOUSEHOLD or year > self.years[-1] - HOUSEHOLD_MARK_YEARS
        for subject_id, (area_id, values, recognised) in planned.items():
            evaluation_id = ids[subject_id]
            if recognised:
                self.recognitions[(title, year, area_id, sheet.criteria_set.pk)].append(evaluation_id)
            if not keep_marks or values is None:
                continue
            for node_id, value in zip(sheet.node_ids, values, strict=True):
                if isinstance(value, bool):
                    marks.append((evaluation_id, node_id, None, value, "", None, None, ""))
                elif value is not None:
                    marks.append((evaluation_id, node_id, value, None, "", None, None, ""))
        return marks

    def _may_reach_level_2(self, title, subject_id, year, sheet) -> bool:
        since = self.level_1_since.get((title, subject_id))
        return since is not None and since <= year - (sheet.criteria_set.years_at_level_1 or 0)

    def moments(self, window: tuple[date, int], hour: int) -> list:
        """A time on each day of the window, as the database takes it."""
        if (window, hour) not in self.adapted:
            days = (window[0] + timedelta(days=n) for n in range(window[1]))
            self.adapted[(window, hour)] = [
                connection.ops.adapt_datetimefield_value(timezone.make_aware(datetime.combine(day, time(hour))))
                for day in days
            ]
        return self.adapted[(window, hour)]

    def decide(self) -> int:
        """One published decision per approving unit, title and year, listing its recognised evaluations."""
        area_ids = {key[2] for key in self.recognitions}
        units = AdministrativeUnit.objects.select_related("parent__parent").in_bulk(area_ids)
        groups, levels = defaultdict(list), {}
        for (title, year, area_id, set_id), evaluation_ids in self.recognitions.items():
            unit = units[area_id]
            if (title, year, unit.tree) not in levels:
                levels[(title, year, unit.tree)] = approver_level(title, year, unit.tree)
            level = levels[(title, year, unit.tree)]
            while unit.level != level:
                unit = unit.parent
            groups[(title, year, unit, set_id)].extend(evaluation_ids)
        existing = {
            (d.title, d.year, d.issuing_area_id): d
            for d in RecognitionDecision.objects.filter(
                status=DecisionStatus.PUBLISHED, year__in=self.years, issuing_area__in={key[2] for key in groups}
            )
        }
        numbers = {}
        new = {}
        for title, year, unit, set_id in sorted(groups, key=lambda key: (key[1], key[2].code, key[0])):
            if (title, year, unit.pk) in existing:
                continue
            sheet = self.sheets[set_id]
            number = numbers.get((unit.pk, year), self.rng.randint(12, 60)) + self.rng.randint(1, 30)
            numbers[(unit.pk, year)] = number
            new[(title, year, unit.pk)] = self.decision(title, year, unit, sheet, number)
        RecognitionDecision.objects.bulk_create(new.values(), batch_size=500)
        decisions = {**existing, **new}
        links = [
            (decisions[(title, year, unit.pk)].pk, evaluation_id)
            for (title, year, unit, _set), ids in groups.items()
            for evaluation_id in ids
        ]
        insert(RecognitionDecision.evaluations.through, ["recognitiondecision", "evaluation"], links)
        # What the decision services do on publishing: the flag statistics group by.
        recognised = [evaluation_id for _decision, evaluation_id in links]
        for start in range(0, len(recognised), 5000):
            Evaluation.objects.filter(pk__in=recognised[start : start + 5000]).update(recognised=True)
        return len(new)

    def decision(self, title, year, unit, sheet, number) -> RecognitionDecision:
        # TT25 gave the district's commune decisions to its education office until the reform (rules.md §1).
        by_office = title == Title.COMMUNE and sheet.levels and unit.tree == Tree.PRE_2025
        body = "Phòng Giáo dục và Đào tạo" if by_office else "Ủy ban nhân dân"
        window = _calendar(title, year, sheet)["decide"]
        day = window[0] + timedelta(days=self.rng.randrange(window[1]))
        names = random.Random(f"{self.seed}-{unit.tree}-{unit.code}")
        return RecognitionDecision(
            title=title,
            year=year,
            number=f"{number}/{'QĐ-PGDĐT' if by_office else 'QĐ-UBND'}",
            date=day,
            issuing_area=unit,
            issuing_body=f"{body} {unit.name[:1].lower()}{unit.name[1:]}",
            signer=f"{names.choice(SURNAMES)} {names.choice(SIGNER_MIDDLE)} {names.choice(GIVEN)}",
            legal_basis=f"Căn cứ {sheet.criteria_set.name}; kết quả đánh giá năm {year}.",
            status=DecisionStatus.PUBLISHED,
            published_at=timezone.make_aware(datetime.combine(day, time(16))),
        )


def _record_use(criteria_set, rows: list) -> None:
    """What the services record on a set as they register and approve: evaluations use it, and
    it is frozen once one of them is approved."""
    state = EVALUATION_COLUMNS.index("state")
    if rows:
        criteria_set_used(criteria_set)
    if any(row[state] == EvaluationState.APPROVED for row in rows):
        criteria_set_frozen(criteria_set)


def _state(rng, latest: bool) -> str:
    draw = rng.random()
    if not latest:
        return EvaluationState.APPROVED if draw < 0.98 else EvaluationState.REGISTERED
    if draw < 0.86:
        return EvaluationState.APPROVED
    if draw < 0.92:
        return EvaluationState.SUBMITTED
    return EvaluationState.IN_PROGRESS if draw < 0.97 else EvaluationState.REGISTERED


def _calendar(title: str, year: int, sheet: _Sheet) -> dict:
    """(first day, days) of each step: TT25's calendar for the commune title (rules.md §2.2), the
    district's December inspection before it (§2.1), and the year's end for the other titles."""
    register = (date(year, 1, 5), 27)
    if title == Title.COMMUNE and sheet.levels:
        return {
            "register": register,
            "submit": (date(year + 1, 1, 10), 50),
            "approve": (date(year + 1, 3, 1), 20),
            "decide": (date(year + 1, 3, 21), 11),
        }
    if title == Title.COMMUNE:
        return {
            "register": register,
            "submit": (date(year, 12, 1), 10),
            "approve": (date(year, 12, 11), 10),
            "decide": (date(year, 12, 21), 8),
        }
    return {
        "register": register,
        "submit": (date(year, 10, 1), 41),
        "approve": (date(year, 11, 11), 20),
        "decide": (date(year, 12, 1), 20),
    }


def _deadlines(tt25_from: int) -> int:
    """TT25's calendar for the commune title from 2024: dossier by 28/02, decision by 31/03 of the next
    year (rules.md §2.2). The others are illustrations: registration in January, decision in December."""
    wanted = []
    for year in evaluation_years():
        for title in (Title.HOUSEHOLD, Title.CLAN, Title.VILLAGE, Title.UNIT, Title.COMMUNE):
            if title == Title.COMMUNE and year >= tt25_from:
                wanted += [
                    (title, year, DeadlineKind.DOSSIER, date(year + 1, 2, 28)),
                    (title, year, DeadlineKind.DECISION, date(year + 1, 3, 31)),
                ]
            else:
                wanted += [
                    (title, year, DeadlineKind.REGISTRATION, date(year, 1, 31)),
                    (title, year, DeadlineKind.DECISION, date(year, 12, 31)),
                ]
    have = set(Deadline.objects.values_list("title", "year", "kind"))
    new = [Deadline(title=t, year=y, kind=k, due=due) for t, y, k, due in wanted if (t, y, k) not in have]
    Deadline.objects.bulk_create(new)
    return len(new)

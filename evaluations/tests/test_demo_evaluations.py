"""The demo's evaluations on a slice of three communes: built once, scored by the illustration sets,
owned by the right area, recognised by published decisions of the approving level, and the shipped
sets left as they were."""

from datetime import date

import pytest
from django.conf import settings

from areas import services as area_services
from areas.models import AdministrativeUnit, Tree
from audit.models import AuditEntry
from criteria.models import CriteriaSet, ResultRule, Scoring, Title
from criteria.scoring import evaluate
from criteria.services import criteria_set_missing, definition_of, result_codes
from evaluations.demo import HOUSEHOLD_MARK_YEARS, build_demo_evaluations
from evaluations.models import Deadline, DecisionStatus, Evaluation, EvaluationState, Mark, RecognitionDecision
from evaluations.services import approver_level, subject_area
from registry import services as registry_services

pytestmark = pytest.mark.django_db

# Sông Cầu and Phùng Chí Kiên (Bắc Kạn city, district 058) merge into the new Phường Bắc Kạn; Bằng Thành is in
# Pác Nặm (district 060).
SLICE = ["01837", "01843", "01858"]
FIRST_YEAR = 2019


@pytest.fixture
def communes(admin_user, reform_year):
    """Two villages in each commune of the slice with four households each (and one that moved away), a clan
    and a unit."""
    communes = list(AdministrativeUnit.objects.filter(tree=Tree.PRE_2025, code__in=SLICE).order_by("code"))
    for commune in communes:
        villages = [
            area_services.village_create(actor=admin_user, commune=commune, name=name, kind="village", from_year=2016)
            for name in ("Thôn Nà Pài", "Thôn Khuổi Mòn")
        ]
        area_services.villages_move(
            actor=admin_user,
            villages=villages,
            commune=area_services.default_successor(commune),
            from_year=reform_year,
            rename_clashes=True,
        )
        for village in villages:
            for head in ("Hoàng Văn An", "Nông Thị Hoa", "Triệu Văn Sơn", "Ma Thị Lan"):
                registry_services.household_create(actor=admin_user, village=village, head_name=head, members=4)
        gone = registry_services.household_create(
            actor=admin_user, village=villages[0], head_name="Lý Văn Nam", members=3
        )
        registry_services.household_update(
            actor=admin_user,
            household=gone,
            version=gone.version,
            village=villages[0],
            head_name=gone.head_name,
            members=3,
            is_active=False,
        )
        registry_services.clan_save(
            actor=admin_user,
            clan=None,
            commune=commune,
            name="Họ Hoàng",
            head_name="Hoàng Văn Tộc",
            member_households=20,
            has_board=True,
            villages=villages,
        )
        registry_services.organisation_save(
            actor=admin_user,
            organisation=None,
            name=f"Trường Tiểu học {commune.name}",
            kind="school",
            managing_level="commune",
            area=commune,
        )
    return communes


@pytest.fixture
def built(admin_user, communes):
    return build_demo_evaluations(actor=admin_user, communes=communes)


def _shipped():
    """Everything about the shipped sets that a demo could change."""
    snapshot = {}
    for criteria_set in CriteriaSet.objects.filter(is_default=True).order_by("pk"):
        fields = {
            f.name: getattr(criteria_set, f.name) for f in CriteriaSet._meta.concrete_fields if f.name != "updated_at"
        }
        columns = ["code", "parent__code", "position", "kind", "name", "scoring", "max_points", "min_points", "level"]
        nodes = list(criteria_set.nodes.order_by("position", "pk").values_list(*columns))
        bands = list(criteria_set.bands.order_by("position").values_list("code", "label", "min_total", "position"))
        snapshot[criteria_set.pk] = (fields, nodes, bands)
    return snapshot


def _effective_marks(evaluation):
    marks = {}
    for mark in evaluation.marks.select_related("node"):
        if mark.node.scoring == Scoring.PASS_FAIL:
            marks[mark.node.code] = mark.adjusted_passed if mark.adjusted_passed is not None else mark.passed
        else:
            marks[mark.node.code] = mark.adjusted_points if mark.adjusted_points is not None else mark.points
    return marks


def test_a_second_run_adds_nothing(admin_user, communes, built):
    assert built["evaluations"] > 0 and built["marks"] > 0 and built["decisions"] > 0 and built["sets"] == 7
    before = (
        Evaluation.objects.count(),
        Mark.objects.count(),
        RecognitionDecision.objects.count(),
        RecognitionDecision.evaluations.through.objects.count(),
        Deadline.objects.count(),
        CriteriaSet.objects.count(),
    )
    again = build_demo_evaluations(actor=admin_user, communes=communes)
    assert again == {"evaluations": 0, "marks": 0, "decisions": 0, "deadlines": 0, "sets": 0}
    after = (
        Evaluation.objects.count(),
        Mark.objects.count(),
        RecognitionDecision.objects.count(),
        RecognitionDecision.evaluations.through.objects.count(),
        Deadline.objects.count(),
        CriteriaSet.objects.count(),
    )
    assert after == before


def test_every_subject_is_evaluated_each_year_in_the_area_the_services_give(built, communes, reform_year):
    years = set(range(FIRST_YEAR, reform_year + 1))
    per_title = {title: set(Evaluation.objects.filter(title=title).values_list("year", flat=True)) for title in Title}
    assert per_title[Title.HOUSEHOLD] == per_title[Title.VILLAGE] == per_title[Title.COMMUNE] == years
    assert per_title[Title.CLAN] == per_title[Title.UNIT] == years
    assert Evaluation.objects.filter(title=Title.HOUSEHOLD, year=FIRST_YEAR).count() == 3 * 2 * 4
    assert not Evaluation.objects.filter(household__is_active=False).exists()
    old_commune = {c.pk: c for c in communes}
    for evaluation in Evaluation.objects.select_related("household", "clan", "village", "organisation", "commune"):
        if evaluation.title in (Title.CLAN, Title.UNIT) and evaluation.year < reform_year:
            # Brought over to the new commune in the reform year, they were evaluated at the old one before.
            assert evaluation.area in old_commune.values()
            continue
        assert evaluation.area == subject_area(evaluation.title, evaluation.subject, evaluation.year)
    # In the reform year the new commune's officer brought them over, with their history.
    reformed_clans = Evaluation.objects.filter(title__in=[Title.CLAN, Title.UNIT], year=reform_year)
    assert {e.area.code for e in reformed_clans} == {"01843", "01864"}
    assert AuditEntry.objects.filter(action__in=["clan.bring_over", "organisation.bring_over"]).count() == 6
    reformed = Evaluation.objects.filter(title=Title.COMMUNE, year=reform_year)
    new_communes = set(reformed.values_list("commune__code", flat=True))
    assert new_communes == {"01843", "01864"}


def test_totals_and_results_are_what_the_set_gives_for_the_stored_marks(built, reform_year):
    checked = 0
    evaluations = Evaluation.objects.select_related("criteria_set")
    for evaluation in evaluations.prefetch_related("criteria_set__nodes", "criteria_set__bands"):
        criteria_set = evaluation.criteria_set
        assert criteria_set.is_illustration and criteria_set.covers(evaluation.year)
        marks = _effective_marks(evaluation)
        if evaluation.state == EvaluationState.REGISTERED:
            assert (marks, evaluation.total, evaluation.result) == ({}, None, "")
            continue
        assert evaluation.result in {code for code, _label in result_codes(criteria_set)}
        if not marks:
            # Only the latest years of households keep their marks.
            assert evaluation.title == Title.HOUSEHOLD and evaluation.year <= reform_year - HOUSEHOLD_MARK_YEARS
            continue
        outcome = evaluate(definition_of(criteria_set), marks)
        total = None if criteria_set.rule == ResultRule.LEVELS else outcome.total
        assert (evaluation.total, evaluation.result) == (total, outcome.result)
        assert outcome.complete == (evaluation.state != EvaluationState.IN_PROGRESS)
        checked += 1
    assert checked > 0
    latest_households = Evaluation.objects.filter(title=Title.HOUSEHOLD, year=reform_year)
    assert Mark.objects.filter(evaluation__in=latest_households).exists()


def test_decisions_of_the_approving_level_recognise_only_approved_recognised_evaluations(built, reform_year):
    decisions = RecognitionDecision.objects.select_related("issuing_area")
    decisions = decisions.prefetch_related("evaluations__area", "evaluations__criteria_set")
    listed = []
    for decision in decisions:
        assert decision.status == DecisionStatus.PUBLISHED and decision.published_at is not None
        assert decision.number.split("/")[0].isdigit() and decision.signer and decision.issuing_body
        assert decision.issuing_area.level == approver_level(decision.title, decision.year, decision.issuing_area.tree)
        for evaluation in decision.evaluations.all():
            assert (evaluation.title, evaluation.year) == (decision.title, decision.year)
            assert evaluation.state == EvaluationState.APPROVED
            assert evaluation.result in evaluation.criteria_set.recognised_results
            assert evaluation.area.path.startswith(decision.issuing_area.path)
            listed.append(evaluation.pk)
    assert len(listed) == len(set(listed))
    recognised = [
        e.pk
        for e in Evaluation.objects.filter(state=EvaluationState.APPROVED).select_related("criteria_set")
        if e.result in e.criteria_set.recognised_results
    ]
    assert sorted(listed) == sorted(recognised)
    commune_title = decisions.filter(title=Title.COMMUNE)
    assert {d.issuing_area.code for d in commune_title.filter(year__lt=reform_year)} <= {"058", "060"}
    assert {d.issuing_area.code for d in commune_title.filter(year=reform_year)} <= {"19"}
    household = decisions.filter(title=Title.HOUSEHOLD, year=2020).first()
    assert household.date.month == 12 and household.issuing_body.startswith("Ủy ban nhân dân ")


def test_the_shipped_sets_stay_as_they_were(admin_user, communes):
    before = _shipped()
    assert len(before) == 5
    build_demo_evaluations(actor=admin_user, communes=communes)
    assert _shipped() == before
    assert not Evaluation.objects.filter(criteria_set__is_default=True).exists()


def test_the_illustration_sets_are_complete_and_say_so(built):
    sets = CriteriaSet.objects.filter(is_illustration=True)
    assert sets.count() == 7
    for criteria_set in sets:
        assert criteria_set_missing(criteria_set) == []
        assert criteria_set.name.endswith(" (minh hoạ)") and "minh hoạ" in criteria_set.note
        assert not criteria_set.is_default
    copied = {s.title: s.based_on for s in sets.exclude(based_on=None)}
    assert all(shipped.is_default for shipped in copied.values())
    assert set(copied) == {Title.HOUSEHOLD, Title.COMMUNE, Title.UNIT, Title.CITIZEN}
    tt25 = sets.get(title=Title.COMMUNE, rule=ResultRule.LEVELS)
    indicators = tt25.nodes.filter(parent__code__in=["3", "4", "5"])
    assert indicators.count() == 9 and all(n.name.endswith("(minh hoạ)") for n in indicators)
    assert {n.level for n in indicators.filter(parent__code="3")} == {1}


def test_deadlines_follow_tt25_for_the_commune_title_and_an_illustration_calendar_otherwise(built):
    commune = {d.kind: d.due for d in Deadline.objects.filter(title=Title.COMMUNE, year=2024)}
    assert commune == {"dossier": date(2025, 2, 28), "decision": date(2025, 3, 31)}
    household = {d.kind: d.due for d in Deadline.objects.filter(title=Title.HOUSEHOLD, year=2021)}
    assert household["registration"].month == 1 and household["decision"].month == 12
    assert Deadline.objects.filter(year=settings.KHUYENHOC_REFORM_YEAR).count() == 10

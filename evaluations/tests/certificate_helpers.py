"""A published decision recognising households, made through the services as officers make it: for
the certificates' tests here, in documents (the PDF) and in portal (the public check)."""

import datetime

from criteria.tests.helpers import completed_household_set
from evaluations import decisions, services
from registry import services as registry_services

FULL_MARKS = {"1.1": 10, "1.2": 10, "1.3": 10, "2.1": 10, "2.2": 20, "3": 20, "4": 20}
NUMBER = "12/QĐ-UBND"
ISSUING_BODY = "Ủy ban nhân dân phường Bắc Kạn"
SIGNER = "Nguyễn Văn Bình"


def approved_households(actor, admin, village, names, year):
    """Each name the head of a new household of `village`, evaluated with full marks and approved."""
    household_set = completed_household_set(admin)
    made = []
    for name in names:
        household = registry_services.household_create(actor=admin, village=village, head_name=name, members=4)
        evaluation = services.evaluation_register(
            actor=actor, title="household", year=year, subject=household, criteria_set=household_set
        )
        evaluation = services.evaluation_marks_save(
            actor=actor, evaluation=evaluation, version=evaluation.version, marks=FULL_MARKS
        )
        evaluation = services.evaluation_submit(actor=actor, evaluation=evaluation, version=evaluation.version)
        made.append(services.evaluation_approve(actor=actor, evaluation=evaluation, version=evaluation.version))
    return made


def decision_of(actor, evaluations, year, *, issuing_area, publish=True, number=NUMBER):
    decision = decisions.decision_create(
        actor=actor,
        title="household",
        year=year,
        issuing_area=issuing_area,
        number=number,
        date=datetime.date(year, 12, 5),
        issuing_body=ISSUING_BODY,
        signer=SIGNER,
        legal_basis="",
        evaluations=evaluations,
    )
    if publish:
        decision = decisions.decision_publish(actor=actor, decision=decision)
    return decision


def unit_decision(actor, name, year, *, issuing_area):
    """A published decision recognising one unit named `name` (a unit's name may hold 200 characters).
    The unit's evaluation is written straight into the table: what is tested is the printing, not the
    unit's criteria set, which ships with values still to be completed."""
    from criteria.models import CriteriaSet
    from evaluations.models import DecisionStatus, Evaluation, EvaluationState, RecognitionDecision

    unit = registry_services.organisation_save(
        actor=actor, organisation=None, name=name, kind="school", managing_level="commune", area=issuing_area
    )
    criteria_set = CriteriaSet.objects.filter(title="unit").first()
    evaluation = Evaluation.objects.create(
        title="unit",
        year=year,
        criteria_set=criteria_set,
        area=issuing_area,
        organisation=unit,
        state=EvaluationState.APPROVED,
        result="achieved",
        recognised=True,
    )
    decision = RecognitionDecision.objects.create(
        title="unit",
        year=year,
        number=NUMBER,
        date=datetime.date(year, 12, 5),
        issuing_area=issuing_area,
        issuing_body=ISSUING_BODY,
        signer=SIGNER,
        status=DecisionStatus.PUBLISHED,
    )
    decision.evaluations.set([evaluation])
    return decision, unit

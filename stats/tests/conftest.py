import datetime

from conftest import unit
from evaluations import decisions, services
from evaluations.tests.conftest import FULL_MARKS, household, household_set  # noqa: F401  (shared fixtures)


def approved(actor, criteria_set, subject, year, marks=FULL_MARKS):
    evaluation = services.evaluation_register(
        actor=actor, title="household", year=year, subject=subject, criteria_set=criteria_set
    )
    evaluation = services.evaluation_marks_save(
        actor=actor, evaluation=evaluation, version=evaluation.version, marks=marks
    )
    evaluation = services.evaluation_submit(actor=actor, evaluation=evaluation, version=evaluation.version)
    return services.evaluation_approve(actor=actor, evaluation=evaluation, version=evaluation.version)


def published(actor, evaluations, *, year, area):
    decision = decisions.decision_create(
        actor=actor,
        title="household",
        year=year,
        issuing_area=unit(*area),
        number=f"{len(evaluations)}/QĐ-UBND",
        date=datetime.date(year + 1, 3, 20),
        issuing_body="UBND",
        signer="Nguyễn Văn Bình",
        legal_basis="",
        evaluations=evaluations,
    )
    return decisions.decision_publish(actor=actor, decision=decision)

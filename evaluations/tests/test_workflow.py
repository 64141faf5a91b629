"""The yearly evaluation of a household: registered by the village head, marked, submitted, then
approved, adjusted or returned by the commune; every transition refused from the wrong state, role
or area; no lost update."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from evaluations import services
from evaluations.models import EvaluationState
from registry import services as registry_services

from .conftest import FULL_MARKS

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(admin_user, villages):
    return registry_services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
    )


@pytest.fixture
def registered(personas, household, household_set, reform_year):
    return services.evaluation_register(
        actor=personas["village_officer"],
        title="household",
        year=reform_year,
        subject=household,
        criteria_set=household_set,
    )


def submitted(personas, evaluation, marks=FULL_MARKS):
    officer = personas["village_officer"]
    evaluation = services.evaluation_marks_save(
        actor=officer, evaluation=evaluation, version=evaluation.version, marks=marks
    )
    return services.evaluation_submit(actor=officer, evaluation=evaluation, version=evaluation.version)


def test_the_path_from_registration_to_approval_computes_the_result(personas, registered):
    assert registered.area.code == "01843" and registered.state == EvaluationState.REGISTERED
    evaluation = submitted(personas, registered)
    assert (evaluation.state, evaluation.total, evaluation.result) == ("submitted", Decimal(100), "achieved")
    evaluation = services.evaluation_approve(
        actor=personas["commune_officer"], evaluation=evaluation, version=evaluation.version
    )
    assert evaluation.state == EvaluationState.APPROVED and evaluation.approved_by == personas["commune_officer"]
    actions = list(
        AuditEntry.objects.filter(object_id=str(evaluation.pk), object_type="evaluations.evaluation")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["evaluation.register", "evaluation.marks", "evaluation.submit", "evaluation.approve"]


def test_a_total_below_the_threshold_is_not_achieved(personas, registered):
    evaluation = submitted(personas, registered, {**FULL_MARKS, "3": 0, "4": 5})
    assert (evaluation.total, evaluation.result) == (Decimal(65), "not_achieved")


def test_an_incomplete_self_assessment_cannot_be_submitted(personas, registered):
    officer = personas["village_officer"]
    evaluation = services.evaluation_marks_save(actor=officer, evaluation=registered, version=1, marks={"1.1": 10})
    with pytest.raises(ValidationError) as error:
        services.evaluation_submit(actor=officer, evaluation=evaluation, version=evaluation.version)
    assert error.value.code == "incomplete"


def test_the_approver_adjusts_with_a_reason_or_returns_it(personas, registered):
    evaluation = submitted(personas, registered)
    commune = personas["commune_officer"]
    with pytest.raises(ValidationError):
        services.evaluation_adjust(
            actor=commune, evaluation=evaluation, version=evaluation.version, marks={"3": 5}, reason=" "
        )
    evaluation = services.evaluation_adjust(
        actor=commune, evaluation=evaluation, version=evaluation.version, marks={"3": 5}, reason="Không có góc học tập"
    )
    assert (evaluation.total, evaluation.result) == (Decimal(85), "achieved")
    evaluation = services.evaluation_return(
        actor=commune, evaluation=evaluation, version=evaluation.version, reason="Bổ sung minh chứng"
    )
    assert evaluation.state == EvaluationState.RETURNED
    assert submitted(personas, evaluation).state == EvaluationState.SUBMITTED


@pytest.mark.parametrize("persona", ["village_officer", "viewer", "other_commune_officer", "province_officer"])
def test_only_the_approving_level_of_the_area_approves(personas, registered, persona):
    evaluation = submitted(personas, registered)
    with pytest.raises(PermissionDenied):
        services.evaluation_approve(actor=personas[persona], evaluation=evaluation, version=evaluation.version)


@pytest.mark.parametrize("persona", ["viewer", "other_commune_officer", "district_officer"])
def test_only_officers_of_the_area_mark_and_submit(personas, registered, persona):
    with pytest.raises(PermissionDenied):
        services.evaluation_marks_save(actor=personas[persona], evaluation=registered, version=1, marks={"1.1": 5})


def test_nothing_is_approved_before_it_is_submitted_and_an_approved_one_is_locked(personas, registered):
    commune = personas["commune_officer"]
    with pytest.raises(ValidationError) as error:
        services.evaluation_approve(actor=commune, evaluation=registered, version=registered.version)
    assert error.value.code == "state"
    evaluation = submitted(personas, registered)
    evaluation = services.evaluation_approve(actor=commune, evaluation=evaluation, version=evaluation.version)
    with pytest.raises(ValidationError):
        services.evaluation_marks_save(
            actor=personas["village_officer"], evaluation=evaluation, version=evaluation.version, marks={"1.1": 0}
        )


def test_unlocking_needs_the_approver_and_a_reason_and_changes_are_counted(personas, registered):
    commune = personas["commune_officer"]
    evaluation = submitted(personas, registered)
    evaluation = services.evaluation_approve(actor=commune, evaluation=evaluation, version=evaluation.version)
    with pytest.raises(PermissionDenied):
        services.evaluation_unlock(
            actor=personas["village_officer"], evaluation=evaluation, version=evaluation.version, reason="Sai"
        )
    evaluation = services.evaluation_unlock(
        actor=commune, evaluation=evaluation, version=evaluation.version, reason="Nhập nhầm điểm tiêu chí 3"
    )
    evaluation = services.evaluation_adjust(
        actor=commune, evaluation=evaluation, version=evaluation.version, marks={"3": 10, "4": 10}, reason="Chấm lại"
    )
    assert evaluation.changes_since_approval == 2
    evaluation = services.evaluation_approve(actor=commune, evaluation=evaluation, version=evaluation.version)
    assert evaluation.changes_since_approval == 0


def test_a_change_based_on_an_old_version_is_refused(personas, registered):
    officer = personas["village_officer"]
    services.evaluation_marks_save(actor=officer, evaluation=registered, version=1, marks={"1.1": 10})
    with pytest.raises(ValidationError) as error:
        services.evaluation_marks_save(actor=officer, evaluation=registered, version=1, marks={"1.1": 0})
    assert error.value.code == "stale"
    registered.refresh_from_db()
    assert registered.marks.get(node__code="1.1").points == 10


def test_a_closed_year_changes_only_after_the_approver_reopens_it(personas, registered, reform_year):
    commune = personas["commune_officer"]
    services.year_close(actor=commune, title="household", year=reform_year, area=commune.unit)
    with pytest.raises(ValidationError) as error:
        services.evaluation_marks_save(
            actor=personas["village_officer"], evaluation=registered, version=1, marks={"1.1": 10}
        )
    assert error.value.code == "closed"
    services.year_reopen(actor=commune, title="household", year=reform_year, area=commune.unit, reason="Bổ sung")
    services.evaluation_marks_save(
        actor=personas["village_officer"], evaluation=registered, version=1, marks={"1.1": 10}
    )


def test_a_subject_is_registered_once_a_year_and_only_with_a_usable_set(personas, registered, household, reform_year):
    with pytest.raises(ValidationError) as error:
        services.evaluation_register(
            actor=personas["village_officer"],
            title="household",
            year=reform_year,
            subject=household,
            criteria_set=registered.criteria_set,
        )
    assert error.value.code == "duplicate"
    from criteria.models import CriteriaSet

    shipped = CriteriaSet.objects.get(is_default=True, title="household")
    with pytest.raises(ValidationError) as error:
        services.evaluation_register(
            actor=personas["commune_officer"], title="household", year=2019, subject=household, criteria_set=shipped
        )
    assert error.value.code == "default"

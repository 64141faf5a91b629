import pytest

from criteria.models import CriteriaSet
from evaluations import services as evaluation_services
from evaluations.tests.conftest import FULL_MARKS, household_set  # noqa: F401  (a fixture, shared)
from registry import services as registry_services


def shipped(legal_number: str) -> CriteriaSet:
    return CriteriaSet.objects.get(is_default=True, legal_number=legal_number)


@pytest.fixture
def household(admin_user, villages):
    return registry_services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
    )


@pytest.fixture
def marked(personas, household, household_set, reform_year):  # noqa: F811
    """An evaluation of `household_set` with every mark given, not yet submitted."""
    officer = personas["village_officer"]
    evaluation = evaluation_services.evaluation_register(
        actor=officer, title="household", year=reform_year, subject=household, criteria_set=household_set
    )
    return evaluation_services.evaluation_marks_save(
        actor=officer, evaluation=evaluation, version=evaluation.version, marks=FULL_MARKS
    )


@pytest.fixture
def approved(personas, marked):
    """`marked`, submitted and approved by the commune: its set is frozen."""
    evaluation = evaluation_services.evaluation_submit(
        actor=personas["village_officer"], evaluation=marked, version=marked.version
    )
    return evaluation_services.evaluation_approve(
        actor=personas["commune_officer"], evaluation=evaluation, version=evaluation.version
    )

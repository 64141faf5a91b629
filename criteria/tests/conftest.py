import pytest

from criteria import services
from criteria.models import CriteriaSet

from .helpers import completed_household_set


def shipped(legal_number: str) -> CriteriaSet:
    return CriteriaSet.objects.get(is_default=True, legal_number=legal_number)


@pytest.fixture
def household_set(personas):
    """The province officer's own completed household set (of Thái Nguyên): theirs to change."""
    officer = personas["province_officer"]
    return completed_household_set(officer, area=officer.unit)


@pytest.fixture
def frozen_set(household_set):
    """`household_set` as the evaluations services leave it when an evaluation using it is
    approved (evaluations/tests/test_criteria_facts.py shows they do)."""
    services.criteria_set_frozen(household_set)
    return household_set

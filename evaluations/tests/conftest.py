import pytest

from criteria.tests.helpers import completed_household_set
from registry import services as registry_services


@pytest.fixture
def household(admin_user, villages):
    """Make a household of four in one of the shared villages (Sông Cầu's first by default)."""

    def make(name, village="song_cau_1"):
        return registry_services.household_create(
            actor=admin_user, village=villages[village], head_name=name, members=4
        )

    return make


@pytest.fixture
def household_set(admin_user):
    """QĐ 448's learning household set, copied and completed with illustration values."""
    return completed_household_set(admin_user)


FULL_MARKS = {"1.1": 10, "1.2": 10, "1.3": 10, "2.1": 10, "2.2": 20, "3": 20, "4": 20}

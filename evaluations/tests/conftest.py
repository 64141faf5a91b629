from decimal import Decimal

import pytest

from criteria import services as criteria_services
from criteria.models import CriteriaSet
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
    shipped = CriteriaSet.objects.get(is_default=True, title="household")
    copy = criteria_services.criteria_set_clone(actor=admin_user, criteria_set=shipped, name="GĐHT minh hoạ")
    copy.valid_to, copy.pass_total, copy.is_illustration = None, Decimal(70), True
    copy.save()
    for code, max_points in [("2.2", 20), ("3", 20), ("4", 20)]:
        copy.nodes.filter(code=code).update(max_points=max_points)
    assert criteria_services.criteria_set_missing(copy) == []
    return copy


FULL_MARKS = {"1.1": 10, "1.2": 10, "1.3": 10, "2.1": 10, "2.2": 20, "3": 20, "4": 20}

"""A set whose recognitions count in each year they stay valid must not reach into the years of
another set of its title and area (issue 15, item 5: bad input): refused in words naming the other
set and the years, nothing saved."""

import pytest
from django.core.exceptions import ValidationError

from criteria import editing
from criteria.models import CriteriaSet

from .helpers import completed_household_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sets(admin_user):
    first, second = completed_household_set(admin_user), completed_household_set(admin_user)
    first = editing.criteria_set_update(actor=admin_user, criteria_set=first, valid_from=2016, valid_to=2020)
    second = editing.criteria_set_update(
        actor=admin_user, criteria_set=second, name="GĐHT 2021–2030", valid_from=2021, valid_to=None
    )
    return first, second


def test_validity_reaching_another_sets_years_is_refused(admin_user, two_sets):
    first, second = two_sets
    with pytest.raises(ValidationError) as raised:
        editing.criteria_set_update(actor=admin_user, criteria_set=first, validity_years=3, count_each_valid_year=True)
    message = " ".join(raised.value.messages)
    assert "2020" in message and "2022" in message and "GĐHT 2021–2030" in message and "2021" in message
    assert "rút ngắn thời hạn" in message  # in Vietnamese
    first = CriteriaSet.objects.get(pk=first.pk)
    assert (first.validity_years, first.count_each_valid_year) == (1, False)


def test_validity_that_ends_before_the_next_set_or_is_not_counted_each_year_is_accepted(admin_user, two_sets):
    first, _second = two_sets
    editing.criteria_set_update(actor=admin_user, criteria_set=first, validity_years=3)  # counted once
    ended = editing.criteria_set_update(
        actor=admin_user, criteria_set=first, valid_to=2018, validity_years=3, count_each_valid_year=True
    )
    assert (ended.valid_to, ended.validity_years, ended.count_each_valid_year) == (2018, 3, True)


def test_a_provinces_own_set_is_not_held_to_the_national_ones(admin_user, two_sets):
    from conftest import unit

    own = completed_household_set(admin_user, area=unit("2025", "19"))
    own = editing.criteria_set_update(
        actor=admin_user, criteria_set=own, valid_from=2016, valid_to=2020, validity_years=3, count_each_valid_year=True
    )
    assert own.count_each_valid_year

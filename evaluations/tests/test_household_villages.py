"""A household's evaluation holds the village the household lives in (statistics group by it), from
its registration and after the household moves."""

import pytest

from areas import services as area_services
from conftest import unit
from evaluations import services
from evaluations.household_villages import fill_household_villages
from evaluations.models import Evaluation
from registry import services as registry_services

pytestmark = pytest.mark.django_db


def test_an_evaluation_holds_its_households_village_and_moves_with_it(
    personas, admin_user, household_set, household, villages, reform_year
):
    moving = household("Lý Văn An")
    staying = household("Hà Thị Bé")
    evaluation = services.evaluation_register(
        actor=personas["commune_officer"], title="household", year=reform_year, subject=moving
    )
    other = services.evaluation_register(
        actor=personas["commune_officer"], title="household", year=reform_year, subject=staying
    )
    assert evaluation.household_village_id == villages["song_cau_1"].pk

    elsewhere = area_services.village_create(
        actor=admin_user, commune=unit("2025", "01840"), name="Tổ 7", kind="residential_group", from_year=reform_year
    )
    registry_services.household_update(
        actor=admin_user,
        household=moving,
        version=moving.version,
        village=elsewhere,
        head_name=moving.head_name,
        members=moving.members,
        is_active=True,
    )
    evaluation.refresh_from_db()
    other.refresh_from_db()
    assert evaluation.household_village_id == elsewhere.pk
    assert other.household_village_id == villages["song_cau_1"].pk


def test_evaluations_written_in_bulk_get_their_households_village(
    personas, household_set, household, villages, reform_year
):
    evaluation = services.evaluation_register(
        actor=personas["commune_officer"], title="household", year=reform_year, subject=household("An")
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(household_village=None)

    assert fill_household_villages() == 1
    evaluation.refresh_from_db()
    assert evaluation.household_village_id == villages["song_cau_1"].pk

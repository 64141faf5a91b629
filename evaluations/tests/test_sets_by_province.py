"""The criteria set an evaluation is registered with, on the page, through the API and by the
services the imports use: the province's own complete set of the title for the year when it has one,
else the national set; a national set chosen where the province has its own, or another province's
set, is refused and nothing is registered. Criteria sets owned by an area themselves:
criteria/tests/test_sets_by_province.py."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from areas import services as area_services
from areas.models import AdministrativeUnit, Level, Tree
from criteria import editing
from criteria.models import CriteriaSet
from criteria.tests.helpers import completed_household_set
from evaluations import services
from evaluations.importing import default_set
from evaluations.models import Evaluation
from registry import services as registry_services

pytestmark = pytest.mark.django_db


def api_for(account):
    """A client of the API signed in as `account` (the API app's own helper is in a higher layer)."""
    api = APIClient()
    api.force_authenticate(account)
    return api


@pytest.fixture
def ha_noi():
    return AdministrativeUnit.objects.get(tree=Tree.Y2025, level=Level.PROVINCE, code="01")


@pytest.fixture
def ha_noi_officer(ha_noi):
    return User.objects.create_user("p.hanoi", password="x", role=Role.PROVINCE_OFFICER, unit=ha_noi)


@pytest.fixture
def sets(admin_user, personas, ha_noi, ha_noi_officer):
    officer = personas["province_officer"]
    return {
        "national": completed_household_set(admin_user),
        "own": completed_household_set(officer, area=officer.unit),
        "theirs": completed_household_set(ha_noi_officer, area=ha_noi),
    }


@pytest.fixture
def households(admin_user, villages, ha_noi, reform_year):
    """A household in Thái Nguyên (thôn Sông Cầu 1) and one in Hà Nội."""
    communes = AdministrativeUnit.objects.filter(tree=Tree.Y2025, level=Level.COMMUNE, path__startswith=ha_noi.path)
    village = area_services.village_create(
        actor=admin_user,
        commune=communes.order_by("path").first(),
        name="Thôn Một",
        kind="village",
        from_year=reform_year,
    )
    return {
        name: registry_services.household_create(actor=admin_user, village=place, head_name=name, members=4)
        for name, place in (("thai_nguyen", villages["song_cau_1"]), ("ha_noi", village))
    }


def register(actor, household, year, criteria_set=None):
    return services.evaluation_register(
        actor=actor, title="household", year=year, subject=household, criteria_set=criteria_set
    )


def test_left_to_the_services_a_province_takes_its_own_set_and_another_province_the_national_one(
    admin_user, sets, households, reform_year
):
    assert register(admin_user, households["thai_nguyen"], reform_year).criteria_set == sets["own"]
    assert register(admin_user, households["ha_noi"], reform_year).criteria_set == sets["theirs"]
    assert services.criteria_set_for("household", reform_year) == sets["national"]  # no area: the national set


def test_where_the_province_has_no_own_set_for_the_year_the_national_one_is_taken(
    admin_user, sets, households, reform_year
):
    CriteriaSet.objects.filter(pk=sets["theirs"].pk).update(valid_from=reform_year + 1)
    assert register(admin_user, households["ha_noi"], reform_year).criteria_set == sets["national"]


def test_a_provinces_incomplete_set_does_not_take_the_place_of_the_national_one(
    admin_user, personas, households, reform_year
):
    national = completed_household_set(admin_user)
    officer = personas["province_officer"]
    draft = editing.criteria_set_copy(
        actor=officer, criteria_set=CriteriaSet.objects.get(is_default=True, title="household"), name="Nháp"
    )
    assert draft.area == officer.unit
    assert register(admin_user, households["thai_nguyen"], reform_year).criteria_set == national


@pytest.mark.parametrize("key, code", [("national", "province_set"), ("theirs", "other_province")])
def test_a_national_set_where_the_province_has_its_own_or_another_provinces_set_is_refused(
    personas, sets, households, reform_year, key, code
):
    with pytest.raises(ValidationError) as error:
        register(personas["village_officer"], households["thai_nguyen"], reform_year, sets[key])
    assert error.value.code == code
    assert not Evaluation.objects.exists()


def test_the_register_page_takes_the_provinces_own_set_and_refuses_the_national_one(
    client_for, personas, sets, households, reform_year
):
    client = client_for(personas["village_officer"])
    household = households["thai_nguyen"]
    fields = {"title": "household", "year": reform_year, "code": household.code, "criteria_set": sets["national"].pk}
    page = client.post(reverse("evaluations:register"), fields)
    assert page.status_code == 200 and page.context["form"].has_error("__all__", code="province_set")
    assert not Evaluation.objects.exists()
    response = client.post(reverse("evaluations:register"), {**fields, "criteria_set": ""})
    assert response.status_code == 302
    assert Evaluation.objects.get(household=household).criteria_set == sets["own"]


def test_the_api_registers_with_the_provinces_own_set_and_refuses_another_provinces(
    personas, sets, households, reform_year
):
    api = api_for(personas["village_officer"])
    household = households["thai_nguyen"]
    body = {"title": "household", "year": reform_year, "subject": household.code}
    refused = api.post("/api/v1/evaluations/", {**body, "criteria_set": sets["theirs"].pk}, format="json")
    assert refused.status_code == 400 and not Evaluation.objects.exists()
    answer = api.post("/api/v1/evaluations/", body, format="json")
    assert answer.status_code == 201, answer.data
    assert answer.data["criteria_set"] == sets["own"].pk


def test_the_grid_proposes_the_provinces_own_set_and_lists_no_other_provinces(
    client_for, personas, sets, households, villages, reform_year
):
    url = reverse("evaluations:grid", args=[villages["song_cau_1"].code, reform_year])
    page = client_for(personas["village_officer"]).get(url)
    assert page.status_code == 200
    assert page.context["criteria_set"] == sets["own"]
    assert page.context["sets"] == [sets["own"]]  # the national set is refused here, another province's unseen


def test_the_register_form_offers_no_other_provinces_set(client_for, personas, sets, reform_year):
    page = client_for(personas["province_officer"]).get(
        reverse("evaluations:register"), {"title": "household", "year": reform_year}
    )
    offered = set(page.context["form"].fields["criteria_set"].queryset)
    assert sets["own"] in offered and sets["theirs"] not in offered


def test_the_marks_template_is_made_from_the_provinces_own_set(personas, sets, reform_year):
    assert default_set(reform_year, personas["province_officer"]) == sets["own"]
    assert default_set(reform_year, personas["commune_officer"]) == sets["own"]


def test_the_api_does_not_name_another_provinces_set_even_to_refuse_it(personas, sets, households, reform_year):
    api = api_for(personas["village_officer"])
    body = {"title": "household", "year": reform_year, "subject": households["thai_nguyen"].code}
    refused = api.post("/api/v1/evaluations/", {**body, "criteria_set": sets["theirs"].pk}, format="json")
    assert refused.status_code == 400
    assert sets["theirs"].name not in refused.content.decode()

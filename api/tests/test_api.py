"""The API at /api/v1/ answers exactly what the pages show each persona, and documents itself."""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import hash_key
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_the_openapi_schema_lists_the_area_routes(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/units/" in schema["paths"] and "/api/v1/villages/{code}/" in schema["paths"]


def test_anonymous_callers_get_nothing(api, villages):
    assert api.get("/api/v1/units/").status_code in (401, 403)
    assert api.get("/api/v1/villages/01837-001/").status_code in (401, 403)


def test_a_token_from_user_name_and_password_authenticates(api, personas):
    response = api.post("/api/v1/auth/token/", {"username": "c.backan", "password": PASSWORD})
    assert response.status_code == 201
    token = response.json()["token"]
    assert ApiToken.objects.get(key_hash=hash_key(token)).user == personas["commune_officer"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = api.get("/api/v1/units/?tree=2025").json()
    assert [u["code"] for u in listing["results"]] == ["01843"]


def test_a_commune_officer_sees_their_commune_and_the_old_communes_it_was_formed_from(api, personas):
    api.force_authenticate(personas["commune_officer"])
    codes = {(u["tree"], u["code"]) for u in api.get("/api/v1/units/?page_size=100").json()["results"]}
    assert codes == {
        ("2025", "01843"),
        ("pre2025", "01837"),
        ("pre2025", "01843"),
        ("pre2025", "01852"),
        ("pre2025", "01855"),
    }


def test_unit_detail_has_its_lineage_and_outside_units_are_404(api, personas):
    api.force_authenticate(personas["commune_officer"])
    detail = api.get("/api/v1/units/2025:01843/").json()
    assert detail["name"] == "Phường Bắc Kạn"
    assert {p["code"] for p in detail["predecessors"]} == {"01837", "01843", "01852", "01855"}
    assert api.get("/api/v1/units/2025:01840/").status_code == 404
    assert api.get("/api/v1/units/pre2025:02035/").status_code == 404


def test_villages_are_scoped_and_carry_their_placements(api, personas, reform_year):
    api.force_authenticate(personas["district_officer"])
    codes = [v["code"] for v in api.get("/api/v1/villages/").json()["results"]]
    assert codes == ["02035-001"]
    assert api.get("/api/v1/villages/01837-001/").status_code == 404
    api.force_authenticate(personas["commune_officer"])
    village = api.get("/api/v1/villages/01837-001/").json()
    assert [(p["commune_tree"], p["commune_code"], p["from_year"], p["to_year"]) for p in village["placements"]] == [
        ("pre2025", "01837", 2016, reform_year - 1),
        ("2025", "01843", reform_year, None),
    ]


def test_unit_search_without_diacritics(api, personas):
    api.force_authenticate(personas["province_officer"])
    names = [u["name"] for u in api.get("/api/v1/units/", {"q": "bac kan"}).json()["results"]]
    assert "Tỉnh Bắc Kạn" in names and "Phường Bắc Kạn" in names


def test_an_unknown_tree_is_a_clear_400(api, personas):
    api.force_authenticate(personas["province_officer"])
    response = api.get("/api/v1/units/?tree=1990")
    assert response.status_code == 400


def test_the_schema_generates_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")

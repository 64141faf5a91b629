"""The study-promotion network through the API: associations and their yearly figures, the yearly base of
areas; saved by the services of the network page, in the caller's area only, every change in the history."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEntry
from conftest import unit
from registry import network
from registry.models import AreaYear, Association, AssociationYear

from .clients import ANONYMOUS, api_for, statuses

pytestmark = pytest.mark.django_db

OLD_YEAR = 2020
COUNTS = {
    "members": 1200,
    "village_branches": 9,
    "agency_branches": 3,
    "agency_boards": 2,
    "school_boards": 4,
    "clan_boards": 5,
}


@pytest.fixture
def associations(personas):
    """The association of new Phường Bắc Kạn (2025 tree) and of old Chợ Đồn district (pre-2025 tree)."""
    return {
        "new": network.association_create(
            actor=personas["commune_officer"],
            level="commune",
            area=unit("2025", "01843"),
            name="Hội Khuyến học phường Bắc Kạn",
        ),
        "old": network.association_create(
            actor=personas["district_officer"],
            level="district",
            area=unit("pre2025", "064"),
            name="Hội Khuyến học huyện Chợ Đồn",
        ),
    }


@pytest.fixture
def years(personas, associations, reform_year):
    """A year of figures for each association, and the base of each area."""
    made = {}
    for where, actor, year, area in [
        ("new", "commune_officer", reform_year, ("2025", "01843")),
        ("old", "district_officer", OLD_YEAR, ("pre2025", "064")),
    ]:
        made[("association-years", where)] = network.association_year_save(
            actor=personas[actor], association=associations[where], year=year, **COUNTS
        ).pk
        made[("area-years", where)] = network.area_year_save(
            actor=personas[actor], area=unit(*area), year=year, population=8000
        ).pk
        made[("associations", where)] = associations[where].pk
    return made


def association_body(where, **changes):
    level, tree, code = {"new": ("commune", "2025", "01843"), "old": ("district", "pre2025", "064")}[where]
    return {"level": level, "area_tree": tree, "area_code": code, "name": "Hội Khuyến học mới", **changes}


# In scope / out of scope for each persona: the new commune's records and the old district's.
CREATE_MATRIX = [
    ("province_officer", "new", 201),
    ("province_officer", "old", 201),
    ("district_officer", "old", 201),
    ("district_officer", "new", 400),
    ("other_district_officer", "old", 400),
    ("commune_officer", "new", 201),
    ("commune_officer", "old", 400),
    ("other_commune_officer", "new", 400),
    ("viewer", "new", 403),
    ("village_officer", "new", 403),
    ("anonymous", "new", ANONYMOUS),
]


@pytest.mark.parametrize("persona, where, expected", CREATE_MATRIX)
def test_who_may_add_an_association_and_where(personas, persona, where, expected):
    response = api_for(personas[persona]).post("/api/v1/associations/", association_body(where), format="json")
    assert response.status_code in statuses(expected)
    assert Association.objects.count() == (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("persona, where, expected", CREATE_MATRIX)
def test_who_may_save_an_associations_year_and_where(personas, associations, reform_year, persona, where, expected):
    year = reform_year if where == "new" else OLD_YEAR
    body = {"association": associations[where].pk, "year": year, **COUNTS}
    response = api_for(personas[persona]).post("/api/v1/association-years/", body, format="json")
    assert response.status_code in statuses(expected)
    assert AssociationYear.objects.count() == (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("persona, where, expected", CREATE_MATRIX)
def test_who_may_save_an_areas_yearly_base_and_where(personas, reform_year, persona, where, expected):
    tree, code, year = ("2025", "01843", reform_year) if where == "new" else ("pre2025", "064", OLD_YEAR)
    body = {"area_tree": tree, "area_code": code, "year": year, "population": 8421}
    response = api_for(personas[persona]).post("/api/v1/area-years/", body, format="json")
    assert response.status_code in statuses(expected)
    assert AreaYear.objects.count() == (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("resource", ["associations", "association-years", "area-years"])
@pytest.mark.parametrize(
    "persona, where, expected",
    [
        ("province_officer", "new", 200),
        ("province_officer", "old", 200),
        ("district_officer", "old", 200),
        ("district_officer", "new", 404),
        ("commune_officer", "new", 200),
        ("commune_officer", "old", 404),
        ("other_commune_officer", "new", 404),
        ("viewer", "new", 200),
        ("village_officer", "new", 200),
        ("anonymous", "new", ANONYMOUS),
    ],
)
def test_who_may_read_a_network_record_and_its_history(personas, years, resource, persona, where, expected):
    api = api_for(personas[persona])
    for url in (
        f"/api/v1/{resource}/{years[(resource, where)]}/",
        f"/api/v1/{resource}/{years[(resource, where)]}/history/",
    ):
        assert api.get(url).status_code in statuses(expected)


def test_posting_a_year_again_replaces_its_figures_with_history(personas, associations, reform_year):
    api = api_for(personas["commune_officer"])
    body = {"association": associations["new"].pk, "year": reform_year, **COUNTS}
    created = api.post("/api/v1/association-years/", body, format="json")
    assert created.status_code == 201
    replaced = api.post("/api/v1/association-years/", {**body, "members": 1250, "version": 1}, format="json")
    assert replaced.status_code == 200 and replaced.json()["id"] == created.json()["id"]
    assert AssociationYear.objects.get().members == 1250
    history = api.get(f"/api/v1/association-years/{created.json()['id']}/history/").json()["results"]
    assert [(e["action"], e["actor"]) for e in history] == [("association_year.save", "c.backan")] * 2
    assert (history[0]["before"]["members"], history[0]["after"]["members"]) == (1200, 1250)
    assert history[1]["before"] is None
    nested = api.get(f"/api/v1/associations/{associations['new'].pk}/").json()["years"]
    assert [(y["year"], y["members"]) for y in nested] == [(reform_year, 1250)]


def test_the_yearly_base_may_be_partly_known_and_is_replaced_as_a_whole(personas, reform_year):
    api = api_for(personas["commune_officer"])
    body = {"area_tree": "2025", "area_code": "01843", "year": reform_year}
    first = api.post("/api/v1/area-years/", {**body, "population": 8421, "fund_vnd": 12_500_000_000}, format="json")
    assert first.status_code == 201
    assert (first.json()["population"], first.json()["households"]) == (8421, None)
    second = api.post("/api/v1/area-years/", {**body, "households": 2310, "version": 1}, format="json")
    assert second.status_code == 200
    row = AreaYear.objects.get()
    assert (row.population, row.households, row.fund_vnd) == (None, 2310, None)
    history = api.get(f"/api/v1/area-years/{row.pk}/history/").json()["results"]
    assert [e["action"] for e in history] == ["area_year.save"] * 2
    assert (history[0]["before"]["population"], history[0]["after"]["households"]) == (8421, 2310)


def test_an_association_added_through_the_api_has_its_history(personas):
    api = api_for(personas["province_officer"])
    body = {"level": "province_school", "area_tree": "2025", "area_code": "19", "name": "Hội Khuyến học Trường CĐ"}
    created = api.post("/api/v1/associations/", body, format="json")
    assert created.status_code == 201 and created.json()["years"] == []
    history = api.get(f"/api/v1/associations/{created.json()['id']}/history/").json()["results"]
    assert [(e["action"], e["actor"], e["after"]["name"]) for e in history] == [
        ("association.create", "p.thainguyen", "Hội Khuyến học Trường CĐ")
    ]


@pytest.mark.parametrize(
    "url, body, field",
    [
        ("/api/v1/associations/", association_body("new", level="province"), "area_code"),
        ("/api/v1/associations/", association_body("new", level="club"), "level"),
        ("/api/v1/associations/", association_body("new", name=""), "name"),
        ("/api/v1/associations/", association_body("new", name="hội khuyến học phường bắc kạn"), "name"),
        ("/api/v1/association-years/", {"year": "{year}", **COUNTS, "members": -1}, "members"),
        ("/api/v1/association-years/", {"year": "{year}", **COUNTS, "clan_boards": 2.5}, "clan_boards"),
        ("/api/v1/association-years/", {"year": 2020, **COUNTS}, "year"),  # not on the 2025 tree
        ("/api/v1/association-years/", {"year": "{year}", "members": 5}, "school_boards"),
        ("/api/v1/area-years/", {"area_tree": "2025", "area_code": "01843", "year": 1990}, "year"),
        (
            "/api/v1/area-years/",
            {"area_tree": "2025", "area_code": "01843", "year": "{year}", "population": -5},
            "population",
        ),
    ],
)
def test_a_bad_value_is_a_400_naming_the_field_and_saves_nothing(personas, associations, reform_year, url, body, field):
    body = {key: reform_year if value == "{year}" else value for key, value in body.items()}
    if "association-years" in url:
        body["association"] = associations["new"].pk
    entries = AuditEntry.objects.count()
    response = api_for(personas["commune_officer"]).post(url, body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert (Association.objects.count(), AssociationYear.objects.count(), AreaYear.objects.count()) == (2, 0, 0)
    assert AuditEntry.objects.count() == entries


def test_an_association_of_another_area_is_unknown_to_the_officer(personas, associations, reform_year):
    body = {"association": associations["old"].pk, "year": OLD_YEAR, **COUNTS}
    response = api_for(personas["commune_officer"]).post("/api/v1/association-years/", body, format="json")
    assert response.status_code == 400 and "association" in response.json()


def test_network_lists_filter_by_area_subtree_level_and_year(personas, years, reform_year):
    api = api_for(personas["province_officer"])

    def names(url, **params):
        response = api.get(url, params)
        assert response.status_code == 200
        return [
            row.get("name") or row.get("association_name") or row["area_code"] for row in response.json()["results"]
        ]

    assert names("/api/v1/associations/", area="2025:19") == ["Hội Khuyến học phường Bắc Kạn"]
    assert names("/api/v1/associations/", area="pre2025:06") == ["Hội Khuyến học huyện Chợ Đồn"]
    assert names("/api/v1/associations/", area="pre2025:064", level="commune") == []
    assert names("/api/v1/associations/", level="district") == ["Hội Khuyến học huyện Chợ Đồn"]
    assert names("/api/v1/association-years/", year=OLD_YEAR) == ["Hội Khuyến học huyện Chợ Đồn"]
    assert names("/api/v1/association-years/", area="2025:01843", year=reform_year) == ["Hội Khuyến học phường Bắc Kạn"]
    assert names("/api/v1/area-years/", area="pre2025:06") == ["064"]
    assert names("/api/v1/area-years/", year=reform_year) == ["01843"]
    refused = [
        ("/api/v1/associations/", {"area": "01843"}),
        ("/api/v1/associations/", {"level": "club"}),
        ("/api/v1/area-years/", {"area": "2025:99"}),
        ("/api/v1/area-years/", {"year": "last"}),
    ]
    for url, params in refused:
        assert api.get(url, params).status_code == 400


def test_network_lists_are_scoped(personas, years):
    api = api_for(personas["commune_officer"])
    for resource in ("associations", "association-years", "area-years"):
        assert api.get(f"/api/v1/{resource}/").json()["count"] == 1
    api = api_for(personas["other_commune_officer"])
    for resource in ("associations", "association-years", "area-years"):
        assert api.get(f"/api/v1/{resource}/").json()["count"] == 0


def test_the_schema_documents_the_network_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    paths = APIClient().get("/api/v1/openapi.json").json()["paths"]
    for resource in ("associations", "association-years", "area-years"):
        assert {"get", "post"} <= set(paths[f"/api/v1/{resource}/"])
        assert "get" in paths[f"/api/v1/{resource}/{{id}}/history/"]
    assert {"200", "201"} <= set(paths["/api/v1/area-years/"]["post"]["responses"])

"""Clans and units through the API: written by the same services as the pages, in the caller's area only,
every change in the record's history."""

import pytest
from rest_framework.test import APIClient

from accounts.tokens import token_issue
from audit.models import AuditEntry
from conftest import unit
from registry import services
from registry.models import Clan, Organisation

from .clients import ANONYMOUS, api_for, statuses

pytestmark = pytest.mark.django_db

NEW, OLD = ("2025", "01843"), ("pre2025", "02035")  # Phường Bắc Kạn (2025); Xã Bản Thi, old Chợ Đồn district


def clan_body(tree, commune, **changes):
    return {"name": "Họ Lý", "commune_tree": tree, "commune_code": commune, "member_households": 12, **changes}


def unit_body(tree, area, **changes):
    return {
        "name": "Trường Tiểu học Sông Cầu",
        "kind": "school",
        "managing_level": "commune",
        "area_tree": tree,
        "area_code": area,
        **changes,
    }


BODIES = {"clans": clan_body, "organisations": unit_body}
MODELS = {"clans": Clan, "organisations": Organisation}


@pytest.fixture
def records(personas, villages):
    """One clan and one unit at the new commune (by its officer), one of each at the old one (by the district).
    The new commune's clan spans the village officer's village, so that officer sees it (and no other)."""
    made = {}
    for where, tree_code, actor in [("new", NEW, "commune_officer"), ("old", OLD, "district_officer")]:
        area = unit(*tree_code)
        clan = services.clan_save(
            actor=personas[actor],
            clan=None,
            commune=area,
            name="Họ Hoàng",
            head_name="Hoàng Văn Tộc",
            member_households=42,
            has_board=where == "new",
            villages=[villages["song_cau_1"]] if where == "new" else [],
        )
        organisation = services.organisation_save(
            actor=personas[actor],
            organisation=None,
            name="Công ty Chè",
            kind="enterprise",
            managing_level="commune",
            area=area,
        )
        made[("clans", where)] = clan.code
        made[("organisations", where)] = organisation.code
    return made


@pytest.mark.parametrize("resource", ["clans", "organisations"])
@pytest.mark.parametrize(
    "persona, where, expected",
    [
        ("province_officer", NEW, 201),
        ("province_officer", OLD, 201),
        ("district_officer", OLD, 201),
        ("district_officer", NEW, 400),
        ("other_district_officer", OLD, 400),
        ("commune_officer", NEW, 201),
        ("commune_officer", OLD, 400),
        ("other_commune_officer", NEW, 400),
        ("viewer", NEW, 403),
        ("village_officer", NEW, 403),
        ("anonymous", NEW, ANONYMOUS),
    ],
)
def test_who_may_add_a_clan_or_unit_and_where(personas, resource, persona, where, expected):
    response = api_for(personas[persona]).post(f"/api/v1/{resource}/", BODIES[resource](*where), format="json")
    assert response.status_code in statuses(expected)
    assert MODELS[resource].objects.count() == (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("resource", ["clans", "organisations"])
@pytest.mark.parametrize(
    "persona, where, expected",
    [
        ("province_officer", "new", 200),
        ("province_officer", "old", 200),
        ("district_officer", "old", 200),
        ("district_officer", "new", 404),
        ("other_district_officer", "old", 404),
        ("commune_officer", "new", 200),
        ("commune_officer", "old", 404),
        ("other_commune_officer", "new", 404),
        ("viewer", "new", 403),
        ("village_officer", "new", 403),
        ("village_officer", "old", 404),
        ("anonymous", "new", ANONYMOUS),
    ],
)
def test_who_may_change_a_clan_or_unit(personas, records, resource, persona, where, expected):
    code = records[(resource, where)]
    response = api_for(personas[persona]).patch(
        f"/api/v1/{resource}/{code}/", {"name": "Đổi tên", "version": 1}, format="json"
    )
    assert response.status_code in statuses(expected)
    assert MODELS[resource].objects.filter(name="Đổi tên").count() == (1 if response.status_code == 200 else 0)


@pytest.mark.parametrize("resource", ["clans", "organisations"])
@pytest.mark.parametrize(
    "persona, where, expected",
    [
        ("province_officer", "old", 200),
        ("district_officer", "new", 404),
        ("commune_officer", "new", 200),
        ("other_commune_officer", "new", 404),
        ("viewer", "new", 200),
        ("village_officer", "new", 200),
        ("anonymous", "new", ANONYMOUS),
    ],
)
def test_who_may_read_the_history_of_a_clan_or_unit(personas, records, resource, persona, where, expected):
    code = records[(resource, where)]
    response = api_for(personas[persona]).get(f"/api/v1/{resource}/{code}/history/")
    assert response.status_code in statuses(expected)


def test_a_clan_added_and_changed_through_the_api_has_its_history(personas, villages):
    api = APIClient()
    officer = personas["commune_officer"]
    _token, key = token_issue(actor=officer, account=officer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = clan_body(*NEW, code="ANYTHING", villages=["01837-001", "01837-002"], has_board=True, head_name="Lý Văn A")
    created = api.post("/api/v1/clans/", body, format="json")
    assert created.status_code == 201
    clan = created.json()
    assert clan["code"] == "01843-DH-0001"  # issued by the service, never the caller's
    assert (clan["villages"], clan["commune_tree"], clan["commune_code"]) == (["01837-001", "01837-002"], *NEW)
    changed = api.patch(
        f"/api/v1/clans/{clan['code']}/",
        {"member_households": 15, "villages": [], "version": clan["version"]},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["villages"] == []
    history = api.get(f"/api/v1/clans/{clan['code']}/history/").json()["results"]
    assert [(e["action"], e["actor"]) for e in history] == [("clan.update", "c.backan"), ("clan.create", "c.backan")]
    assert history[0]["before"]["member_households"] == 12 and history[0]["after"]["member_households"] == 15
    assert history[0]["after"]["villages"] == [] and history[1]["before"] is None
    assert history[0]["created_at"]


def test_a_unit_replaced_with_put_keeps_its_code_and_records_before_and_after(personas, records):
    code = records[("organisations", "new")]
    api = api_for(personas["province_officer"])
    body = unit_body("2025", "19", name="Sở Giáo dục và Đào tạo", kind="agency", managing_level="province", version=1)
    response = api.put(f"/api/v1/organisations/{code}/", body, format="json")
    assert response.status_code == 200
    assert (response.json()["code"], response.json()["area_code"]) == (code, "19")
    entry = api.get(f"/api/v1/organisations/{code}/history/").json()["results"][0]
    assert (entry["action"], entry["actor"]) == ("organisation.update", "p.thainguyen")
    assert (entry["before"]["kind"], entry["after"]["kind"]) == ("enterprise", "agency")


@pytest.mark.parametrize(
    "resource, body, field",
    [
        ("clans", clan_body(*NEW, member_households=0), "member_households"),
        ("clans", clan_body(*NEW, member_households="nhiều"), "member_households"),
        ("clans", clan_body(*NEW, name="   "), "name"),
        ("clans", clan_body("2025", "01840"), "commune_code"),  # the other commune, outside the officer's area
        ("clans", clan_body("2025", "99999"), "commune_code"),
        ("clans", clan_body(*NEW, villages=["02035-001"]), "villages"),  # a village outside the officer's area
        ("clans", clan_body("1990", "01843"), "commune_tree"),
        ("organisations", unit_body(*NEW, kind="bakery"), "kind"),
        ("organisations", unit_body(*NEW, managing_level="province"), "area_code"),
        ("organisations", unit_body(*NEW, name="x" * 201), "name"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_field_and_saves_nothing(personas, villages, resource, body, field):
    response = api_for(personas["commune_officer"]).post(f"/api/v1/{resource}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not MODELS[resource].objects.exists()
    assert not AuditEntry.objects.filter(action__in=["clan.create", "organisation.create"]).exists()


@pytest.mark.parametrize(
    "resource, change, field",
    [
        ("clans", {"name": ""}, "name"),
        ("clans", {"member_households": -1}, "member_households"),
        ("clans", {"commune_code": "01840"}, "commune_code"),  # the other commune: outside the officer's area
        ("organisations", {"managing_level": "district"}, "area_code"),  # no district on the 2025 tree
    ],
)
def test_a_bad_change_is_a_400_naming_the_field_and_changes_nothing(personas, records, resource, change, field):
    code = records[(resource, "new")]
    before = MODELS[resource].objects.values().get(code=code)
    entries = AuditEntry.objects.count()
    response = api_for(personas["commune_officer"]).patch(
        f"/api/v1/{resource}/{code}/", {**change, "version": 1}, format="json"
    )
    assert response.status_code == 400 and field in response.json()
    assert MODELS[resource].objects.values().get(code=code) == before
    assert AuditEntry.objects.count() == entries


def test_a_clan_is_registered_at_a_commune_not_a_province(personas):
    response = api_for(personas["province_officer"]).post("/api/v1/clans/", clan_body("2025", "19"), format="json")
    assert response.status_code == 400 and "commune_code" in response.json()
    assert not Clan.objects.exists()


def test_a_change_that_changes_nothing_writes_no_history(personas, records):
    code = records[("clans", "new")]
    api = api_for(personas["commune_officer"])
    assert api.patch(f"/api/v1/clans/{code}/", {"name": "Họ Hoàng", "version": 1}, format="json").status_code == 200
    assert len(api.get(f"/api/v1/clans/{code}/history/").json()["results"]) == 1


def test_clans_are_searched_without_diacritics_and_filtered_by_commune_and_board(personas, records):
    api = api_for(personas["province_officer"])

    def codes(**params):
        response = api.get("/api/v1/clans/", params)
        assert response.status_code == 200
        return [c["code"] for c in response.json()["results"]]

    both = [records[("clans", "new")], records[("clans", "old")]]
    assert codes(q="ho hoang") == codes(q="Họ  Hoàng") == both
    assert codes(q="ho ly") == []
    assert codes(commune="01843") == codes(commune="2025:01843") == [records[("clans", "new")]]
    assert codes(commune="pre2025:01843") == []
    assert codes(has_board="true") == [records[("clans", "new")]]
    assert codes(has_board="false") == [records[("clans", "old")]]
    assert api.get("/api/v1/clans/", {"has_board": "maybe"}).status_code == 400


def test_units_are_filtered_by_kind_and_area_and_paginated(personas, records):
    api = api_for(personas["province_officer"])
    listing = api.get("/api/v1/organisations/", {"page_size": 1}).json()
    assert listing["count"] == 2 and len(listing["results"]) == 1 and listing["next"]
    assert api.get("/api/v1/organisations/", {"kind": "school"}).json()["results"] == []
    enterprises = api.get("/api/v1/organisations/", {"kind": "enterprise", "area": "pre2025:02035"}).json()
    assert [o["code"] for o in enterprises["results"]] == [records[("organisations", "old")]]
    assert [o["code"] for o in api.get("/api/v1/organisations/", {"q": "cong ty che"}).json()["results"]] == [
        records[("organisations", "new")],
        records[("organisations", "old")],
    ]
    assert api.get("/api/v1/organisations/", {"kind": "bakery"}).status_code == 400


def test_the_schema_documents_the_writes_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    schema = APIClient().get("/api/v1/openapi.json").json()
    for resource in ("clans", "organisations"):
        assert {"get", "post"} <= set(schema["paths"][f"/api/v1/{resource}/"])
        assert {"get", "put", "patch"} <= set(schema["paths"][f"/api/v1/{resource}/{{code}}/"])
    assert schema["components"]["schemas"]["Clan"]["properties"]["code"]["readOnly"] is True

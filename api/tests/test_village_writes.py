"""Villages through the API (issue 15): created, renamed and moved to another commune from a year by the
areas' services, in the caller's area only, every change in the village's history; the pages' rules
(names, trees, versions) answer as 400 or 409 naming the field."""

import pytest

from areas.models import Village
from audit.models import AuditEntry

from .clients import ANONYMOUS, api_for, statuses

pytestmark = pytest.mark.django_db


def body(**changes):
    return {
        "name": "Thôn Nà Cù",
        "kind": "village",
        "commune_tree": "2025",
        "commune_code": "01843",
        "from_year": 2025,
        **changes,
    }


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("province_officer", 201),
        ("commune_officer", 201),
        ("other_commune_officer", 400),  # Phường Bắc Kạn is not in their area: an unknown commune to them
        ("village_officer", 403),
        ("viewer", 403),
        ("anonymous", ANONYMOUS),
    ],
)
def test_who_may_create_a_village(personas, persona, expected):
    response = api_for(personas[persona]).post("/api/v1/villages/", body(), format="json")
    assert response.status_code in statuses(expected), response.content
    created = Village.objects.filter(name="Thôn Nà Cù")
    if expected == 201:
        village = created.get()
        assert response.json()["code"] == village.code and village.code.startswith("01843-")
        assert response.json()["placements"][0]["commune_code"] == "01843"
        assert AuditEntry.objects.filter(
            object_type="areas.village", object_id=str(village.pk), action="village.create"
        ).exists()
    else:
        assert not created.exists()
    if expected == 400:
        assert "commune_code" in response.json()


def test_create_refuses_bad_input_naming_the_field(personas):
    api = api_for(personas["commune_officer"])
    cases = [
        (body(name=""), "name"),
        (body(name="tổ dân phố 1"), "name"),  # Tổ dân phố 1 is there already
        (body(kind="castle"), "kind"),
        (body(from_year=2020), "from_year"),  # 2020 is on the old tree
        (body(from_year="2025.5"), "from_year"),
        (body(commune_code="19"), "commune_code"),  # a province, not a commune
    ]
    for data, field in cases:
        response = api.post("/api/v1/villages/", data, format="json")
        assert response.status_code == 400, (data, response.content)
        assert field in response.json(), (data, response.json())
    assert not Village.objects.filter(name__in=["", "castle"]).exists()
    assert Village.objects.filter(name__iexact="tổ dân phố 1").count() == 1


def test_rename_and_kind_need_the_version_read(personas, villages):
    api = api_for(personas["commune_officer"])
    code = villages["song_cau_1"].code
    read = api.get(f"/api/v1/villages/{code}/").json()
    assert read["version"] == 1
    assert api.patch(f"/api/v1/villages/{code}/", {"name": "Tổ dân phố Một"}, format="json").status_code == 400
    changed = api.patch(
        f"/api/v1/villages/{code}/", {"name": "Tổ dân phố Một", "kind": "sub_area", "version": 1}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["kind"], changed.json()["version"]) == (
        "Tổ dân phố Một",
        "sub_area",
        2,
    )
    stale = api.patch(f"/api/v1/villages/{code}/", {"name": "Tổ dân phố Hai", "version": 1}, format="json")
    assert stale.status_code == 409
    clash = api.patch(f"/api/v1/villages/{code}/", {"name": "TỔ DÂN PHỐ 2", "version": 2}, format="json")
    assert clash.status_code == 400 and "name" in clash.json()
    village = Village.objects.get(code=code)
    assert village.name == "Tổ dân phố Một"
    history = api.get(f"/api/v1/villages/{code}/history/")
    assert history.status_code == 200
    assert [e["action"] for e in history.json()["results"]][:1] == ["village.update"]


def test_a_village_moves_to_another_commune_from_a_year(personas, villages):
    code = villages["song_cau_2"].code
    province = api_for(personas["province_officer"])
    moved = province.post(
        f"/api/v1/villages/{code}/move/",
        {"commune_tree": "2025", "commune_code": "01840", "from_year": 2026},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    spans = [(p["commune_code"], p["from_year"], p["to_year"]) for p in moved.json()["placements"]]
    assert spans == [("01837", 2016, 2024), ("01843", 2025, 2025), ("01840", 2026, None)]
    assert AuditEntry.objects.filter(object_id=str(villages["song_cau_2"].pk), action="village.move").count() == 2


def test_a_move_outside_the_area_or_onto_a_wrong_tree_is_refused(personas, villages):
    code = villages["song_cau_1"].code
    commune = api_for(personas["commune_officer"])
    outside = commune.post(
        f"/api/v1/villages/{code}/move/",
        {"commune_tree": "2025", "commune_code": "01840", "from_year": 2026},
        format="json",
    )
    assert outside.status_code == 400 and "commune_code" in outside.json()
    wrong_tree = commune.post(
        f"/api/v1/villages/{code}/move/",
        {"commune_tree": "2025", "commune_code": "01843", "from_year": 2019},
        format="json",
    )
    assert wrong_tree.status_code == 400 and "from_year" in wrong_tree.json()
    other = api_for(personas["other_commune_officer"]).post(
        f"/api/v1/villages/{code}/move/",
        {"commune_tree": "2025", "commune_code": "01840", "from_year": 2026},
        format="json",
    )
    assert other.status_code == 404
    viewer = api_for(personas["viewer"]).post(
        f"/api/v1/villages/{code}/move/",
        {"commune_tree": "2025", "commune_code": "01843", "from_year": 2026},
        format="json",
    )
    assert viewer.status_code == 403
    assert villages["song_cau_1"].placement_in(2026).commune.code == "01843"

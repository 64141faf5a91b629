"""Criteria sets owned by an area: national sets (no area) are changed by system administrators only;
a province officer's sets are their province's own, used by evaluations there instead of the national
ones, and invisible to other provinces (404 on every page and API route, nothing changed). A province
officer changing a national set changes their province's own copy of it, made then; the national set
stays as it was. Officers below the province and viewers read the sets that apply to them and change
none (403)."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from areas.models import AdministrativeUnit, Level, Tree
from audit.models import AuditEntry
from criteria import editing, services
from criteria.models import CriteriaSet
from criteria.yaml_io import set_to_yaml

from .conftest import shipped
from .helpers import completed_household_set, node_form, set_form

pytestmark = pytest.mark.django_db


def api_for(account):
    """A client of the API signed in as `account` (the API app's own helper is in a higher layer)."""
    api = APIClient()
    api.force_authenticate(account)
    return api


TT22 = "22/2020/TT-BGDĐT"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def thai_nguyen(personas):
    return personas["province_officer"].unit


@pytest.fixture
def ha_noi():
    return AdministrativeUnit.objects.get(tree=Tree.Y2025, level=Level.PROVINCE, code="01")


@pytest.fixture
def ha_noi_officer(ha_noi):
    return User.objects.create_user("p.hanoi", password="x", role=Role.PROVINCE_OFFICER, unit=ha_noi)


@pytest.fixture
def sets(admin_user, personas, thai_nguyen, ha_noi, ha_noi_officer):
    """A national household set (the system administrator's), Thái Nguyên's own and Hà Nội's own;
    Hà Nội also has its own copy of the shipped unit set, which has ratings."""
    national = completed_household_set(admin_user)
    own = completed_household_set(personas["province_officer"], area=thai_nguyen)
    theirs = completed_household_set(ha_noi_officer, area=ha_noi)
    rated = editing.criteria_set_copy(actor=ha_noi_officer, criteria_set=shipped(TT22), name="ĐVHT Hà Nội")
    return {"national": national, "own": own, "theirs": theirs, "rated": rated}


def audit_count() -> int:
    return AuditEntry.objects.count()


def snapshot(criteria_set: CriteriaSet):
    criteria_set = CriteriaSet.objects.get(pk=criteria_set.pk)
    return (
        editing._set_snapshot(criteria_set),
        list(criteria_set.nodes.order_by("position").values_list("code", "name", "max_points", "position")),
        list(criteria_set.bands.order_by("position").values_list("code", "label", "min_total")),
    )


def routes(criteria_set: CriteriaSet) -> list[tuple[str, str, dict]]:
    """Every page route of one set, with the method and a valid body: (method, url, data)."""
    node = criteria_set.nodes.order_by("position").last()
    band = criteria_set.bands.order_by("position").first()
    pk = criteria_set.pk
    found = [
        ("get", reverse("criteria:detail", args=[pk]), {}),
        ("get", reverse("criteria:export_yaml", args=[pk]), {}),
        ("get", reverse("criteria:export_xlsx", args=[pk]), {}),
        ("post", reverse("criteria:copy", args=[pk]), {"name": "Bản sao"}),
        ("get", reverse("criteria:edit", args=[pk]), {}),
        ("post", reverse("criteria:edit", args=[pk]), set_form(criteria_set, name="Đổi tên")),
        ("get", reverse("criteria:node_create", args=[pk]), {}),
        (
            "post",
            reverse("criteria:node_create", args=[pk]),
            {"code": "9", "parent_code": "", "kind": "criterion", "name": "Mới", "scoring": "points", "max_points": 5},
        ),
        ("get", reverse("criteria:node", args=[pk, node.pk]), {}),
        ("post", reverse("criteria:node", args=[pk, node.pk]), node_form(node, name="Đổi")),
        ("get", reverse("criteria:node_delete", args=[pk, node.pk]), {}),
        ("post", reverse("criteria:node_delete", args=[pk, node.pk]), {}),
        ("post", reverse("criteria:node_move", args=[pk, node.pk]), {"direction": "up"}),
        ("get", reverse("criteria:band_create", args=[pk]), {}),
        ("post", reverse("criteria:band_create", args=[pk]), {"code": "moi", "label": "Mới", "min_total": "1"}),
    ]
    if band is not None:
        found += [
            ("get", reverse("criteria:band", args=[pk, band.pk]), {}),
            (
                "post",
                reverse("criteria:band", args=[pk, band.pk]),
                {"code": band.code, "label": "Đổi", "min_total": ""},
            ),
            ("post", reverse("criteria:band_delete", args=[pk, band.pk]), {}),
        ]
    return found


WRITES = ("copy", "edit", "nodes", "ratings")


def is_write(url: str) -> bool:
    return any(f"/{part}" in url for part in WRITES)


# Reading -----------------------------------------------------------------------------------------


def names_listed(client) -> set[str]:
    page = client.get(reverse("criteria:list"))
    assert page.status_code == 200
    return {s.pk for _label, members in page.context["groups"] for s in members}


def names_from_api(account) -> set[int]:
    answer = api_for(account).get("/api/v1/criteria-sets/", {"title": "household", "page_size": 100})
    assert answer.status_code == 200
    return {row["id"] for row in answer.data["results"]}


@pytest.mark.parametrize(
    "persona, sees_own",
    [
        ("province_officer", True),
        ("commune_officer", True),  # Phường Bắc Kạn lies in Thái Nguyên
        ("village_officer", True),
        ("viewer", True),
        ("district_officer", False),  # Chợ Đồn lies in the old Bắc Kạn, not on the 2025 tree
    ],
)
def test_officers_read_the_national_sets_and_their_own_provinces_not_another_provinces(
    client_for, personas, sets, persona, sees_own
):
    account = personas[persona]
    wanted = {sets["national"].pk} | ({sets["own"].pk} if sees_own else set())
    for listed in (names_listed(client_for(account)), names_from_api(account)):
        assert wanted <= listed
        assert sets["theirs"].pk not in listed and (sets["own"].pk in listed) == sees_own
    client = client_for(account)
    for key in ("theirs", "rated"):
        assert client.get(reverse("criteria:detail", args=[sets[key].pk])).status_code == 404
        assert api_for(account).get(f"/api/v1/criteria-sets/{sets[key].pk}/").status_code == 404


def test_a_system_administrator_reads_every_provinces_sets_and_the_api_says_whose(admin_user, sets, ha_noi):
    assert {sets[k].pk for k in ("national", "own", "theirs")} <= names_from_api(admin_user)
    answer = api_for(admin_user).get(f"/api/v1/criteria-sets/{sets['theirs'].pk}/")
    assert answer.status_code == 200 and answer.data["province"] == ha_noi.name
    assert api_for(admin_user).get(f"/api/v1/criteria-sets/{sets['national'].pk}/").data["province"] is None


def test_the_set_page_says_where_a_set_applies(client_for, personas, sets, thai_nguyen):
    client = english(client_for(personas["viewer"]))
    own = client.get(reverse("criteria:detail", args=[sets["own"].pk])).content.decode()
    assert f"{thai_nguyen.name} only: its own set, used there instead of the national one" in own
    national = client.get(reverse("criteria:detail", args=[sets["national"].pk])).content.decode()
    assert "Every province without its own set (national)" in national


# Another province's sets: not found on every route, nothing changed -----------------------------


@pytest.mark.parametrize("key", ["theirs", "rated"])
def test_another_provinces_set_is_not_found_on_any_route_and_nothing_changes(client_for, personas, sets, key):
    criteria_set = sets[key]
    before, entries, count = snapshot(criteria_set), audit_count(), CriteriaSet.objects.count()
    client = client_for(personas["province_officer"])
    tried = routes(criteria_set)
    assert len(tried) == (18 if key == "rated" else 15)
    for method, url, data in tried:
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
    assert snapshot(criteria_set) == before
    assert (audit_count(), CriteriaSet.objects.count()) == (entries, count)


def test_the_services_refuse_another_provinces_set_whatever_the_page(personas, sets):
    officer, theirs = personas["province_officer"], sets["theirs"]
    node = theirs.nodes.get(code="4")
    with pytest.raises(PermissionDenied):
        editing.criteria_set_update(actor=officer, criteria_set=theirs, name="x")
    with pytest.raises(PermissionDenied):
        editing.node_delete(actor=officer, criteria_set=theirs, node=node)
    with pytest.raises(PermissionDenied):
        editing.band_delete(actor=officer, criteria_set=sets["rated"], band=sets["rated"].bands.first())
    assert CriteriaSet.objects.get(pk=theirs.pk).name == theirs.name and theirs.nodes.filter(code="4").exists()


# Officers below the province and viewers change nothing -----------------------------------------


@pytest.mark.parametrize("persona", ["district_officer", "commune_officer", "village_officer", "viewer"])
def test_officers_below_the_province_and_viewers_change_no_set(client_for, personas, sets, persona):
    client = client_for(personas[persona])
    for key in ("national", "own"):
        criteria_set = sets[key]
        before, entries = snapshot(criteria_set), audit_count()
        for method, url, data in routes(criteria_set):
            status = getattr(client, method)(url, data).status_code
            if is_write(url):
                assert status in (403, 404), (method, url, status)
            elif criteria_set.area_id and persona == "district_officer":
                assert status == 404, (method, url)
            else:
                assert status == 200, (method, url)
        assert snapshot(criteria_set) == before and audit_count() == entries
    for method in ("get", "post"):
        assert getattr(client, method)(reverse("imports:new", args=["criteria_set"])).status_code == 403


# National sets: the system administrator changes them; a province officer's change makes theirs ---


def test_a_system_administrator_changes_a_national_set_in_place(client_for, admin_user, sets):
    national = sets["national"]
    client = client_for(admin_user)
    response = client.post(reverse("criteria:edit", args=[national.pk]), set_form(national, pass_total="75"))
    assert response.url == reverse("criteria:detail", args=[national.pk])
    national.refresh_from_db()
    assert national.pass_total == Decimal(75) and national.area is None


def test_a_province_officers_change_of_a_national_set_makes_their_provinces_own_copy(
    client_for, personas, sets, thai_nguyen
):
    national, officer = sets["national"], personas["province_officer"]
    before = snapshot(national)
    client = english(client_for(officer))
    page = client.get(reverse("criteria:detail", args=[national.pk])).content.decode()
    assert "a change you make here is made in your province's own copy of it" in page
    node = national.nodes.get(code="4")
    response = client.post(reverse("criteria:node", args=[national.pk, node.pk]), node_form(node, max_points="25"))
    copy = CriteriaSet.objects.get(based_on=national)
    assert response.url == reverse("criteria:detail", args=[copy.pk])
    assert (copy.area, copy.based_on, copy.version, copy.name) == (thai_nguyen, national, 1, national.name)
    assert copy.nodes.get(code="4").max_points == Decimal(25)
    assert snapshot(national) == before  # the national set is as it was
    message = client.get(response.url).content.decode()
    assert f"The change was made in a copy of this set for {thai_nguyen.name}, made now" in message
    actions = AuditEntry.objects.filter(object_type="criteria.criteriaset", object_id=str(copy.pk))
    assert sorted(actions.values_list("action", flat=True)) == ["criteria_node.save", "criteria_set.copy"]
    assert actions.get(action="criteria_set.copy").after["area"] == thai_nguyen.pk


def test_a_province_officers_copy_and_import_belong_to_their_province_the_administrators_are_national(
    client_for, personas, admin_user, sets, thai_nguyen, upload, commit
):
    officer = personas["province_officer"]
    response = client_for(officer).post(reverse("criteria:copy", args=[sets["national"].pk]), {"name": "Của tỉnh"})
    assert response.status_code == 302
    assert CriteriaSet.objects.get(name="Của tỉnh").area == thai_nguyen
    copied = editing.criteria_set_copy(actor=admin_user, criteria_set=shipped(TT22), name="ĐVHT quốc gia")
    assert copied.area is None
    for persona, name, area in (("province_officer", "Nhập tỉnh", thai_nguyen), ("admin", "Nhập quốc gia", None)):
        text = re.sub(r"^name: .*$", f"name: {name}", set_to_yaml(sets["national"]), count=1, flags=re.MULTILINE)
        client, job = upload("criteria_set", text.encode(), name="set.yaml", persona=persona)
        commit(client, job)  # through the import pipeline (imports/tests/test_criteria_yaml_import.py)
        assert CriteriaSet.objects.get(name=name).area == area


def test_a_province_officer_cannot_change_a_national_set_itself(personas, sets):
    national, officer = sets["national"], personas["province_officer"]
    target = editing.criteria_set_update(actor=officer, criteria_set=national, note="Ghi chú")
    assert target.pk != national.pk and target.area == officer.unit
    assert CriteriaSet.objects.get(pk=national.pk).note == national.note


def test_a_province_officer_changes_their_own_set_in_place_and_its_new_versions_stay_theirs(
    client_for, personas, sets, thai_nguyen
):
    own, officer = sets["own"], personas["province_officer"]
    assert editing.criteria_set_update(actor=officer, criteria_set=own, note="Sửa") == own
    services.criteria_set_frozen(own)
    version_2 = editing.criteria_set_update(actor=officer, criteria_set=own, note="Sửa lần hai")
    assert (version_2.version, version_2.area, version_2.based_on) == (2, thai_nguyen, own)
    assert editing.latest_version(own) == version_2
    # A province's copy of a national set is not the national set's next version.
    copy = editing.criteria_set_update(actor=officer, criteria_set=sets["national"], note="x")
    assert editing.latest_version(sets["national"]) == sets["national"] and copy.area == thai_nguyen


def test_a_shipped_default_is_still_never_edited_by_anyone(personas, admin_user):
    for account in (personas["province_officer"], admin_user):
        with pytest.raises(ValidationError):
            editing.criteria_set_update(actor=account, criteria_set=shipped(TT22), note="x")

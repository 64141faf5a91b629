"""Clans and units: codes issued by the system, registered in the user's area, every change in the history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from conftest import unit
from registry import services
from registry.models import Clan, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def clan(villages, personas):
    return services.clan_save(
        actor=personas["commune_officer"],
        clan=None,
        commune=unit("2025", "01843"),
        name="Họ Hoàng",
        head_name="Hoàng Văn Tộc",
        member_households=42,
        has_board=True,
        villages=[villages["song_cau_1"]],
    )


def test_a_clan_gets_a_code_from_its_commune(clan):
    assert clan.code == "01843-DH-0001"
    assert [v.code for v in clan.villages.all()] == ["01837-001"]


def test_a_clan_change_is_recorded_with_before_and_after(clan, personas):
    services.clan_save(
        actor=personas["commune_officer"],
        clan=clan,
        version=clan.version,
        commune=clan.commune,
        name="Họ Hoàng",
        head_name="",
        member_households=45,
        has_board=True,
        villages=clan.villages.all(),
    )
    entry = AuditEntry.objects.get(action="clan.update", object_id=str(clan.pk))
    assert (entry.before["member_households"], entry.after["member_households"]) == (42, 45)


@pytest.mark.parametrize("households", [0, -3, "nhiều", 2.5])
def test_a_clan_needs_a_positive_whole_number_of_households(villages, personas, households):
    with pytest.raises(ValidationError):
        services.clan_save(
            actor=personas["commune_officer"],
            clan=None,
            commune=unit("2025", "01843"),
            name="Họ Lý",
            head_name="",
            member_households=households,
            has_board=False,
            villages=[],
        )
    assert not Clan.objects.exists()


def test_a_clan_outside_the_officers_area_is_refused(villages, personas):
    with pytest.raises(ValidationError):
        services.clan_save(
            actor=personas["commune_officer"],
            clan=None,
            commune=unit("2025", "01840"),
            name="Họ Lý",
            head_name="",
            member_households=3,
            has_board=False,
            villages=[],
        )
    with pytest.raises(ValidationError):
        services.clan_save(
            actor=personas["commune_officer"],
            clan=None,
            commune=unit("2025", "01843"),
            name="Họ Lý",
            head_name="",
            member_households=3,
            has_board=False,
            villages=[villages["ban_thi"]],
        )
    assert not Clan.objects.exists()


def test_the_clan_pages_are_scoped(client_for, personas, clan):
    assert client_for(personas["commune_officer"]).get(reverse("registry:clan", args=[clan.code])).status_code == 200
    other = client_for(personas["other_commune_officer"])
    assert other.get(reverse("registry:clan", args=[clan.code])).status_code == 404
    assert [c.code for c in other.get(reverse("registry:clans")).context["page"]] == []
    viewer = client_for(personas["viewer"])
    assert viewer.get(reverse("registry:clan", args=[clan.code])).status_code == 200
    assert viewer.post(reverse("registry:clan", args=[clan.code]), {"name": "X"}).status_code == 403


def test_an_officer_adds_a_clan_through_the_form(client_for, personas, villages):
    response = client_for(personas["commune_officer"]).post(
        reverse("registry:clan_create"),
        {
            "name": "Họ  Nông",
            "tree": "2025",
            "commune_code": "01843",
            "village_codes": "01837-001, 01837-002",
            "head_name": "Nông Văn A",
            "member_households": "17",
            "has_board": "on",
        },
    )
    assert response.status_code == 302
    clan = Clan.objects.get(name="Họ Nông")
    assert clan.member_households == 17 and clan.villages.count() == 2


def test_a_unit_is_managed_at_the_level_of_its_area(villages, personas):
    school = services.organisation_save(
        actor=personas["commune_officer"],
        organisation=None,
        name="Trường Tiểu học Sông Cầu",
        kind="school",
        managing_level="commune",
        area=unit("2025", "01843"),
    )
    assert school.code == "01843-DV-0001"
    with pytest.raises(ValidationError):
        services.organisation_save(
            actor=personas["province_officer"],
            organisation=None,
            name="Sở Giáo dục",
            kind="agency",
            managing_level="province",
            area=unit("2025", "01843"),
        )
    province_unit = services.organisation_save(
        actor=personas["province_officer"],
        organisation=None,
        name="Sở Giáo dục và Đào tạo",
        kind="agency",
        managing_level="province",
        area=unit("2025", "19"),
    )
    assert province_unit.code == "19-DV-0001"


def test_the_unit_list_filters_by_kind_and_is_scoped(client_for, personas, villages):
    for name, kind in [("Trường Mầm non Sông Cầu", "school"), ("Công ty Chè Bắc Kạn", "enterprise")]:
        services.organisation_save(
            actor=personas["commune_officer"],
            organisation=None,
            name=name,
            kind=kind,
            managing_level="commune",
            area=unit("2025", "01843"),
        )
    page = client_for(personas["province_officer"]).get(reverse("registry:organisations"), {"kind": "school"})
    assert [o.name for o in page.context["page"]] == ["Trường Mầm non Sông Cầu"]
    other = client_for(personas["other_commune_officer"]).get(reverse("registry:organisations"))
    assert list(other.context["page"]) == []
    assert Organisation.objects.count() == 2


def test_the_api_lists_clans_and_units_in_scope(personas, clan):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(personas["commune_officer"])
    clans = api.get("/api/v1/clans/").json()["results"]
    assert [(c["code"], c["member_households"], c["villages"]) for c in clans] == [("01843-DH-0001", 42, ["01837-001"])]
    api.force_authenticate(personas["other_commune_officer"])
    assert api.get("/api/v1/clans/").json()["results"] == []
    assert api.get(f"/api/v1/clans/{clan.code}/").status_code == 404

"""A page and its API route read one selector: for the same parameters, the same records in the same order."""

import pytest

from conftest import unit
from registry import services

from .clients import api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(admin_user, villages):
    made = [
        services.household_create(actor=admin_user, village=villages[village], head_name=name, members=3)
        for village, name in [
            ("song_cau_1", "Hoàng Văn An"),
            ("song_cau_1", "Đinh Thị Bình"),
            ("song_cau_2", "Hoàng Thị Cúc"),
            ("ban_thi", "Lý Văn Dũng"),
        ]
    ]
    services.household_update(
        actor=admin_user,
        household=made[1],
        version=made[1].version,
        village=made[1].village,
        head_name=made[1].head_name,
        members=3,
        is_active=False,
    )
    return made


@pytest.mark.parametrize(
    "params",
    [
        {"status": "all"},
        {"status": "active"},
        {"status": "left"},
        {"status": "all", "village": "01837-001"},
        {"status": "all", "q": "hoang"},
        {"status": "active", "q": "Hoàng", "village": "01837-002"},
    ],
)
def test_the_households_page_and_the_api_list_the_same_households(client_for, personas, households, params):
    officer = personas["province_officer"]
    page = client_for(officer).get("/registry/households/", params)
    assert page.status_code == 200
    response = api_for(officer).get("/api/v1/households/", params)
    assert response.status_code == 200
    listed = [row["code"] for row in response.json()["results"]]
    assert listed and [household.code for household in page.context["page"]] == listed


def test_the_clans_and_units_pages_and_the_api_read_an_area_alike(client_for, personas, villages):
    """The pages' `area` is the API's: tree:code, or the code alone."""
    officer = personas["province_officer"]
    commune = unit("2025", "01843")
    clan = services.clan_save(
        actor=officer,
        clan=None,
        commune=commune,
        name="Họ Hoàng",
        head_name="",
        member_households=9,
        has_board=False,
        villages=[],
    )
    organisation = services.organisation_save(
        actor=officer, organisation=None, name="Trường Tiểu học", kind="school", managing_level="commune", area=commune
    )
    for value, clans, organisations in [
        ("2025:01843", [clan.code], [organisation.code]),
        ("01843", [clan.code], [organisation.code]),
        ("pre2025:01843", [], []),
    ]:
        on_page = client_for(officer).get("/registry/clans/", {"area": value}).context["page"]
        assert [c.code for c in on_page] == clans
        assert [
            c["code"] for c in api_for(officer).get("/api/v1/clans/", {"commune": value}).json()["results"]
        ] == clans
        on_page = client_for(officer).get("/registry/units/", {"area": value}).context["page"]
        assert [o.code for o in on_page] == organisations
        through_api = api_for(officer).get("/api/v1/organisations/", {"area": value}).json()["results"]
        assert [o["code"] for o in through_api] == organisations
    assert client_for(officer).get("/registry/clans/", {"area": "2025:x"}).context["area_error"]
    assert api_for(officer).get("/api/v1/clans/", {"commune": "2025:x"}).status_code == 400

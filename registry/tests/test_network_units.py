"""An association's list of branches and boards: kept in scope with history, and the yearly counts
computed from it where it is kept, the entered counts where it is not, each figure saying which."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from conftest import unit
from core.versions import StaleVersion
from registry import network, network_units
from registry import services as registry_services
from registry.models import AssociationYear, NetworkUnit, NetworkUnitYear

pytestmark = pytest.mark.django_db

ENTERED = {
    "members": 1200,
    "village_branches": 9,
    "agency_branches": 3,
    "agency_boards": 2,
    "school_boards": 4,
    "clan_boards": 5,
}


@pytest.fixture
def officer(personas):
    return personas["commune_officer"]


@pytest.fixture
def association(officer, reform_year):
    made = network.association_create(
        actor=officer, level="commune", area=unit("2025", "01843"), name="Hội Khuyến học phường Bắc Kạn"
    )
    for year in (reform_year, reform_year + 1):
        network.association_year_save(actor=officer, association=made, year=year, **ENTERED)
    return made


@pytest.fixture
def listed(officer, association, villages, reform_year):
    """Two village branches with their members known in the reform year; a clan board that worked in
    the reform year only."""
    clan = registry_services.clan_save(
        actor=officer,
        clan=None,
        commune=unit("2025", "01843"),
        name="Họ Hoàng",
        head_name="",
        member_households=12,
        has_board=True,
        villages=[],
    )
    made = {
        "to1": network_units.network_unit_save(
            actor=officer,
            association=association,
            kind="village_branch",
            name="Chi hội Tổ dân phố 1",
            village=villages["song_cau_1"],
            head_name="Lường Văn Hải",
            opened_year=reform_year,
            year=reform_year,
            members=40,
        ),
        "to2": network_units.network_unit_save(
            actor=officer,
            association=association,
            kind="village_branch",
            name="Chi hội Tổ dân phố 2",
            village=villages["song_cau_2"],
            opened_year=reform_year,
            year=reform_year,
            members="35",
        ),
        "clan": network_units.network_unit_save(
            actor=officer,
            association=association,
            kind="clan_board",
            name="Ban khuyến học họ Hoàng",
            clan=clan,
            opened_year=reform_year,
            last_year=reform_year,
        ),
    }
    return made


def test_the_list_gives_its_kinds_counts_and_members_and_the_rest_stays_entered(association, listed, reform_year):
    now = AssociationYear.objects.get(association=association, year=reform_year)
    assert (now.village_branches, now.clan_boards, now.members) == (2, 1, 75)
    assert (now.agency_branches, now.agency_boards, now.school_boards) == (3, 2, 4)  # as entered
    later = AssociationYear.objects.get(association=association, year=reform_year + 1)
    # The clan board closed after the reform year; no member is known for the next year: entered.
    assert (later.village_branches, later.clan_boards, later.members) == (2, 0, 1200)
    figures = {f["field"]: (f["value"], f["from_list"]) for f in network_units.network_counts(association, reform_year)}
    assert figures == {
        "members": (75, True),
        "village_branches": (2, True),
        "agency_branches": (3, False),
        "agency_boards": (2, False),
        "school_boards": (4, False),
        "clan_boards": (1, True),
    }


def test_an_entry_does_not_replace_what_the_list_counts(officer, association, listed, reform_year):
    row = AssociationYear.objects.get(association=association, year=reform_year)
    network.association_year_save(
        actor=officer,
        association=association,
        year=reform_year,
        version=row.version,
        **{**ENTERED, "village_branches": 99, "school_boards": 6},
    )
    row.refresh_from_db()
    assert (row.village_branches, row.members, row.school_boards) == (2, 75, 6)


def test_closing_and_changing_members_recount_the_years_with_history(officer, association, listed, reform_year):
    unit_ = listed["to2"]
    network_units.network_unit_save(
        actor=officer,
        association=association,
        unit=unit_,
        version=unit_.version,
        kind="village_branch",
        name=unit_.name,
        village=unit_.village,
        opened_year=reform_year,
        last_year=reform_year,
        year=reform_year,
        members=50,
    )
    assert AssociationYear.objects.get(association=association, year=reform_year).members == 90
    assert AssociationYear.objects.get(association=association, year=reform_year + 1).village_branches == 1
    entries = AuditEntry.objects.filter(object_type="registry.networkunit", object_id=str(unit_.pk)).order_by("id")
    assert [e.action for e in entries] == ["network_unit.create", "network_unit.update"]
    assert entries[1].before["members"] == {str(reform_year): 35}
    assert (entries[1].after["members"], entries[1].after["last_year"]) == ({str(reform_year): 50}, reform_year)


def test_a_change_on_a_version_seen_before_is_refused_and_nothing_changes(officer, association, listed, reform_year):
    unit_ = listed["to1"]
    seen = unit_.version
    network_units.network_unit_save(
        actor=officer,
        association=association,
        unit=unit_,
        version=seen,
        kind="village_branch",
        name=unit_.name,
        village=unit_.village,
        opened_year=reform_year,
    )
    with pytest.raises(StaleVersion):
        network_units.network_unit_save(
            actor=officer,
            association=association,
            unit=unit_,
            version=seen,
            kind="village_branch",
            name="Chi hội mới",
            village=unit_.village,
            opened_year=reform_year,
        )
    assert NetworkUnit.objects.get(pk=unit_.pk).name == "Chi hội Tổ dân phố 1"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"last_year": "2024", "opened_year": "2025"}, "last_year", "Năm cuối không thể trước năm thành lập."),
        ({"name": "chi hội tổ dân phố 1"}, "name", "đã có chi hội hoặc ban tên"),
        ({"village": "ban_thi"}, "village", "không thuộc địa bàn của Hội Khuyến học phường Bắc Kạn"),
        ({"village": None}, "village", "Hãy chọn thôn, tổ dân phố của chi hội."),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(
    personas, association, listed, villages, reform_year, change, field, message
):
    values = {
        "kind": "village_branch",
        "name": "Chi hội mới",
        "village": villages["song_cau_1"],
        "opened_year": reform_year,
        **change,
    }
    if isinstance(values["village"], str):
        values["village"] = villages[values["village"]]
    before = (NetworkUnit.objects.count(), NetworkUnitYear.objects.count(), AuditEntry.objects.count())
    with translation.override("vi"), pytest.raises(ValidationError) as raised:
        network_units.network_unit_save(actor=personas["province_officer"], association=association, **values)
    assert message in " ".join(raised.value.message_dict[field])
    assert (NetworkUnit.objects.count(), NetworkUnitYear.objects.count(), AuditEntry.objects.count()) == before


def test_the_pages_show_the_source_and_keep_to_scope(client_for, personas, association, listed, villages, reform_year):
    officer = client_for(personas["commune_officer"])
    page = reverse("registry:network", args=["2025", "01843"])
    html = officer.get(f"{page}?year={reform_year}").content.decode()
    assert "theo danh sách" in html and "3 chi hội, ban khuyến học trong danh sách" in html
    units_url = reverse("registry:network_units", args=[association.pk])
    html = officer.get(f"{units_url}?year={reform_year}").content.decode()
    assert "Chi hội Tổ dân phố 1" in html and "Lường Văn Hải" in html and "nhập số liệu" in html
    create = reverse("registry:network_unit_create", args=[association.pk])
    response = officer.post(
        f"{create}?year={reform_year + 1}",
        {"kind": "school_board", "name": "Ban khuyến học Trường Tiểu học", "opened_year": reform_year + 1},
    )
    assert response.status_code == 302
    assert AssociationYear.objects.get(association=association, year=reform_year + 1).school_boards == 1
    # A closing before the opening is shown on the form; nothing is saved.
    edit = reverse("registry:network_unit", args=[listed["to1"].pk])
    response = officer.post(
        f"{edit}?year={reform_year}",
        {
            "kind": "village_branch",
            "name": "Chi hội Tổ dân phố 1",
            "village": villages["song_cau_1"].pk,
            "opened_year": reform_year,
            "last_year": reform_year - 1,
            "version": listed["to1"].version,
        },
    )
    assert response.status_code == 200 and "Năm cuối không thể trước năm thành lập." in response.content.decode()
    assert NetworkUnit.objects.get(pk=listed["to1"].pk).last_year is None
    # A form opened before someone else's change is refused and shows the current values.
    stale = officer.post(
        f"{edit}?year={reform_year}",
        {"kind": "village_branch", "name": "Khác", "village": villages["song_cau_1"].pk, "opened_year": reform_year},
    )
    assert stale.status_code == 302 and NetworkUnit.objects.get(pk=listed["to1"].pk).name == "Chi hội Tổ dân phố 1"
    viewer = client_for(personas["viewer"])
    assert viewer.get(units_url).status_code == 200
    assert "Lịch sử thay đổi" in viewer.get(edit).content.decode()
    assert viewer.post(edit, {"name": "x"}).status_code == 403
    assert viewer.get(create).status_code == 403
    assert client_for(personas["other_commune_officer"]).get(units_url).status_code == 404
    assert client_for(personas["other_commune_officer"]).get(edit).status_code == 404
    assert client_for(None).get(units_url).status_code == 302
    assert NetworkUnit.objects.count() == 4


def test_the_api_says_which_figures_came_from_the_list(client_for, personas, association, listed, reform_year):
    row = AssociationYear.objects.get(association=association, year=reform_year)
    answer = client_for(personas["commune_officer"]).get(f"/api/v1/association-years/{row.pk}/").json()
    assert answer["from_list"] == ["clan_boards", "members", "village_branches"]
    assert answer["village_branches"] == 2


def test_the_api_list_reads_the_lists_once_for_a_page(client_for, personas, association, listed, reform_year):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas["commune_officer"])

    def listed_years(**params):
        with CaptureQueriesContext(connection) as queries:
            answer = client.get("/api/v1/association-years/", {"association": association.pk, **params}).json()
        return {row["year"]: row for row in answer["results"]}, len(queries)

    both, asked_for_two = listed_years()
    one, asked_for_one = listed_years(year=reform_year)
    assert set(both) == {reform_year, reform_year + 1} and set(one) == {reform_year}
    assert asked_for_two == asked_for_one  # no queries per row
    for row in both.values():
        alone = client.get(f"/api/v1/association-years/{row['id']}/").json()
        assert row["from_list"] == alone["from_list"]
    assert both[reform_year]["from_list"] == ["clan_boards", "members", "village_branches"]

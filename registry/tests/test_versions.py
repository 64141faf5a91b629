"""No lost update on the registry's pages: every edit form carries the version it showed; a save made
on a version someone else's change has moved is refused with “đã bị người khác sửa”, changes nothing,
and the page shows the values now stored. An import's update moves the version on too."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from conftest import unit
from registry import network, services
from registry.households_bulk import update_if_unchanged
from registry.models import AreaYear, Association, AssociationLevel, AssociationYear, Clan, Household, Organisation

pytestmark = pytest.mark.django_db

STALE = "đã bị người khác sửa"


@pytest.fixture
def household(villages, admin_user):
    return services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
    )


def test_a_household_saved_on_the_version_shown_moves_the_version_on(client_for, personas, household):
    page = client_for(personas["commune_officer"])
    assert 'name="version" value="1"' in page.get(reverse("registry:household", args=[household.code])).content.decode()
    body = {"village": "01837-001", "head_name": "Hoàng Văn An", "members": "5", "is_active": "on", "version": "1"}
    assert page.post(reverse("registry:household", args=[household.code]), body).status_code == 302
    household.refresh_from_db()
    assert (household.members, household.version) == (5, 2)


@pytest.mark.parametrize("version", ["1", "", "abc", "٣"])
def test_a_stale_household_edit_is_refused_and_changes_nothing(client_for, personas, household, admin_user, version):
    services.household_update(
        actor=admin_user,
        household=household,
        version=1,
        village=household.village,
        head_name="Hoàng Văn Anh",
        members=6,
        is_active=True,
    )
    entries = AuditEntry.objects.count()
    body = {"village": "01837-001", "head_name": "Hoàng Văn An", "members": "9", "is_active": "on", "version": version}
    response = client_for(personas["commune_officer"]).post(
        reverse("registry:household", args=[household.code]), body, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and STALE in page
    assert 'value="Hoàng Văn Anh"' in page and 'name="version" value="2"' in page  # the values now stored
    household.refresh_from_db()
    assert (household.head_name, household.members, household.version) == ("Hoàng Văn Anh", 6, 2)
    assert AuditEntry.objects.count() == entries


def test_an_imports_update_moves_the_household_version_on(household):
    village = household.village_id
    row = (household.pk, village, "Hoàng Văn An", 4, True, village, "Hoàng Văn An", 7, True, "hoang van an", "k")
    assert update_if_unchanged([row], household.updated_at) == 1
    household.refresh_from_db()
    assert (household.members, household.version) == (7, 2)


@pytest.fixture
def clan(villages, personas):
    return services.clan_save(
        actor=personas["commune_officer"],
        clan=None,
        commune=unit("2025", "01843"),
        name="Họ Hoàng",
        head_name="",
        member_households=42,
        has_board=False,
        villages=[],
    )


@pytest.fixture
def organisation(villages, personas):
    return services.organisation_save(
        actor=personas["commune_officer"],
        organisation=None,
        name="Công ty Chè",
        kind="enterprise",
        managing_level="commune",
        area=unit("2025", "01843"),
    )


def _clan_form(version):
    return {
        "name": "Họ Lý",
        "tree": "2025",
        "commune_code": "01843",
        "member_households": "50",
        "village_codes": "",
        "version": version,
    }


def _unit_form(version):
    return {
        "name": "Trường Chè",
        "kind": "school",
        "managing_level": "commune",
        "tree": "2025",
        "area_code": "01843",
        "version": version,
    }


@pytest.mark.parametrize(
    "kind, url, form, model",
    [("clan", "registry:clan", _clan_form, Clan), ("organisation", "registry:organisation", _unit_form, Organisation)],
)
def test_a_stale_clan_or_unit_edit_is_refused_and_changes_nothing(
    client_for, personas, request, kind, url, form, model
):
    record = request.getfixturevalue(kind)
    page = client_for(personas["commune_officer"])
    assert page.post(reverse(url, args=[record.code]), form("1")).status_code == 302  # the first save wins
    stored = model.objects.values().get(pk=record.pk)
    assert stored["version"] == 2
    entries = AuditEntry.objects.count()
    response = page.post(reverse(url, args=[record.code]), {**form("1"), "name": "Tên khác"}, follow=True)
    assert STALE in response.content.decode()
    assert model.objects.values().get(pk=record.pk) == stored
    assert AuditEntry.objects.count() == entries


@pytest.fixture
def association(villages):
    return Association.objects.create(level=AssociationLevel.COMMUNE, area=unit("2025", "01843"), name="Hội Khuyến học")


COUNTS = {
    "members": "1200",
    "village_branches": "9",
    "agency_branches": "3",
    "agency_boards": "2",
    "school_boards": "4",
    "clan_boards": "5",
}


def test_stale_network_figures_are_refused_and_change_nothing(client_for, personas, association, reform_year):
    officer = personas["commune_officer"]
    network.area_year_save(actor=officer, area=association.area, year=reform_year, population=8000)
    network.association_year_save(actor=officer, association=association, year=reform_year, **COUNTS)
    page = client_for(officer)
    url = f"{reverse('registry:network', args=['2025', '01843'])}?year={reform_year}"
    shown = page.get(url).content.decode()
    assert shown.count('name="version" value="1"') == 2
    area_body = {"action": "area", "population": "8100", "version": "1"}
    year_body = {"action": "association_year", "association": association.pk, **COUNTS, "version": "1"}
    assert page.post(url, area_body).status_code == 302
    assert page.post(url, {**year_body, "members": "1300"}).status_code == 302
    entries = AuditEntry.objects.count()
    for body in ({**area_body, "population": "1"}, {**year_body, "members": "1"}):
        assert STALE in page.post(url, body, follow=True).content.decode()
    assert AreaYear.objects.get().population == 8100 and AssociationYear.objects.get().members == 1300
    assert AuditEntry.objects.count() == entries


def test_a_first_entry_made_meanwhile_by_someone_else_is_not_overwritten(
    client_for, personas, association, reform_year
):
    officer = personas["commune_officer"]
    network.area_year_save(actor=officer, area=association.area, year=reform_year, population=8000)
    url = f"{reverse('registry:network', args=['2025', '01843'])}?year={reform_year}"
    response = client_for(officer).post(url, {"action": "area", "population": "1", "version": ""}, follow=True)
    assert STALE in response.content.decode()
    assert AreaYear.objects.get().population == 8000


def test_households_carry_their_version_from_the_start(household):
    assert Household.objects.get(pk=household.pk).version == 1

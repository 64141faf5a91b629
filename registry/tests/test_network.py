"""The network and the yearly base: entered per area and year, checked, scoped, with history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from conftest import unit
from registry import network
from registry.models import AreaYear, AssociationYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(personas):
    return network.association_create(
        actor=personas["commune_officer"],
        level="commune",
        area=unit("2025", "01843"),
        name="Hội Khuyến học phường Bắc Kạn",
    )


def test_an_association_belongs_to_a_unit_of_its_level(personas):
    with pytest.raises(ValidationError):
        network.association_create(
            actor=personas["province_officer"], level="province", area=unit("2025", "01843"), name="Hội tỉnh"
        )
    school = network.association_create(
        actor=personas["province_officer"],
        level="province_school",
        area=unit("2025", "19"),
        name="Hội Khuyến học Trường Cao đẳng Bắc Kạn",
    )
    assert school.area.code == "19"


def test_yearly_figures_are_saved_once_per_year_with_history(association, personas, reform_year):
    actor = personas["commune_officer"]
    counts = {
        "members": 1200,
        "village_branches": 9,
        "agency_branches": 3,
        "agency_boards": 2,
        "school_boards": 4,
        "clan_boards": 5,
    }
    network.association_year_save(actor=actor, association=association, year=reform_year, **counts)
    network.association_year_save(
        actor=actor, association=association, year=reform_year, version=1, **{**counts, "members": 1250}
    )
    row = AssociationYear.objects.get(association=association, year=reform_year)
    assert row.members == 1250
    entries = AuditEntry.objects.filter(action="association_year.save", object_id=str(row.pk)).order_by("id")
    assert [(e.before or {}).get("members") for e in entries] == [None, 1200]


@pytest.mark.parametrize("bad", [-1, "mười", 2.5])
def test_negative_or_broken_counts_save_nothing(association, personas, reform_year, bad):
    counts = {
        "members": bad,
        "village_branches": 0,
        "agency_branches": 0,
        "agency_boards": 0,
        "school_boards": 0,
        "clan_boards": 0,
    }
    with pytest.raises(ValidationError) as error:
        network.association_year_save(
            actor=personas["commune_officer"], association=association, year=reform_year, **counts
        )
    assert "members" in error.value.message_dict
    assert not AssociationYear.objects.exists()


def test_a_year_on_the_wrong_tree_is_refused(association, personas):
    with pytest.raises(ValidationError):
        network.area_year_save(actor=personas["commune_officer"], area=unit("2025", "01843"), year=2020, population=5)


def test_the_base_and_fund_may_be_partly_known(personas, reform_year):
    network.area_year_save(
        actor=personas["old_province_officer"],
        area=unit("pre2025", "06"),
        year=2018,
        population=313_084,
        households=None,
        fund_vnd="12500000000",
        scholarships=" 950 ",
        scholarships_vnd="",
    )
    row = AreaYear.objects.get(area=unit("pre2025", "06"), year=2018)
    assert (row.population, row.households, row.fund_vnd, row.scholarships) == (313_084, None, 12_500_000_000, 950)


def test_outside_the_area_is_refused(personas, reform_year):
    with pytest.raises(ValidationError):
        network.area_year_save(actor=personas["other_commune_officer"], area=unit("2025", "01843"), year=reform_year)
    assert not AreaYear.objects.exists()


def test_the_page_saves_figures_and_viewers_only_read(client_for, personas, association, reform_year):
    url = reverse("registry:network", args=["2025", "01843"])
    client = client_for(personas["commune_officer"])
    response = client.post(
        f"{url}?year={reform_year}",
        {
            "action": "area",
            "population": "8421",
            "households": "2310",
            "fund_vnd": "",
            "scholarships": "",
            "scholarships_vnd": "",
        },
    )
    assert response.status_code == 302
    assert AreaYear.objects.get(area__code="01843", year=reform_year).households == 2310
    response = client.post(
        f"{url}?year={reform_year}",
        {
            "action": "association_year",
            "association": association.pk,
            "members": "1500",
            "village_branches": "9",
            "agency_branches": "2",
            "agency_boards": "1",
            "school_boards": "3",
            "clan_boards": "4",
        },
    )
    assert response.status_code == 302
    assert AssociationYear.objects.get(association=association).members == 1500
    viewer = client_for(personas["viewer"])
    assert viewer.get(url).status_code == 200
    assert viewer.post(url, {"action": "area", "population": "1"}).status_code == 403
    assert client_for(personas["other_commune_officer"]).get(url).status_code == 404


@pytest.mark.parametrize("sent", ["x", "1.5", "", "99999999999999999999"])
def test_figures_sent_for_an_association_no_record_could_be_are_not_found(client_for, personas, reform_year, sent):
    """The form's hidden association changed by hand: not found, as one outside the area, and nothing saved."""
    url = reverse("registry:network", args=["2025", "01843"])
    client = client_for(personas["commune_officer"])
    response = client.post(f"{url}?year={reform_year}", {"action": "association_year", "association": sent})
    assert response.status_code == 404
    assert not AssociationYear.objects.exists()

"""An association renamed and closed through the API (issue 15): by the registry's services, with the
version read, in the caller's area only, in the association's history; a closed association takes no
later year's figures (API, service and import alike)."""

import io

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from conftest import unit
from imports.models import JobStatus
from registry import network
from registry.exports_network import ASSOCIATION_YEAR_COLUMNS
from registry.models import Association

from .clients import ANONYMOUS, api_for, statuses

pytestmark = pytest.mark.django_db

COUNTS = {
    "members": 1200,
    "village_branches": 9,
    "agency_branches": 3,
    "agency_boards": 2,
    "school_boards": 4,
    "clan_boards": 5,
}


@pytest.fixture
def chodon(personas):
    """Old Chợ Đồn district's association (pre-2025 tree), with figures for 2020."""
    association = network.association_create(
        actor=personas["district_officer"], level="district", area=unit("pre2025", "064"), name="Hội Khuyến học Chợ Đồn"
    )
    network.association_year_save(actor=personas["district_officer"], association=association, year=2020, **COUNTS)
    return association


@pytest.fixture
def backan(personas):
    return network.association_create(
        actor=personas["commune_officer"], level="commune", area=unit("2025", "01843"), name="Hội Khuyến học Bắc Kạn"
    )


def url(association, action=""):
    return f"/api/v1/associations/{association.pk}/{action}"


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("commune_officer", 200),
        ("province_officer", 200),
        ("other_commune_officer", 404),
        ("viewer", 403),
        ("anonymous", ANONYMOUS),
    ],
)
def test_who_may_rename(personas, backan, persona, expected):
    response = api_for(personas[persona]).patch(
        url(backan), {"name": "Hội Khuyến học phường Bắc Kạn", "version": 1}, format="json"
    )
    assert response.status_code in statuses(expected), response.content
    backan.refresh_from_db()
    renamed = backan.name == "Hội Khuyến học phường Bắc Kạn"
    assert renamed == (expected == 200)
    if expected == 200:
        assert response.json()["version"] == 2
        entry = AuditEntry.objects.get(object_type="registry.association", action="association.update")
        assert (entry.before, entry.after) == ({"name": "Hội Khuyến học Bắc Kạn"}, {"name": backan.name})


def test_a_rename_needs_the_version_and_a_free_name(personas, backan):
    api = api_for(personas["commune_officer"])
    other = network.association_create(
        actor=personas["commune_officer"], level="commune", area=unit("2025", "01843"), name="Hội Cựu giáo chức"
    )
    assert api.patch(url(backan), {"name": "Hội mới"}, format="json").status_code == 400  # no version
    clash = api.patch(url(backan), {"name": "hội cựu giáo chức", "version": 1}, format="json")
    assert clash.status_code == 400 and "name" in clash.json()
    assert api.patch(url(backan), {"name": "", "version": 1}, format="json").status_code == 400
    assert api.patch(url(backan), {"name": "Hội mới", "version": 1}, format="json").status_code == 200
    assert api.patch(url(backan), {"name": "Hội cũ", "version": 1}, format="json").status_code == 409
    assert api.put(url(backan), {"name": "Hội mới", "level": "province", "version": 2}, format="json").status_code in (
        200,
        400,
    )
    backan.refresh_from_db()
    other.refresh_from_db()
    assert (backan.name, backan.level, other.name) == ("Hội mới", "commune", "Hội Cựu giáo chức")


def test_closing_an_association_after_a_year_stops_its_later_figures(personas, chodon):
    api = api_for(personas["district_officer"])
    closed = api.post(url(chodon, "close/"), {"last_year": 2024, "version": 1}, format="json")
    assert closed.status_code == 200, closed.content
    assert (closed.json()["last_year"], closed.json()["version"]) == (2024, 2)
    assert AuditEntry.objects.filter(object_id=str(chodon.pk), action="association.close").count() == 1
    chodon.refresh_from_db()
    # Its figures of 2024 and before may still be entered; none after.
    network.association_year_save(actor=personas["district_officer"], association=chodon, year=2021, **COUNTS)
    with pytest.raises(ValidationError):
        network.association_year_save(actor=personas["province_officer"], association=chodon, year=2025, **COUNTS)
    again = api.post(url(chodon, "close/"), {"last_year": 2023, "version": 2}, format="json")
    assert again.status_code == 400 and "last_year" in again.json()


def test_a_close_refused_names_the_year(personas, chodon):
    api = api_for(personas["district_officer"])
    before = api.post(url(chodon, "close/"), {"last_year": 2019, "version": 1}, format="json")
    assert before.status_code == 400 and "2020" in str(before.json()["last_year"])  # it has figures for 2020
    wrong_tree = api.post(url(chodon, "close/"), {"last_year": 2026, "version": 1}, format="json")
    assert wrong_tree.status_code == 400 and "last_year" in wrong_tree.json()
    stale = api.post(url(chodon, "close/"), {"last_year": 2024, "version": 7}, format="json")
    assert stale.status_code == 409
    missing = api.post(url(chodon, "close/"), {"version": 1}, format="json")
    assert missing.status_code == 400 and "last_year" in missing.json()
    viewer = api_for(personas["viewer"]).post(url(chodon, "close/"), {"last_year": 2024, "version": 1}, format="json")
    assert viewer.status_code in (403, 404)
    assert Association.objects.get(pk=chodon.pk).last_year is None


def test_the_yearly_figures_of_a_closed_association_are_refused_by_the_api_and_the_import(personas, chodon, upload):
    api = api_for(personas["district_officer"])
    assert api.post(url(chodon, "close/"), {"last_year": 2022, "version": 1}, format="json").status_code == 200
    response = api.post("/api/v1/association-years/", {"association": chodon.pk, "year": 2023, **COUNTS}, format="json")
    assert response.status_code == 400 and "year" in response.json()
    values = {"area": "064", "level": "district", "name": chodon.name, "year": 2023, **COUNTS}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [header for _key, header in ASSOCIATION_YEAR_COLUMNS])
    sheet.write_row(1, 0, [values.get(key, "") for key, _header in ASSOCIATION_YEAR_COLUMNS])
    book.close()
    _client, job = upload("association_years", buffer.getvalue(), persona="district_officer")
    assert job.status == JobStatus.INVALID
    assert any("2022" in error["message"] for error in job.errors), job.errors

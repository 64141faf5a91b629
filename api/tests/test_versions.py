"""No lost update through the API: every editable record shows its version; a change must name it,
and a change made on a version that has moved answers 409 with the message in the caller's language,
changing nothing."""

import pytest

from audit.models import AuditEntry
from conftest import unit
from registry import network, services
from registry.models import AreaYear, Clan, Household, Organisation

from .clients import api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(villages, personas):
    officer = personas["commune_officer"]
    commune = unit("2025", "01843")
    return {
        "households": services.household_create(
            actor=officer, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
        ),
        "clans": services.clan_save(
            actor=officer,
            clan=None,
            commune=commune,
            name="Họ Hoàng",
            head_name="",
            member_households=42,
            has_board=False,
            villages=[],
        ),
        "organisations": services.organisation_save(
            actor=officer,
            organisation=None,
            name="Công ty Chè",
            kind="enterprise",
            managing_level="commune",
            area=commune,
        ),
    }


CHANGES = {"households": {"members": 5}, "clans": {"member_households": 43}, "organisations": {"name": "Công ty Trà"}}
MODELS = {"households": Household, "clans": Clan, "organisations": Organisation}


@pytest.mark.parametrize("resource", list(CHANGES))
def test_a_stale_change_answers_409_in_the_callers_language_and_changes_nothing(personas, records, resource):
    api = api_for(personas["commune_officer"])
    url = f"/api/v1/{resource}/{records[resource].code}/"
    assert api.get(url).json()["version"] == 1
    first = api.patch(url, {**CHANGES[resource], "version": 1}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    stored = MODELS[resource].objects.values().get(pk=records[resource].pk)
    entries = AuditEntry.objects.count()
    stale = api.patch(url, {**CHANGES[resource], "version": 1}, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert stale.status_code == 409 and "đã bị người khác sửa" in stale.json()["detail"]
    missing = api.patch(url, CHANGES[resource], format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    assert MODELS[resource].objects.values().get(pk=records[resource].pk) == stored
    assert AuditEntry.objects.count() == entries


def test_a_stale_yearly_figure_answers_409(personas, villages, reform_year):
    officer = personas["commune_officer"]
    network.area_year_save(actor=officer, area=unit("2025", "01843"), year=reform_year, population=8000)
    body = {"area_tree": "2025", "area_code": "01843", "year": reform_year, "population": 9000}
    api = api_for(officer)
    assert api.post("/api/v1/area-years/", body, format="json").status_code == 409  # saw none: it exists now
    assert api.post("/api/v1/area-years/", {**body, "version": 2}, format="json").status_code == 409
    assert AreaYear.objects.get().population == 8000
    assert api.post("/api/v1/area-years/", {**body, "version": 1}, format="json").status_code == 200
    assert AreaYear.objects.get().population == 9000

"""Learning citizens through the API: the pages' scope and rules, reads logged, viewers refused."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEntry
from registry.citizens import citizen_create
from registry.models import Citizen

pytestmark = pytest.mark.django_db
CITIZENS = "/api/v1/citizens/"


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def person(admin_user, villages):
    return citizen_create(
        actor=admin_user, village=villages["song_cau_1"], full_name="Hoàng Thị Mai", birth_year=1985, sex="Nữ"
    )


def test_a_village_officer_lists_and_reads_their_people_and_each_read_is_logged(personas, person):
    officer = personas["village_officer"]
    listed = api_for(officer).get(CITIZENS)
    assert listed.status_code == 200 and [row["code"] for row in listed.data["results"]] == [person.code]
    one = api_for(officer).get(f"{CITIZENS}{person.code}/")
    assert one.data["sex"] == "female" and one.data["birth_year"] == 1985
    reads = AuditEntry.objects.filter(actor=officer, object_type="registry.citizen").order_by("pk")
    assert [e.action for e in reads] == ["citizen.api_list", "citizen.api_view"]
    history = api_for(officer).get(f"{CITIZENS}{person.code}/history/")
    assert [e["action"] for e in history.data["results"]] == ["citizen.create"]


def test_viewers_and_other_communes_do_not_see_persons(personas, person):
    assert api_for(personas["viewer"]).get(CITIZENS).status_code == 403
    assert api_for(personas["other_commune_officer"]).get(CITIZENS).data["count"] == 0
    assert api_for(personas["other_commune_officer"]).get(f"{CITIZENS}{person.code}/").status_code == 404


def test_create_with_the_same_rules_and_a_person_without_a_village_is_refused(personas):
    api = api_for(personas["commune_officer"])
    missing = api.post(CITIZENS, {"full_name": "Ma Văn Tư", "birth_year": 1980, "sex": "Nam"}, format="json")
    assert missing.status_code == 400 and "village" in missing.data
    bad = api.post(
        CITIZENS, {"village": "01837-001", "full_name": "Ma Văn Tư", "birth_year": 1850, "sex": "?"}, format="json"
    )
    assert bad.status_code == 400 and {"birth_year", "sex"} <= set(bad.data)
    assert not Citizen.objects.exists()
    good = api.post(
        CITIZENS, {"village": "01837-001", "full_name": "Ma Văn Tư", "birth_year": 1980, "sex": "Nam"}, format="json"
    )
    assert good.status_code == 201 and good.data["code"] == "01837-001-CD-0001"

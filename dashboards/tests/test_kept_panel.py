"""The dashboard's panel is kept while the data has not changed (stats/caching.py): the next officer
who may see the same areas gets it without the figures being read again, a change shows at once, and an
officer who may not see the area never gets what another was shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from areas.models import Tree
from conftest import _account, enter_households_recognised, unit

from .test_dashboard import CHO_DON, history  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboards:dashboard")
ASKED = {"area": CHO_DON, "year": 2019}


def test_the_next_officer_of_the_same_area_gets_the_panel_without_the_figures_read_again(
    client_for,
    personas,
    history,  # noqa: F811
):
    first = client_for(personas["district_officer"]).get(PAGE, ASKED)
    assert first.status_code == 200 and "137 / 300" in first.content.decode()
    colleague = _account("d.chodon2", Role.DISTRICT_OFFICER, tree=Tree.PRE_2025, code="064")
    client = client_for(colleague)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(PAGE, ASKED)
    assert second.status_code == 200
    assert second.content.decode().count("137 / 300") == first.content.decode().count("137 / 300")
    assert not [query for query in queries if "stats_fact" in query["sql"]]
    assert client.get(PAGE, ASKED, headers={"HX-Request": "true"}).content.decode().count("137 / 300") >= 1


def test_a_change_of_the_figures_shows_at_once(client_for, personas, admin_user, history):  # noqa: F811
    client = client_for(personas["district_officer"])
    assert "137 / 300" in client.get(PAGE, ASKED).content.decode()
    enter_households_recognised(admin_user, unit("pre2025", "02035"), 2019, 150)
    html = client.get(PAGE, ASKED).content.decode()
    assert "185 / 300" in html and "137 / 300" not in html


def test_an_officer_outside_the_area_never_gets_what_another_was_shown(client_for, personas, history):  # noqa: F811
    assert client_for(personas["district_officer"]).get(PAGE, ASKED).status_code == 200
    response = client_for(personas["other_district_officer"]).get(PAGE, ASKED)
    assert response.status_code == 404
    assert "137 / 300" not in response.content.decode()

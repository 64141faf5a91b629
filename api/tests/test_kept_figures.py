"""The figures API's answers are kept while the data has not changed (stats/caching.py): a changed
figure is in the next answer at once, and a caller who may not see the area never gets what another
caller was answered."""

import pytest

from conftest import enter_households_recognised, unit

from .clients import api_for

pytestmark = pytest.mark.django_db

FIGURES = "/api/v1/statistics/figures/"
BAN_THI = "pre2025:02035"


def recognised(answer) -> int:
    return next(
        row["value"]
        for row in answer.json()["results"]
        if (row["title"], row["measure"]) == ("household", "recognised")
    )


def test_a_changed_figure_is_in_the_next_answer_at_once(personas, admin_user):
    ban_thi = unit("pre2025", "02035")
    enter_households_recognised(admin_user, ban_thi, 2019, 102)
    api = api_for(personas["district_officer"])
    assert recognised(api.get(FIGURES, {"area": BAN_THI, "year": 2019})) == 102
    enter_households_recognised(admin_user, ban_thi, 2019, 150)
    assert recognised(api.get(FIGURES, {"area": BAN_THI, "year": 2019})) == 150


def test_a_caller_outside_the_area_never_gets_another_callers_answer(personas, admin_user):
    enter_households_recognised(admin_user, unit("pre2025", "02035"), 2019, 102)
    assert api_for(personas["district_officer"]).get(FIGURES, {"area": BAN_THI, "year": 2019}).status_code == 200
    assert api_for(personas["other_district_officer"]).get(FIGURES, {"area": BAN_THI, "year": 2019}).status_code == 404

"""Awards through the API: the awarding body selects a submitted nomination and revokes a published
decision with the services the pages use; another body is refused, bad input is a 400 naming the field."""

import pytest

from awards import services
from awards.models import AwardDecisionStatus, NominationState
from awards.tests.conftest import (  # noqa: F401  (fixtures)
    association,
    ban_thi,
    ban_thi_officer,
    district_kind,
    family,
    nominate,
    published,
)

from .clients import api_for

pytestmark = pytest.mark.django_db


def test_the_awarding_body_selects_and_another_is_refused(nominate, family, personas):  # noqa: F811
    nomination = nominate(family)
    services.nomination_submit(nomination=nomination, actor=nomination.created_by)
    url = f"/api/v1/award-nominations/{nomination.pk}/select/"
    assert api_for(personas["old_province_officer"]).post(url, {}, format="json").status_code == 403
    assert api_for(personas["other_district_officer"]).post(url, {}, format="json").status_code == 404
    answer = api_for(personas["district_officer"]).post(url, {}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == NominationState.SELECTED
    assert answer.json()["awarding_area"] == "pre2025:064"
    listed = api_for(personas["district_officer"]).get("/api/v1/award-nominations/", {"state": "selected"}).json()
    assert [row["id"] for row in listed["results"]] == [nomination.pk]


def test_revoking_needs_a_reason_and_then_stands(published, personas):  # noqa: F811
    api = api_for(personas["district_officer"])
    url = f"/api/v1/award-decisions/{published.pk}/revoke/"
    refused = api.post(url, {"reason": " "}, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 400 and "reason" in refused.json()
    answer = api.post(url, {"reason": "Hồ sơ không đúng"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == AwardDecisionStatus.REVOKED
    history = api.get(f"/api/v1/award-decisions/{published.pk}/history/").json()
    assert history["results"][0]["action"] == "award_decision.revoke"

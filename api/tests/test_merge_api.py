"""Duplicates merged through the API (issue 15, item 9): `POST /api/v1/households/{code}/merge/` keeps the
household of the route and merges the ones named into it, by the page's service, with the versions read;
out of scope 404, a viewer 403, a stale version 409, a missing reason 400 with nothing changed."""

import pytest

from registry import services
from registry.models import Household

from .clients import api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(villages, admin_user):
    return [
        services.household_create(actor=admin_user, village=villages["song_cau_1"], head_name=name, members=4)
        for name in ("Hoàng Văn An", "Hoang Van An")
    ]


def url(household):
    return f"/api/v1/households/{household.code}/merge/"


def body(survivor, duplicate, **changes):
    return {
        "version": survivor.version,
        "duplicates": {duplicate.code: duplicate.version},
        "reason": "Trùng",
        **changes,
    }


def test_the_commune_officer_merges_a_pair_with_the_versions_read(pair, personas):
    survivor, duplicate = pair
    answer = api_for(personas["commune_officer"]).post(url(survivor), body(survivor, duplicate), format="json")
    assert answer.status_code == 200 and answer.json()["code"] == survivor.code
    assert Household.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk


def test_out_of_scope_a_viewer_a_stale_version_and_no_reason_change_nothing(pair, personas):
    survivor, duplicate = pair
    assert (
        api_for(personas["other_commune_officer"])
        .post(url(survivor), body(survivor, duplicate), format="json")
        .status_code
        == 404
    )
    assert api_for(personas["viewer"]).post(url(survivor), body(survivor, duplicate), format="json").status_code == 403
    officer = api_for(personas["commune_officer"])
    stale = body(survivor, duplicate, version=survivor.version + 1)
    assert officer.post(url(survivor), stale, format="json").status_code == 409
    answer = officer.post(url(survivor), body(survivor, duplicate, reason=" "), format="json")
    assert answer.status_code == 400 and "reason" in answer.json()
    assert not Household.objects.exclude(merged_into=None).exists()

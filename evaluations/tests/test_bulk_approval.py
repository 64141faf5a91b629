"""Approving in bulk: the approver filters the waiting list (title, year, area, village), ticks rows, or
decides every evaluation that matches the filters on every page after confirming how many (“Duyệt
101 hồ sơ?”). Everything goes through the single-evaluation services: all or nothing, one audit row
per evaluation; evaluations outside the filter are untouched; a list that changed since the
approver confirmed it decides nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from evaluations import services
from evaluations.models import Evaluation, EvaluationState
from registry import services as registry_services

from .conftest import FULL_MARKS

pytestmark = pytest.mark.django_db
APPROVE = reverse("evaluations:approve_many")


@pytest.fixture
def waiting(admin_user, personas, villages, household_set, reform_year):
    """Submitted households: 101 in Tổ dân phố 1 (more than a page) and 3 in Tổ dân phố 2, both of
    Phường Bắc Kạn, whose commune officer approves them."""
    made = {"song_cau_1": [], "song_cau_2": []}
    for place, count in (("song_cau_1", 101), ("song_cau_2", 3)):
        for number in range(count):
            household = registry_services.household_create(
                actor=admin_user, village=villages[place], head_name=f"Hộ {number}", members=3
            )
            evaluation = services.evaluation_register(
                actor=admin_user, title="household", year=reform_year, subject=household, criteria_set=household_set
            )
            evaluation = services.evaluation_marks_save(
                actor=admin_user, evaluation=evaluation, version=evaluation.version, marks=FULL_MARKS
            )
            made[place].append(
                services.evaluation_submit(actor=admin_user, evaluation=evaluation, version=evaluation.version)
            )
    return made


def states(evaluations) -> set[str]:
    return set(Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).values_list("state", flat=True))


def test_the_village_filter_narrows_the_list_and_offers_the_villages_waiting(client_for, personas, villages, waiting):
    client = client_for(personas["commune_officer"])
    page = client.get(APPROVE)
    assert page.context["page"].paginator.count == 104 and len(page.context["rows"]) == 100
    offered = [(village.code, count) for village, _commune, count in page.context["villages"]]
    assert offered == [(villages["song_cau_1"].code, 101), (villages["song_cau_2"].code, 3)]
    narrowed = client.get(APPROVE, {"village": villages["song_cau_2"].code})
    assert {e.pk for e, _result, _village in narrowed.context["rows"]} == {e.pk for e in waiting["song_cau_2"]}


def test_every_one_matching_the_filter_is_approved_on_every_page_after_confirming_how_many(
    client_for, personas, villages, waiting
):
    client = client_for(personas["commune_officer"])
    url = f"{APPROVE}?village={villages['song_cau_1'].code}"
    before = AuditEntry.objects.count()
    asked = client.post(url, {"all": "approve"})
    # First the question, and nothing is decided yet.
    assert asked.status_code == 200 and asked.context["confirming"]["count"] == 101
    assert "Duyệt 101 hồ sơ?" in asked.content.decode()
    assert states(waiting["song_cau_1"]) == {EvaluationState.SUBMITTED} and AuditEntry.objects.count() == before
    done = client.post(url, {"all": "approve", "confirm": asked.context["confirming"]["seen"]})
    assert done.status_code == 302
    assert states(waiting["song_cau_1"]) == {EvaluationState.APPROVED}
    assert states(waiting["song_cau_2"]) == {EvaluationState.SUBMITTED}  # outside the filter: untouched
    entries = AuditEntry.objects.filter(action="evaluation.approve")
    assert entries.count() == 101 == AuditEntry.objects.count() - before
    assert set(entries.values_list("object_id", flat=True)) == {str(e.pk) for e in waiting["song_cau_1"]}
    assert set(entries.values_list("actor", flat=True)) == {personas["commune_officer"].pk}


def test_the_rules_are_asked_once_for_everything_that_matches_not_once_an_evaluation(
    client_for, personas, villages, waiting
):
    """Which level approves, whether the year is closed and the set's criteria are the same for all
    101: asked once each (2,176 approvals took 12 s when each asked again, `docs/performance.md`)."""
    client = client_for(personas["commune_officer"])
    url = f"{APPROVE}?village={villages['song_cau_1'].code}"
    asked = client.post(url, {"all": "approve"})
    with CaptureQueriesContext(connection) as queries:
        done = client.post(url, {"all": "approve", "confirm": asked.context["confirming"]["seen"]})
    assert done.status_code == 302 and states(waiting["song_cau_1"]) == {EvaluationState.APPROVED}

    def asking(table):
        return sum(f'"{table}"' in query["sql"] for query in queries.captured_queries)

    # The province's own rule, then the national one: once for the page and once for the save.
    assert asking("evaluations_approverrule") <= 4
    assert asking("evaluations_closedyear") <= 2
    assert asking("criteria_ratingband") <= 2
    assert asking("criteria_criteriaset") <= 4  # the set read and frozen once; its criteria and bands
    # Each evaluation's own work: claimed and read again, its marks for the result, saved, its history.
    assert len(queries.captured_queries) < 101 * 8


def test_a_list_that_changed_since_the_approver_confirmed_decides_nothing(client_for, personas, villages, waiting):
    client = client_for(personas["commune_officer"])
    url = f"{APPROVE}?village={villages['song_cau_2'].code}"
    seen = client.post(url, {"all": "approve"}).context["confirming"]["seen"]
    first = waiting["song_cau_2"][0]
    services.evaluation_return(actor=personas["commune_officer"], evaluation=first, version=first.version, reason="Sai")
    page = client.post(url, {"all": "approve", "confirm": seen})
    assert page.status_code == 200 and page.context["errors"]
    assert "2" in page.context["errors"][0]  # says how many match now
    assert states(waiting["song_cau_2"][1:]) == {EvaluationState.SUBMITTED}
    assert not AuditEntry.objects.filter(action="evaluation.approve").exists()


def test_returning_every_one_that_matches_needs_a_reason_and_writes_it_on_each(client_for, personas, villages, waiting):
    client = client_for(personas["commune_officer"])
    url = f"{APPROVE}?village={villages['song_cau_2'].code}"
    refused = client.post(url, {"all": "return"})
    assert refused.context["errors"] and refused.context["confirming"] is None
    asked = client.post(url, {"all": "return", "reason": "Thiếu biên bản họp thôn"})
    assert asked.context["confirming"]["count"] == 3
    client.post(
        url, {"all": "return", "reason": "Thiếu biên bản họp thôn", "confirm": asked.context["confirming"]["seen"]}
    )
    assert states(waiting["song_cau_2"]) == {EvaluationState.RETURNED}
    reasons = AuditEntry.objects.filter(action="evaluation.return").values_list("reason", flat=True)
    assert list(reasons) == ["Thiếu biên bản họp thôn"] * 3
    assert states(waiting["song_cau_1"]) == {EvaluationState.SUBMITTED}


def test_a_village_that_names_nothing_in_the_area_empties_the_list_and_decides_nothing(
    client_for, personas, villages, waiting
):
    client = client_for(personas["commune_officer"])
    url = f"{APPROVE}?village={villages['ban_thi'].code}"  # a village of another commune
    page = client.get(url)
    assert page.context["page"].paginator.count == 0 and page.context["village_error"]
    asked = client.post(url, {"all": "approve"})
    assert asked.context["confirming"] is None and asked.context["errors"]
    assert not AuditEntry.objects.filter(action="evaluation.approve").exists()


def test_only_the_approving_level_is_offered_everything_that_matches(client_for, personas, waiting):
    # The province does not approve households (the commune does): nothing matches for it.
    client = client_for(personas["province_officer"])
    asked = client.post(APPROVE, {"all": "approve"})
    assert asked.context["confirming"] is None and asked.context["errors"]
    assert states([*waiting["song_cau_1"], *waiting["song_cau_2"]]) == {EvaluationState.SUBMITTED}


def test_the_page_offers_ticking_a_page_or_a_village_at_once(client_for, personas, villages, waiting):
    content = client_for(personas["commune_officer"]).get(APPROVE).content.decode()
    assert "data-select-all" in content and "data-select-village" in content
    assert content.count(f'data-village="{villages["song_cau_1"].code}"') == 100  # the first page's rows
    assert "khuyenhoc/bulk" in content and "<script>" not in content  # the site's own file: no inline script

"""The village meeting grid: every active household a row, every leaf of the set a column; saving
registers the households that got a mark and saves every row at once (all or nothing, errors by
household), each household's result computed from the set; complete rows are submitted at once."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations import services
from evaluations.models import Evaluation, EvaluationState
from registry import services as registry_services

from .conftest import FULL_MARKS

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(admin_user, villages):
    made = [
        registry_services.household_create(actor=admin_user, village=villages["song_cau_1"], head_name=name, members=4)
        for name in ("Hoàng Văn An", "Đinh Thị Bình", "Lý Văn Cường", "Nông Thị Dung")
    ]
    registry_services.household_update(
        actor=admin_user,
        household=made[3],
        version=made[3].version,
        village=made[3].village,
        head_name=made[3].head_name,
        members=4,
        is_active=False,
    )
    return made[:3]


@pytest.fixture
def grid_url(villages, reform_year):
    return reverse("evaluations:grid", args=[villages["song_cau_1"].code, reform_year])


def row_fields(household, household_set, marks, version=None):
    nodes = {n.code: n.pk for n in household_set.nodes.all()}
    fields = {f"m-{household.pk}-{nodes[code]}": value for code, value in marks.items()}
    if version is not None:
        fields[f"v-{household.pk}"] = version
    return fields


def blank(household, household_set):
    return row_fields(household, household_set, dict.fromkeys(FULL_MARKS, ""))


def test_a_row_per_household_living_there_and_a_column_per_scored_criterion(
    client_for, personas, households, household_set, grid_url
):
    page = client_for(personas["village_officer"]).get(grid_url)
    assert [row.household for row in page.context["rows"]] == sorted(households, key=lambda h: h.sort_key)
    assert [leaf.code for leaf in page.context["leaves"]] == list(FULL_MARKS)
    assert page.context["criteria_set"] == household_set and "minh hoạ" in page.content.decode()


def test_saving_registers_the_marked_households_and_computes_their_results(
    client_for, personas, households, household_set, grid_url
):
    an, binh, cuong = households
    fields = {
        **row_fields(an, household_set, FULL_MARKS),
        **row_fields(binh, household_set, {**FULL_MARKS, "3": "0", "4": "5"}),
        **blank(cuong, household_set),
        "set": household_set.pk,
        "action": "save",
    }
    client = client_for(personas["village_officer"])
    assert client.post(grid_url, fields).status_code == 302
    results = {e.household: (e.state, e.total, e.result) for e in Evaluation.objects.all()}
    assert results == {
        an: (EvaluationState.IN_PROGRESS, Decimal(100), "achieved"),
        binh: (EvaluationState.IN_PROGRESS, Decimal(65), "not_achieved"),
    }
    content = client.get(grid_url).content.decode()
    assert content.count('data-result="achieved"') == 1 and content.count('data-result="not_achieved"') == 1


def test_saving_again_without_changes_writes_nothing(client_for, personas, households, household_set, grid_url):
    an = households[0]
    client = client_for(personas["village_officer"])
    client.post(grid_url, {**row_fields(an, household_set, FULL_MARKS), "set": household_set.pk, "action": "save"})
    evaluation = Evaluation.objects.get()
    fields = {**row_fields(an, household_set, FULL_MARKS, version=evaluation.version), "set": household_set.pk}
    client.post(grid_url, {**fields, "action": "save"})
    assert Evaluation.objects.get().version == evaluation.version


def test_one_wrong_row_saves_nothing_and_the_error_shows_on_its_row(
    client_for, personas, households, household_set, grid_url
):
    an, binh, _cuong = households
    fields = {
        **row_fields(an, household_set, FULL_MARKS),
        **row_fields(binh, household_set, {**FULL_MARKS, "1.1": "15"}),
        "set": household_set.pk,
        "action": "save",
    }
    page = client_for(personas["village_officer"]).post(grid_url, fields)
    assert page.status_code == 200 and not Evaluation.objects.exists()
    content = page.content.decode()
    assert f'id="h-{binh.code}" class="has-errors"' in content and f'id="h-{an.code}">' in content
    assert 'value="15"' in content  # what was typed is kept


def test_a_row_changed_by_someone_else_since_the_grid_was_shown_refuses_the_save(
    client_for, personas, households, household_set, grid_url, reform_year
):
    an, binh, _cuong = households
    officer = personas["village_officer"]
    evaluation = services.evaluation_register(
        actor=officer, title="household", year=reform_year, subject=an, criteria_set=household_set
    )
    services.evaluation_marks_save(
        actor=personas["commune_officer"], evaluation=evaluation, version=1, marks={"1.1": 5}
    )
    fields = {
        **row_fields(an, household_set, FULL_MARKS, version=1),
        **row_fields(binh, household_set, FULL_MARKS),
        "set": household_set.pk,
        "action": "save",
    }
    page = client_for(officer).post(grid_url, fields)
    assert [row.household for row in page.context["rows"] if row.errors] == [an]
    evaluation.refresh_from_db()
    assert evaluation.total == Decimal(5) and Evaluation.objects.count() == 1


def test_submitting_the_complete_rows_leaves_the_others_in_progress(
    client_for, personas, households, household_set, grid_url
):
    an, binh, _cuong = households
    fields = {
        **row_fields(an, household_set, FULL_MARKS),
        **row_fields(binh, household_set, {"1.1": "10"}),
        "set": household_set.pk,
        "action": "submit",
    }
    assert client_for(personas["village_officer"]).post(grid_url, fields).status_code == 302
    states = dict(Evaluation.objects.values_list("household", "state"))
    assert states == {an.pk: EvaluationState.SUBMITTED, binh.pk: EvaluationState.IN_PROGRESS}


def test_the_village_meeting_then_the_commune_approval(client_for, personas, households, household_set, grid_url):
    fields = {"set": household_set.pk, "action": "submit"}
    for household in households:
        fields.update(row_fields(household, household_set, FULL_MARKS))
    client_for(personas["village_officer"]).post(grid_url, fields)
    page = client_for(personas["village_officer"]).get(grid_url)
    assert not any(row.editable for row in page.context["rows"])  # submitted rows are no longer typed in
    client = client_for(personas["commune_officer"])
    waiting = client.get(reverse("evaluations:approve_many")).context["page"].object_list
    assert len(waiting) == 3
    fields = {"action": "approve", "pick": [e.pk for e in waiting], **{f"v-{e.pk}": e.version for e in waiting}}
    client.post(reverse("evaluations:approve_many"), fields)
    assert set(Evaluation.objects.values_list("state", flat=True)) == {EvaluationState.APPROVED}


def test_a_viewer_sees_the_grid_without_fields_and_cannot_save(
    client_for, personas, households, household_set, grid_url
):
    client = client_for(personas["viewer"])
    page = client.get(grid_url)
    assert page.status_code == 200 and "<input" not in page.content.decode().split('<table class="grid">')[1]
    fields = {**row_fields(households[0], household_set, FULL_MARKS), "set": household_set.pk, "action": "save"}
    assert client.post(grid_url, fields).status_code == 403
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("persona", ["other_commune_officer", "other_district_officer"])
def test_another_area_does_not_find_the_village(client_for, personas, households, grid_url, persona):
    assert client_for(personas[persona]).get(grid_url).status_code == 404


def test_without_a_complete_set_for_the_year_the_grid_says_so(
    client_for, personas, households, household_set, grid_url, reform_year
):
    household_set.valid_from = reform_year + 1
    household_set.save()
    page = client_for(personas["village_officer"]).get(grid_url)
    assert page.context["problem"] and "rows" not in page.context


def test_a_big_village_is_marked_and_saved_in_one_go(
    client_for, admin_user, personas, villages, household_set, grid_url
):
    """A village of 150 households on a set of 7 scored criteria sends some 1,050 fields in one save:
    more than Django's default limit of 1,000, which would answer 400 and lose every mark typed."""
    many = [
        registry_services.household_create(
            actor=admin_user, village=villages["song_cau_1"], head_name=f"Hộ số {n}", members=3
        )
        for n in range(150)
    ]
    client = client_for(personas["village_officer"])
    page = client.get(grid_url)
    fields = {name: value for row in page.context["rows"] for name, value, _leaf in row.cells}
    assert len(fields) > 1000
    for household in many:
        fields.update(row_fields(household, household_set, FULL_MARKS))
    answer = client.post(grid_url, {**fields, "set": household_set.pk, "action": "save"})
    assert answer.status_code == 302
    assert Evaluation.objects.filter(household__in=many, total=Decimal(100)).count() == len(many)


def test_a_meeting_asks_its_rules_once_not_once_a_household(
    client_for, admin_user, personas, villages, household_set, grid_url
):
    """The set's criteria, whether the year is closed, which commune holds the village, and the
    figures' rows are the same for every row of a meeting: 600 households took 11 s to save when
    each row asked again (`docs/performance.md`)."""
    many = [
        registry_services.household_create(
            actor=admin_user, village=villages["song_cau_1"], head_name=f"Hộ số {n}", members=3
        )
        for n in range(12)
    ]
    fields = {}
    for household in many:
        fields.update(row_fields(household, household_set, FULL_MARKS))
    client = client_for(personas["village_officer"])
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(grid_url, {**fields, "set": household_set.pk, "action": "submit"})
    assert answer.status_code == 302
    assert Evaluation.objects.filter(household__in=many, state=EvaluationState.SUBMITTED).count() == 12

    def asking(table):
        return sum(f'"{table}"' in query["sql"] for query in queries.captured_queries)

    assert asking("evaluations_closedyear") <= 2  # the page says whether the year is closed, the save checks it
    assert asking("criteria_ratingband") <= 3  # the page's set, its definition, whether it is complete
    assert asking("areas_villageplacement") <= 6  # the page's own reads, and the save's one
    assert asking("stats_fact") <= 3 * 5  # each level of the tree: created where missing, locked, written

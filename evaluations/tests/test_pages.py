"""The evaluation pages for each persona: the village officer marks and submits, the commune officer
approves (one by one or in bulk), another commune sees nothing, a viewer reads without buttons; a
page shown before someone else's change cannot overwrite it; evidence files stay in scope."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations import services
from evaluations.models import ClosedYear, Evaluation, EvaluationState, Evidence
from registry import services as registry_services

from .conftest import FULL_MARKS

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(admin_user, villages):
    return [
        registry_services.household_create(actor=admin_user, village=villages["song_cau_1"], head_name=name, members=4)
        for name in ("Hoàng Văn An", "Đinh Thị Bình")
    ]


@pytest.fixture
def registered(personas, households, household_set, reform_year):
    return [
        services.evaluation_register(
            actor=personas["village_officer"],
            title="household",
            year=reform_year,
            subject=household,
            criteria_set=household_set,
        )
        for household in households
    ]


def submit(personas, evaluation, marks=FULL_MARKS):
    officer = personas["village_officer"]
    evaluation = services.evaluation_marks_save(
        actor=officer, evaluation=evaluation, version=evaluation.version, marks=marks
    )
    return services.evaluation_submit(actor=officer, evaluation=evaluation, version=evaluation.version)


def mark_fields(evaluation, marks, prefix="mark"):
    nodes = {n.code: n.pk for n in evaluation.criteria_set.nodes.all()}
    return {f"{prefix}-{nodes[code]}": value for code, value in marks.items()}


def detail(evaluation):
    return reverse("evaluations:detail", args=[evaluation.pk])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_menu_offers_evaluations_to_officers_but_not_to_viewers(client_for, personas):
    link = f'href="{reverse("evaluations:list")}"'
    assert link in client_for(personas["village_officer"]).get(reverse("areas:browse"), follow=True).content.decode()
    assert link not in client_for(personas["viewer"]).get(reverse("areas:browse")).content.decode()


def test_the_village_officer_marks_and_submits_on_the_evaluation_page(client_for, personas, registered):
    evaluation = registered[0]
    client = client_for(personas["village_officer"])
    fields = {**mark_fields(evaluation, {**FULL_MARKS, "4": ""}), "version": 1, "action": "save"}
    assert client.post(detail(evaluation), fields).status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.total) == (EvaluationState.IN_PROGRESS, Decimal(80))
    fields = {**mark_fields(evaluation, FULL_MARKS), "version": evaluation.version, "action": "submit"}
    assert client.post(detail(evaluation), fields).status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.total, evaluation.result) == ("submitted", Decimal(100), "achieved")


def test_an_incomplete_submission_keeps_the_marks_and_says_why(client_for, personas, registered):
    evaluation = registered[0]
    client = english(client_for(personas["village_officer"]))
    fields = {**mark_fields(evaluation, {"1.1": 10}), "version": 1, "action": "submit"}
    page = client.post(detail(evaluation), fields)
    assert page.status_code == 200 and "Mark every criterion before submitting." in page.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.IN_PROGRESS and evaluation.marks.get(node__code="1.1").points == 10


def test_marks_out_of_range_are_refused_and_shown_again(client_for, personas, registered):
    evaluation = registered[0]
    page = client_for(personas["village_officer"]).post(
        detail(evaluation), {**mark_fields(evaluation, {"1.1": "15"}), "version": 1, "action": "save"}
    )
    assert page.status_code == 200 and page.context["errors"]
    assert 'value="15"' in page.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.version == 1 and not evaluation.marks.exists()


def test_a_page_shown_before_someone_elses_change_cannot_overwrite_it(client_for, personas, registered):
    evaluation = registered[0]
    services.evaluation_marks_save(
        actor=personas["commune_officer"], evaluation=evaluation, version=1, marks={"1.1": 10}
    )
    client = english(client_for(personas["village_officer"]))
    page = client.post(detail(evaluation), {**mark_fields(evaluation, {"1.1": 0}), "version": 1, "action": "save"})
    assert page.status_code == 409
    assert "Someone else changed this evaluation" in page.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.version == 2 and evaluation.marks.get(node__code="1.1").points == 10


def test_a_viewer_reads_the_page_without_buttons_and_cannot_post(client_for, personas, registered):
    evaluation = submit(personas, registered[0])
    client = client_for(personas["viewer"])
    page = client.get(detail(evaluation))
    assert page.status_code == 200 and 'name="action"' not in page.content.decode()
    fields = {"version": evaluation.version, "action": "approve"}
    assert client.post(detail(evaluation), fields).status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.SUBMITTED


def test_another_commune_gets_not_found(client_for, personas, registered):
    client = client_for(personas["other_commune_officer"])
    assert client.get(detail(registered[0])).status_code == 404
    assert client.post(detail(registered[0]), {"version": 1, "action": "save"}).status_code == 404
    assert client.get(reverse("evaluations:list")).context["page"].paginator.count == 0


def test_the_buttons_follow_the_role_and_the_state(client_for, personas, registered):
    evaluation = registered[0]
    buttons = lambda persona: {  # noqa: E731
        value
        for value in ("save", "submit", "approve", "return", "adjust", "unlock")
        if f'name="action" value="{value}"' in client_for(personas[persona]).get(detail(evaluation)).content.decode()
    }
    assert buttons("village_officer") == {"save", "submit"}
    evaluation = submit(personas, evaluation)
    assert buttons("village_officer") == set()
    assert buttons("commune_officer") == {"approve", "return", "adjust"}
    services.evaluation_approve(actor=personas["commune_officer"], evaluation=evaluation, version=evaluation.version)
    assert buttons("commune_officer") == {"unlock"}


def test_the_approver_adjusts_with_a_reason_then_approves_and_unlocks(client_for, personas, registered):
    evaluation = submit(personas, registered[0])
    client = client_for(personas["commune_officer"])
    adjust = {**mark_fields(evaluation, {**FULL_MARKS, "3": "5"}, prefix="adjust"), "action": "adjust"}
    page = client.post(detail(evaluation), {**adjust, "version": evaluation.version, "reason": " "})
    assert page.status_code == 200 and page.context["errors"]
    client.post(detail(evaluation), {**adjust, "version": evaluation.version, "reason": "Không có góc học tập"})
    evaluation.refresh_from_db()
    assert (evaluation.total, evaluation.marks.get(node__code="3").adjusted_points) == (Decimal(85), Decimal(5))
    assert evaluation.marks.filter(adjusted_points__isnull=False).count() == 1
    client.post(detail(evaluation), {"version": evaluation.version, "action": "approve"})
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.APPROVED
    client.post(detail(evaluation), {"version": evaluation.version, "action": "unlock", "reason": "Nhập nhầm"})
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.SUBMITTED


def test_the_approver_returns_it_with_a_reason(client_for, personas, registered):
    evaluation = submit(personas, registered[0])
    client = client_for(personas["commune_officer"])
    client.post(detail(evaluation), {"version": evaluation.version, "action": "return", "reason": ""})
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.SUBMITTED
    client.post(detail(evaluation), {"version": evaluation.version, "action": "return", "reason": "Bổ sung minh chứng"})
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.RETURNED


def test_the_page_shows_the_set_as_an_illustration_and_the_history(client_for, personas, registered):
    evaluation = submit(personas, registered[0])
    page = client_for(personas["commune_officer"]).get(detail(evaluation))
    content = page.content.decode()
    assert "minh hoạ" in content and 'data-result="achieved"' in content
    assert [entry.action for entry in page.context["history"]] == [
        "evaluation.submit",
        "evaluation.marks",
        "evaluation.register",
    ]


def test_the_list_is_scoped_filtered_and_counted_by_state(client_for, personas, registered):
    submit(personas, registered[0])
    client = client_for(personas["commune_officer"])
    page = client.get(reverse("evaluations:list"))
    assert page.context["page"].paginator.count == 2
    assert {value: count for value, _label, count in page.context["counts"]}["submitted"] == 1
    page = client.get(reverse("evaluations:list"), {"state": "submitted"})
    assert [row[0].pk for row in page.context["rows"]] == [registered[0].pk]
    assert page.context["total"] == 2  # the counts ignore the state chosen
    assert client.get(reverse("evaluations:list"), {"q": "binh"}).context["page"].paginator.count == 1
    assert client.get(reverse("evaluations:list"), {"area": "01843"}).context["page"].paginator.count == 2
    assert client.get(reverse("evaluations:list"), {"area": "01840"}).context["page"].paginator.count == 0
    assert client.get(reverse("evaluations:list"), {"year": "2019"}).context["page"].paginator.count == 0


def test_registering_on_the_page(client_for, personas, households, household_set, reform_year):
    client = client_for(personas["village_officer"])
    fields = {"title": "household", "year": reform_year, "code": households[0].code, "criteria_set": household_set.pk}
    response = client.post(reverse("evaluations:register"), fields)
    evaluation = Evaluation.objects.get(household=households[0])
    assert response.url == detail(evaluation) and evaluation.criteria_set == household_set
    page = client.post(reverse("evaluations:register"), fields)
    assert page.context["form"].has_error("__all__", code="duplicate")
    fields = {**fields, "code": households[1].code, "criteria_set": ""}
    client.post(reverse("evaluations:register"), fields)
    assert Evaluation.objects.get(household=households[1]).criteria_set == household_set


def test_registering_outside_ones_area_or_without_a_set_says_so(
    client_for, personas, households, household_set, reform_year
):
    fields = {"title": "household", "year": reform_year, "code": households[0].code}
    page = client_for(personas["other_commune_officer"]).post(reverse("evaluations:register"), fields)
    assert page.context["form"].has_error("code", code="scope")
    household_set.valid_from = reform_year + 1
    household_set.save()
    page = client_for(personas["village_officer"]).post(reverse("evaluations:register"), fields)
    assert page.context["form"].has_error("__all__", code="no_set")
    assert not Evaluation.objects.exists()


def test_a_viewer_cannot_register(client_for, personas):
    assert client_for(personas["viewer"]).get(reverse("evaluations:register")).status_code == 403


def test_the_commune_officer_approves_in_bulk(client_for, personas, registered):
    evaluations = [submit(personas, e) for e in registered]
    client = client_for(personas["commune_officer"])
    page = client.get(reverse("evaluations:approve_many"))
    assert page.context["page"].paginator.count == 2
    fields = {"action": "approve", "pick": [e.pk for e in evaluations], **{f"v-{e.pk}": e.version for e in evaluations}}
    assert client.post(reverse("evaluations:approve_many"), fields).status_code == 302
    assert set(Evaluation.objects.values_list("state", flat=True)) == {EvaluationState.APPROVED}


def test_bulk_decisions_are_all_or_nothing(client_for, personas, registered):
    evaluations = [submit(personas, e) for e in registered]
    client = client_for(personas["commune_officer"])
    stale = {f"v-{evaluations[0].pk}": evaluations[0].version, f"v-{evaluations[1].pk}": evaluations[1].version - 1}
    page = client.post(
        reverse("evaluations:approve_many"), {"action": "approve", "pick": [e.pk for e in evaluations], **stale}
    )
    assert page.status_code == 200 and len(page.context["errors"]) == 1
    assert set(Evaluation.objects.values_list("state", flat=True)) == {EvaluationState.SUBMITTED}
    versions = {f"v-{e.pk}": e.version for e in evaluations}
    page = client.post(
        reverse("evaluations:approve_many"), {"action": "return", "pick": [e.pk for e in evaluations], **versions}
    )
    assert page.status_code == 200 and page.context["errors"]
    fields = {"action": "return", "reason": "Thiếu minh chứng", "pick": [e.pk for e in evaluations], **versions}
    client.post(reverse("evaluations:approve_many"), fields)
    assert set(Evaluation.objects.values_list("state", flat=True)) == {EvaluationState.RETURNED}


@pytest.mark.parametrize("persona", ["other_commune_officer", "province_officer"])
def test_only_the_approving_unit_of_the_area_is_offered_the_evaluations(client_for, personas, registered, persona):
    submit(personas, registered[0])
    page = client_for(personas[persona]).get(reverse("evaluations:approve_many"))
    assert page.context["page"].paginator.count == 0


def test_a_village_officer_has_no_approval_page(client_for, personas):
    assert client_for(personas["village_officer"]).get(reverse("evaluations:approve_many")).status_code == 403


def test_evidence_is_uploaded_by_the_owner_and_downloaded_in_scope_only(client_for, personas, registered):
    evaluation = registered[0]
    node = evaluation.criteria_set.nodes.get(code="1")
    upload = {
        "action": "evidence",
        "version": 1,
        "node": node.pk,
        "file": SimpleUploadedFile("biên bản họp.pdf", b"%PDF-1.4 minh chung"),
    }
    assert client_for(personas["village_officer"]).post(detail(evaluation), upload).status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.node, evidence.original_name, evidence.uploaded_by) == (
        node,
        "biên bản họp.pdf",
        personas["village_officer"],
    )
    evaluation.refresh_from_db()
    assert evaluation.version == 2
    url = reverse("evaluations:evidence", args=[evaluation.pk, evidence.pk])
    for persona in ("commune_officer", "viewer"):
        response = client_for(personas[persona]).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 minh chung"
        assert "attachment" in response["Content-Disposition"]
    assert client_for(personas["other_commune_officer"]).get(url).status_code == 404
    assert client_for(personas["viewer"]).post(detail(evaluation), {**upload, "version": 2}).status_code == 403
    assert Evidence.objects.count() == 1


def test_evidence_is_not_added_once_submitted(client_for, personas, registered):
    evaluation = submit(personas, registered[0])
    node = evaluation.criteria_set.nodes.get(code="1")
    upload = {
        "action": "evidence",
        "version": evaluation.version,
        "node": node.pk,
        "file": SimpleUploadedFile("a.pdf", b"x"),
    }
    page = client_for(personas["village_officer"]).post(detail(evaluation), upload)
    assert page.status_code == 200 and page.context["errors"] and not Evidence.objects.exists()


def test_the_approving_unit_closes_and_reopens_a_year(client_for, personas, registered, reform_year):
    evaluation = registered[0]
    client = client_for(personas["commune_officer"])
    client.post(reverse("evaluations:years"), {"action": "close", "title": "household", "year": reform_year})
    assert ClosedYear.objects.filter(area=personas["commune_officer"].unit, year=reform_year).exists()
    page = client_for(personas["village_officer"]).get(detail(evaluation))
    assert page.context["closed"] and 'name="action"' not in page.content.decode()
    client = client_for(personas["commune_officer"])
    page = client.post(reverse("evaluations:years"), {"action": "reopen", "title": "household", "year": reform_year})
    assert page.status_code == 200 and ClosedYear.objects.exists()
    client.post(
        reverse("evaluations:years"),
        {"action": "reopen", "title": "household", "year": reform_year, "reason": "Bổ sung"},
    )
    assert not ClosedYear.objects.exists()


def test_a_unit_that_does_not_approve_the_title_cannot_close_its_year(client_for, personas, reform_year):
    page = client_for(personas["province_officer"]).post(
        reverse("evaluations:years"), {"action": "close", "title": "household", "year": reform_year}
    )
    assert page.status_code == 200 and page.context["form"].non_field_errors()
    assert not ClosedYear.objects.exists()

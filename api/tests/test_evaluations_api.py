"""Criteria sets, evaluations and recognition decisions through the API: the services of the pages,
the caller's area, the role and the state decide; a write from a stale version answers 409."""

import pytest

from evaluations import decisions, services
from evaluations.models import DecisionStatus, EvaluationState, RecognitionDecision
from evaluations.tests.conftest import FULL_MARKS, household_set  # noqa: F401  (the completed household set)
from registry import services as registry_services

from .clients import ANONYMOUS, api_for, statuses

pytestmark = pytest.mark.django_db

EVALUATIONS = "/api/v1/evaluations/"


@pytest.fixture
def household(admin_user, villages):
    return registry_services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
    )


def take(personas, evaluation, state):
    """The evaluation moved through the services to `state` by the village head and the commune."""
    village, commune = personas["village_officer"], personas["commune_officer"]
    if state == EvaluationState.REGISTERED:
        return evaluation
    evaluation = services.evaluation_marks_save(
        actor=village, evaluation=evaluation, version=evaluation.version, marks=FULL_MARKS
    )
    if state == EvaluationState.IN_PROGRESS:
        return evaluation
    evaluation = services.evaluation_submit(actor=village, evaluation=evaluation, version=evaluation.version)
    if state == EvaluationState.SUBMITTED:
        return evaluation
    return services.evaluation_approve(actor=commune, evaluation=evaluation, version=evaluation.version)


@pytest.fixture
def evaluation(personas, household, household_set, reform_year):  # noqa: F811
    def make(state=EvaluationState.REGISTERED):
        registered = services.evaluation_register(
            actor=personas["village_officer"],
            title="household",
            year=reform_year,
            subject=household,
            criteria_set=household_set,
        )
        return take(personas, registered, state)

    return make


# Each transition: the state it starts from, its body, the state it leads to.
TRANSITIONS = {
    "marks": (
        EvaluationState.REGISTERED,
        {"marks": {"1.1": 5}, "notes": {"1.1": "Cháu học lớp 3"}},
        EvaluationState.IN_PROGRESS,
    ),
    "submit": (EvaluationState.IN_PROGRESS, {}, EvaluationState.SUBMITTED),
    "return": (EvaluationState.SUBMITTED, {"reason": "Bổ sung minh chứng"}, EvaluationState.RETURNED),
    "adjust": (
        EvaluationState.SUBMITTED,
        {"marks": {"3": 5}, "reason": "Không có góc học tập"},
        EvaluationState.SUBMITTED,
    ),
    "approve": (EvaluationState.SUBMITTED, {}, EvaluationState.APPROVED),
    "unlock": (EvaluationState.APPROVED, {"reason": "Nhập nhầm điểm"}, EvaluationState.SUBMITTED),
}

# Outside the caller's area: 404; inside without the role or the approving level: 403.
OWNER = {
    "province_officer": 200,
    "old_province_officer": 404,
    "district_officer": 404,
    "other_district_officer": 404,
    "commune_officer": 200,
    "other_commune_officer": 404,
    "village_officer": 200,
    "viewer": 403,
    "anonymous": ANONYMOUS,
}
APPROVER = {**OWNER, "province_officer": 403, "village_officer": 403}


@pytest.mark.parametrize(
    "action, persona, expected",
    [
        (action, persona, expected)
        for action, matrix in [
            ("marks", OWNER),
            ("submit", OWNER),
            ("return", APPROVER),
            ("adjust", APPROVER),
            ("approve", APPROVER),
            ("unlock", APPROVER),
        ]
        for persona, expected in matrix.items()
    ],
)
def test_who_may_move_an_evaluation_and_where(personas, evaluation, action, persona, expected):
    start, body, end = TRANSITIONS[action]
    record = evaluation(start)
    response = api_for(personas[persona]).post(
        f"{EVALUATIONS}{record.pk}/{action}/", {"version": record.version, **body}, format="json"
    )
    assert response.status_code in statuses(expected)
    before = record.version
    record.refresh_from_db()
    if response.status_code == 200:
        assert (record.state, record.version, response.data["version"]) == (end, before + 1, before + 1)
    else:
        assert (record.state, record.version) == (start, before)


def test_two_writes_from_the_same_version_the_second_gets_a_conflict(personas, evaluation):
    record = evaluation()
    url = f"{EVALUATIONS}{record.pk}/marks/"
    seen = api_for(personas["village_officer"]).get(f"{EVALUATIONS}{record.pk}/").data["version"]
    first = api_for(personas["village_officer"]).post(url, {"version": seen, "marks": {"1.1": 10}}, format="json")
    second = api_for(personas["commune_officer"]).post(url, {"version": seen, "marks": {"1.1": 0}}, format="json")
    assert (first.status_code, second.status_code) == (200, 409)
    assert second.data["detail"].code == "stale"
    detail = api_for(personas["commune_officer"]).get(f"{EVALUATIONS}{record.pk}/").data
    assert detail["version"] == seen + 1
    assert [(m["code"], m["points"]) for m in detail["marks"]] == [("1.1", "10.00")]


@pytest.mark.parametrize(
    "action, start, body, field",
    [
        ("approve", EvaluationState.REGISTERED, {}, "non_field_errors"),
        ("submit", EvaluationState.REGISTERED, {}, "non_field_errors"),
        ("unlock", EvaluationState.SUBMITTED, {"reason": "Sai"}, "non_field_errors"),
        ("marks", EvaluationState.REGISTERED, {"marks": {"1.1": 999}}, "marks"),
        ("marks", EvaluationState.REGISTERED, {"marks": {"9.9": 1}}, "marks"),
        ("marks", EvaluationState.REGISTERED, {"marks": "1.1=10"}, "marks"),
        ("return", EvaluationState.SUBMITTED, {"reason": " "}, "reason"),
        ("adjust", EvaluationState.SUBMITTED, {"marks": {"3": 5}, "reason": ""}, "reason"),
    ],
)
def test_a_wrong_state_or_value_is_a_400_naming_the_field(personas, evaluation, action, start, body, field):
    record = evaluation(start)
    actor = personas["commune_officer"]
    response = api_for(actor).post(
        f"{EVALUATIONS}{record.pk}/{action}/", {"version": record.version, **body}, format="json"
    )
    assert response.status_code == 400 and field in response.data
    record.refresh_from_db()
    assert record.state == start


def test_a_transition_without_the_version_is_refused(personas, evaluation):
    record = evaluation()
    response = api_for(personas["village_officer"]).post(
        f"{EVALUATIONS}{record.pk}/marks/", {"marks": {"1.1": 5}}, format="json"
    )
    assert response.status_code == 400 and "version" in response.data


@pytest.mark.parametrize(
    "persona, subject, expected",
    [
        ("village_officer", "own", 201),
        ("commune_officer", "own", 201),
        ("viewer", "own", 403),
        ("other_commune_officer", "own", 400),
        ("anonymous", "own", ANONYMOUS),
        ("village_officer", "unknown", 400),
    ],
)
def test_who_may_register_an_evaluation(personas, household, household_set, reform_year, persona, subject, expected):  # noqa: F811
    body = {
        "title": "household",
        "year": reform_year,
        "criteria_set": household_set.pk,
        "subject": household.code if subject == "own" else "00000-000-0000",
    }
    response = api_for(personas[persona]).post(EVALUATIONS, body, format="json")
    assert response.status_code in statuses(expected)
    if response.status_code == 201:
        data = response.data
        assert (data["state"], data["subject"], data["version"]) == ("registered", household.code, 1)
        assert response.data["is_illustration"] is True
        again = api_for(personas[persona]).post(EVALUATIONS, body, format="json")
        assert again.status_code == 400 and "subject" in again.data


def test_a_household_code_does_not_name_a_learning_citizen(personas, household, reform_year):
    body = {"title": "citizen", "year": reform_year, "subject": household.code}
    response = api_for(personas["commune_officer"]).post(EVALUATIONS, body, format="json")
    assert response.status_code == 400 and "subject" in response.data


def test_the_list_is_scoped_and_filtered(personas, evaluation, reform_year):
    record = evaluation(EvaluationState.SUBMITTED)
    api = api_for(personas["province_officer"])

    def ids(**params):
        response = api.get(EVALUATIONS, params)
        assert response.status_code == 200
        return [row["id"] for row in response.data["results"]]

    assert ids() == [record.pk]
    assert ids(year=reform_year, title="household", state="submitted", area="2025:01843") == [record.pk]
    assert ids(state="approved") == ids(year=reform_year - 1) == ids(area="2025:01840") == []
    assert api.get(EVALUATIONS, {"area": "01843"}).status_code == 400
    assert api.get(EVALUATIONS, {"state": "done"}).status_code == 400
    assert api_for(personas["other_commune_officer"]).get(EVALUATIONS).data["count"] == 0
    assert api_for(personas["other_commune_officer"]).get(f"{EVALUATIONS}{record.pk}/").status_code == 404


def test_an_evaluation_reads_with_its_marks_and_its_history(personas, evaluation):
    record = evaluation(EvaluationState.SUBMITTED)
    api = api_for(personas["viewer"])
    detail = api.get(f"{EVALUATIONS}{record.pk}/").data
    assert {m["code"] for m in detail["marks"]} == set(FULL_MARKS)
    assert (detail["total"], detail["result"], detail["subject_name"]) == ("100.00", "achieved", str(record.subject))
    history = api.get(f"{EVALUATIONS}{record.pk}/history/").data["results"]
    assert [entry["action"] for entry in history][::-1] == [
        "evaluation.register",
        "evaluation.marks",
        "evaluation.submit",
    ]


# Criteria sets ---------------------------------------------------------------------------------


def test_criteria_sets_read_with_their_tree_and_what_they_lack(personas, household_set, reform_year):  # noqa: F811
    api = api_for(personas["viewer"])
    sets = api.get("/api/v1/criteria-sets/", {"title": "household"}).data["results"]
    shipped = next(s for s in sets if s["is_default"])
    assert shipped["missing"] and shipped["id"] != household_set.pk
    copy = api.get(f"/api/v1/criteria-sets/{household_set.pk}/").data
    assert copy["missing"] == [] and copy["is_illustration"] and copy["based_on"] == shipped["id"]
    assert {n["code"] for n in copy["nodes"] if n["parent"] is None} == {"1", "2", "3", "4"}
    assert [r["code"] for r in copy["results"]] == ["achieved", "not_achieved"]
    in_year = api.get("/api/v1/criteria-sets/", {"title": "household", "year": reform_year}).data["results"]
    in_year = [s["id"] for s in in_year]
    assert household_set.pk in in_year and shipped["id"] not in in_year
    assert api.post("/api/v1/criteria-sets/", {}, format="json").status_code == 405
    assert api_for(None).get("/api/v1/criteria-sets/").status_code in ANONYMOUS


# Decisions -------------------------------------------------------------------------------------

DECISIONS = "/api/v1/decisions/"


def decision_body(record, **changes):
    return {
        "title": "household",
        "year": record.year,
        "number": "12/QĐ-UBND",
        "date": f"{record.year + 1}-03-20",
        "issuing_area_tree": "2025",
        "issuing_area_code": "01843",
        "issuing_body": "UBND Phường Bắc Kạn",
        "signer": "Nguyễn Văn Bình",
        "legal_basis": "QĐ 448/QĐ-KHVN",
        "evaluations": [record.pk],
        **changes,
    }


@pytest.mark.parametrize(
    "persona, area, expected",
    [
        ("commune_officer", "01843", 201),
        ("province_officer", "01843", 201),
        ("other_commune_officer", "01843", 400),
        ("commune_officer", "01840", 400),
        ("viewer", "01843", 403),
        ("village_officer", "01843", 403),
        ("anonymous", "01843", ANONYMOUS),
    ],
)
def test_who_may_draft_a_decision_and_for_where(personas, evaluation, persona, area, expected):
    record = evaluation(EvaluationState.APPROVED)
    response = api_for(personas[persona]).post(DECISIONS, decision_body(record, issuing_area_code=area), format="json")
    assert response.status_code in statuses(expected)
    assert RecognitionDecision.objects.count() == (1 if response.status_code == 201 else 0)
    if response.status_code == 201:
        assert response.data["status"] == "draft" and response.data["evaluations"] == [record.pk]
        assert response.data["recognised"][0]["subject"] == record.household.code


def test_only_approved_recognised_evaluations_go_into_a_decision(personas, evaluation):
    record = evaluation(EvaluationState.SUBMITTED)
    response = api_for(personas["commune_officer"]).post(DECISIONS, decision_body(record), format="json")
    assert response.status_code == 400 and "evaluations" in response.data


def test_a_decision_is_published_revoked_with_a_reason_and_never_deleted(personas, evaluation):
    record = evaluation(EvaluationState.APPROVED)
    api = api_for(personas["commune_officer"])
    created = api.post(DECISIONS, decision_body(record), format="json").data
    url = f"{DECISIONS}{created['id']}/"
    patched = api.patch(url, {"number": "12a/QĐ-UBND"}, format="json")
    assert patched.status_code == 200 and patched.data["number"] == "12a/QĐ-UBND"
    assert patched.data["evaluations"] == [record.pk]
    assert api_for(personas["viewer"]).post(f"{url}publish/").status_code == 403
    assert api.post(f"{url}revoke/", {"reason": "Sai"}, format="json").status_code == 400

    published = api.post(f"{url}publish/")
    assert published.status_code == 200 and published.data["status"] == "published"
    assert api.post(f"{url}publish/").status_code == 400
    assert api.patch(url, {"number": "99"}, format="json").status_code == 400
    assert api.post(f"{url}revoke/", {"reason": " "}, format="json").status_code == 400
    revoked = api.post(f"{url}revoke/", {"reason": "Nhầm danh sách"}, format="json")
    assert revoked.status_code == 200 and revoked.data["status"] == "revoked"
    assert revoked.data["revoke_reason"] == "Nhầm danh sách" and revoked.data["evaluations"] == [record.pk]

    assert api.delete(url).status_code == 405
    actions = [entry["action"] for entry in api.get(f"{url}history/").data["results"]]
    assert actions[::-1] == ["decision.create", "decision.update", "decision.publish", "decision.revoke"]


def test_decisions_are_listed_in_the_callers_area(personas, evaluation, reform_year):
    record = evaluation(EvaluationState.APPROVED)
    decision = decisions.decision_create(
        actor=personas["commune_officer"],
        title="household",
        year=reform_year,
        issuing_area=record.area,
        number="3/QĐ-UBND",
        date=record.approved_at.date(),
        issuing_body="UBND",
        signer="Nguyễn Văn Bình",
        legal_basis="",
        evaluations=[record],
    )
    province = api_for(personas["province_officer"])
    assert [d["id"] for d in province.get(DECISIONS, {"area": "2025:19", "status": "draft"}).data["results"]] == [
        decision.pk
    ]
    assert province.get(DECISIONS, {"status": DecisionStatus.PUBLISHED}).data["count"] == 0
    other = api_for(personas["other_commune_officer"])
    assert other.get(DECISIONS).data["count"] == 0
    assert other.get(f"{DECISIONS}{decision.pk}/").status_code == 404
    assert other.post(f"{DECISIONS}{decision.pk}/publish/").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"area": "2025:01843"},
        {"area": "2025/01843", "title": "household"},
        {"area": "2025:19", "state": "submitted"},
        {"area": "01843"},  # a code alone, read on the tree of the year asked for
        {"area": "2025:01840"},
        {"q": "hoang van"},
    ],
)
def test_the_evaluations_page_and_the_api_list_the_same_records(client_for, personas, evaluation, reform_year, params):
    record = evaluation(EvaluationState.SUBMITTED)
    params = {"year": reform_year, **params}
    page = client_for(personas["province_officer"]).get("/evaluations/", params)
    assert page.status_code == 200 and not page.context["area_error"]
    response = api_for(personas["province_officer"]).get(EVALUATIONS, params)
    assert response.status_code == 200
    listed = [row["id"] for row in response.data["results"]]
    assert [evaluation.pk for evaluation, _result in page.context["rows"]] == listed
    assert listed == ([] if params.get("area") == "2025:01840" else [record.pk])


def test_an_area_naming_no_unit_is_said_on_the_page_and_refused_by_the_api(client_for, personas, evaluation):
    evaluation(EvaluationState.SUBMITTED)
    for value in ("2025:99", "nowhere", "01843"):  # a code alone on both trees, with no year: ambiguous
        page = client_for(personas["province_officer"]).get("/evaluations/", {"area": value, "year": ""})
        assert page.context["area_error"] and page.context["page"].paginator.count == 0
        assert api_for(personas["province_officer"]).get(EVALUATIONS, {"area": value}).status_code == 400

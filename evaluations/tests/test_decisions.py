"""Recognition decisions: drafted from approved evaluations whose result counts as recognised,
published, revoked with a reason and never deleted; issued only by officers of the issuing unit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from areas import services as area_services
from audit.models import AuditEntry
from conftest import unit
from evaluations import decisions, services, views_decisions
from evaluations.models import DecisionStatus, RecognitionDecision
from registry import services as registry_services

from .conftest import FULL_MARKS

pytestmark = pytest.mark.django_db

NOT_ENOUGH = {**FULL_MARKS, "3": 0, "4": 5}  # 65 of the 70 the illustration set asks for


@pytest.fixture
def other_village(admin_user, reform_year):
    """A village of the other commune (Phường Đức Xuân) from the reform on."""
    return area_services.village_create(
        actor=admin_user,
        commune=unit("2025", "01840"),
        name="Tổ dân phố 5",
        kind="residential_group",
        from_year=reform_year,
    )


def evaluated(personas, household_set, subject, year, *, marks=FULL_MARKS, officer="commune_officer", until="approved"):
    """A household's evaluation taken by the commune's officer as far as `until`."""
    actor = personas[officer]
    evaluation = services.evaluation_register(
        actor=actor, title="household", year=year, subject=subject, criteria_set=household_set
    )
    evaluation = services.evaluation_marks_save(
        actor=actor, evaluation=evaluation, version=evaluation.version, marks=marks
    )
    evaluation = services.evaluation_submit(actor=actor, evaluation=evaluation, version=evaluation.version)
    if until == "approved":
        evaluation = services.evaluation_approve(actor=actor, evaluation=evaluation, version=evaluation.version)
    return evaluation


def draft(actor, evaluations, *, year, area=("2025", "01843"), number="12/QĐ-UBND"):
    return decisions.decision_create(
        actor=actor,
        title="household",
        year=year,
        issuing_area=unit(*area),
        number=number,
        date=datetime.date(year + 1, 3, 20),
        issuing_body="UBND Phường Bắc Kạn",
        signer="Nguyễn Văn Bình",
        legal_basis="Quyết định 448/QĐ-KHVN",
        evaluations=evaluations,
    )


def page_body(year, ticked) -> dict:
    """The decision page's form as an officer sends it, with `ticked` the evaluations ticked."""
    return {
        "number": "7/QĐ-UBND",
        "date": f"{year + 1}-03-20",
        "issuing_body": "UBND Phường Bắc Kạn",
        "signer": "Nguyễn Văn Bình",
        "legal_basis": "",
        "evaluations": ticked,
    }


@pytest.fixture
def recognised(personas, household_set, household, reform_year):
    return evaluated(personas, household_set, household("Hoàng Văn An"), reform_year)


def test_only_approved_evaluations_with_a_recognised_result_can_be_listed(
    personas, household_set, household, other_village, recognised, reform_year
):
    not_achieved = evaluated(personas, household_set, household("Lý Thị Bình"), reform_year, marks=NOT_ENOUGH)
    submitted = evaluated(personas, household_set, household("Đàm Văn Cường"), reform_year, until="submitted")
    elsewhere = evaluated(
        personas,
        household_set,
        registry_services.household_create(
            actor=personas["other_commune_officer"],
            village=other_village,
            head_name="Ma Văn Dũng",
            members=3,
        ),
        reform_year,
        officer="other_commune_officer",
    )

    listed = decisions.recognisable(title="household", year=reform_year, issuing_area=unit("2025", "01843"))
    assert listed == [recognised]
    for refused in (not_achieved, submitted, elsewhere):
        with pytest.raises(ValidationError) as error:
            draft(personas["commune_officer"], [recognised, refused], year=reform_year)
        assert list(error.value.message_dict) == ["evaluations"]
    assert not RecognitionDecision.objects.exists()


def test_a_draft_is_published_then_revoked_with_a_reason_and_keeps_its_list(personas, recognised, reform_year):
    officer = personas["commune_officer"]
    decision = draft(officer, [recognised], year=reform_year)
    assert decision.status == DecisionStatus.DRAFT and decision.published_at is None

    decision = decisions.decision_publish(actor=officer, decision=decision)
    assert decision.status == DecisionStatus.PUBLISHED and decision.published_at is not None
    with pytest.raises(ValidationError) as error:
        decisions.decision_revoke(actor=officer, decision=decision, reason="  ")
    assert list(error.value.message_dict) == ["reason"]

    decision = decisions.decision_revoke(actor=officer, decision=decision, reason="Nhầm danh sách")
    decision.refresh_from_db()
    assert (decision.status, decision.revoke_reason) == (DecisionStatus.REVOKED, "Nhầm danh sách")
    assert list(decision.evaluations.all()) == [recognised]
    actions = AuditEntry.objects.filter(object_type="evaluations.recognitiondecision", object_id=str(decision.pk))
    assert list(actions.order_by("id").values_list("action", flat=True)) == [
        "decision.create",
        "decision.publish",
        "decision.revoke",
    ]


def test_only_a_draft_changes_or_is_published_and_only_a_published_one_is_revoked(personas, recognised, reform_year):
    officer = personas["commune_officer"]
    decision = draft(officer, [recognised], year=reform_year)
    with pytest.raises(ValidationError) as error:
        decisions.decision_revoke(actor=officer, decision=decision, reason="Sai")
    assert error.value.code == "state"
    decisions.decision_publish(actor=officer, decision=decision)
    for change in (
        lambda: decisions.decision_publish(actor=officer, decision=decision),
        lambda: decisions.decision_update(
            actor=officer,
            decision=decision,
            title="household",
            year=reform_year,
            issuing_area=decision.issuing_area,
            number="13/QĐ-UBND",
            date=decision.date,
            issuing_body="UBND",
            signer="Ai đó",
            legal_basis="",
            evaluations=[],
        ),
    ):
        with pytest.raises(ValidationError) as error:
            change()
        assert error.value.code == "state"
    decision.refresh_from_db()
    assert decision.number == "12/QĐ-UBND"


def test_an_evaluation_is_in_one_decision_at_a_time_until_that_one_is_revoked(personas, recognised, reform_year):
    officer = personas["commune_officer"]
    first = decisions.decision_publish(actor=officer, decision=draft(officer, [recognised], year=reform_year))
    with pytest.raises(ValidationError) as error:
        draft(officer, [recognised], year=reform_year, number="13/QĐ-UBND")
    assert list(error.value.message_dict) == ["evaluations"]
    assert decisions.recognisable(title="household", year=reform_year, issuing_area=unit("2025", "01843")) == []

    decisions.decision_revoke(actor=officer, decision=first, reason="Ban hành lại")
    second = draft(officer, [recognised], year=reform_year, number="13/QĐ-UBND")
    assert list(second.evaluations.all()) == [recognised]


def test_emptying_a_draft_frees_its_evaluations(personas, recognised, reform_year):
    officer = personas["commune_officer"]
    decision = draft(officer, [recognised], year=reform_year)
    decisions.decision_update(
        actor=officer,
        decision=decision,
        title="household",
        year=reform_year,
        issuing_area=decision.issuing_area,
        number="12b/QĐ-UBND",
        date=decision.date,
        issuing_body=decision.issuing_body,
        signer=decision.signer,
        legal_basis="",
        evaluations=[],
    )
    assert draft(officer, [recognised], year=reform_year, number="14/QĐ-UBND").evaluations.count() == 1
    with pytest.raises(ValidationError) as error:
        decisions.decision_publish(actor=officer, decision=decision)
    assert list(error.value.message_dict) == ["evaluations"]


def test_an_evaluation_unlocked_after_the_draft_stops_the_publication(personas, recognised, reform_year):
    officer = personas["commune_officer"]
    decision = draft(officer, [recognised], year=reform_year)
    services.evaluation_unlock(actor=officer, evaluation=recognised, version=recognised.version, reason="Chấm lại")
    with pytest.raises(ValidationError):
        decisions.decision_publish(actor=officer, decision=decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


@pytest.mark.parametrize("persona", ["other_commune_officer", "district_officer", "village_officer", "viewer"])
def test_only_officers_of_the_issuing_unit_draft_publish_and_revoke(personas, recognised, reform_year, persona):
    with pytest.raises(PermissionDenied):
        draft(personas[persona], [recognised], year=reform_year)
    decision = draft(personas["commune_officer"], [recognised], year=reform_year)
    with pytest.raises(PermissionDenied):
        decisions.decision_publish(actor=personas[persona], decision=decision)
    decisions.decision_publish(actor=personas["commune_officer"], decision=decision)
    with pytest.raises(PermissionDenied):
        decisions.decision_revoke(actor=personas[persona], decision=decision, reason="Sai")


def test_a_commune_officer_cannot_issue_for_another_commune(personas, household_set, other_village, reform_year):
    household = registry_services.household_create(
        actor=personas["other_commune_officer"], village=other_village, head_name="Ma Văn Dũng", members=3
    )
    elsewhere = evaluated(personas, household_set, household, reform_year, officer="other_commune_officer")
    with pytest.raises(PermissionDenied):
        draft(personas["commune_officer"], [elsewhere], year=reform_year, area=("2025", "01840"))
    with pytest.raises(ValidationError):
        draft(personas["commune_officer"], [elsewhere], year=reform_year)  # under its own commune it is not listed
    assert draft(personas["other_commune_officer"], [elsewhere], year=reform_year, area=("2025", "01840"))


# The pages -------------------------------------------------------------------------------------


def test_the_officer_drafts_on_the_page_with_every_recognised_evaluation_ticked(
    client_for, personas, household_set, household, recognised, reform_year
):
    other = evaluated(personas, household_set, household("Lý Thị Bình"), reform_year)
    client = client_for(personas["commune_officer"])
    url = f"{reverse('evaluations:decision_create')}?title=household&year={reform_year}&area=2025:01843"
    page = client.get(url)
    assert page.status_code == 200
    assert [row["checked"] for row in page.context["rows"]] == [True, True]

    body = page_body(reform_year, [str(recognised.pk)])
    response = client.post(url, body)
    decision = RecognitionDecision.objects.get()
    assert response.url == reverse("evaluations:decision", args=[decision.pk])
    assert list(decision.evaluations.all()) == [recognised] and other not in decision.evaluations.all()

    detail = client.get(response.url)
    assert "Hoàng Văn An" in detail.content.decode() and detail.context["can_manage"]
    client.post(reverse("evaluations:decision_publish", args=[decision.pk]))
    client.post(reverse("evaluations:decision_revoke", args=[decision.pk]), {"reason": ""})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PUBLISHED
    client.post(reverse("evaluations:decision_revoke", args=[decision.pk]), {"reason": "Sai số quyết định"})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.REVOKED
    listing = client.get(reverse("evaluations:decisions"), {"status": "revoked"})
    assert [d.pk for d in listing.context["page"]] == [decision.pk]


def test_the_draft_is_edited_on_its_page_and_only_while_a_draft(client_for, personas, recognised, reform_year):
    decision = draft(personas["commune_officer"], [recognised], year=reform_year)
    client = client_for(personas["commune_officer"])
    url = reverse("evaluations:decision_edit", args=[decision.pk])
    assert [row["checked"] for row in client.get(url).context["rows"]] == [True]
    body = {
        "number": "12a/QĐ-UBND",
        "date": "20/03/2026",
        "issuing_body": "UBND Phường Bắc Kạn",
        "signer": "Nguyễn Văn Bình",
        "legal_basis": "",
        "evaluations": [str(recognised.pk)],
    }
    assert client.post(url, body).status_code == 302
    decision.refresh_from_db()
    assert decision.number == "12a/QĐ-UBND" and decision.date == datetime.date(2026, 3, 20)
    decisions.decision_publish(actor=personas["commune_officer"], decision=decision)
    assert client.post(url, {**body, "number": "99"}).status_code == 302
    decision.refresh_from_db()
    assert decision.number == "12a/QĐ-UBND"


def test_the_page_offers_only_the_officers_own_units(client_for, personas, reform_year):
    client = client_for(personas["commune_officer"])
    page = client.get(
        reverse("evaluations:decision_create"), {"title": "household", "year": reform_year, "area": "2025:01840"}
    )
    assert page.status_code == 200 and page.context["form"] is None
    assert "area" in page.context["scope_form"].errors


@pytest.mark.parametrize("persona", ["viewer", "village_officer"])
def test_a_viewer_reads_decisions_but_cannot_draft_publish_or_revoke(
    client_for, personas, recognised, reform_year, persona
):
    decision = draft(personas["commune_officer"], [recognised], year=reform_year)
    client = client_for(personas[persona])
    assert client.get(reverse("evaluations:decision", args=[decision.pk])).status_code == 200
    assert client.get(reverse("evaluations:decision_create")).status_code == 403
    assert client.get(reverse("evaluations:decision_edit", args=[decision.pk])).status_code == 403
    assert client.post(reverse("evaluations:decision_publish", args=[decision.pk])).status_code == 403
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def test_a_decision_of_another_area_is_not_found(client_for, personas, recognised, reform_year):
    decision = draft(personas["commune_officer"], [recognised], year=reform_year)
    client = client_for(personas["other_commune_officer"])
    assert client.get(reverse("evaluations:decision", args=[decision.pk])).status_code == 404
    assert client.post(reverse("evaluations:decision_publish", args=[decision.pk])).status_code == 404
    assert client.get(reverse("evaluations:decisions")).context["page"].paginator.count == 0


def test_nothing_deletes_a_decision(personas, recognised, reform_year):
    from rest_framework.test import APIClient

    decision = draft(personas["commune_officer"], [recognised], year=reform_year)
    api = APIClient()
    api.force_authenticate(personas["commune_officer"])
    assert api.delete(f"/api/v1/decisions/{decision.pk}/").status_code == 405
    assert not [name for name in dir(decisions) if "delete" in name]
    assert RecognitionDecision.objects.filter(pk=decision.pk).exists()


def test_a_decision_posted_with_over_a_thousand_ticks_is_read_not_refused_whole(
    client_for, personas, recognised, reform_year
):
    """A ward's decision can name thousands of households: the page reads every tick (Django's default
    limit of 1,000 fields answered 400 and lost the form); ticks that are not on the list are refused
    by the form, in Vietnamese, and nothing is saved."""
    client = client_for(personas["commune_officer"])
    url = f"{reverse('evaluations:decision_create')}?title=household&year={reform_year}&area=2025:01843"
    body = page_body(reform_year, [str(recognised.pk), *(str(recognised.pk + n) for n in range(1, 1500))])
    answer = client.post(url, body)
    assert answer.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in answer.content.decode()
    assert not RecognitionDecision.objects.exists()


def test_a_long_decision_is_read_a_page_at_a_time_each_household_with_its_village(
    client_for, personas, household_set, household, recognised, reform_year, monkeypatch
):
    """A commune's household decision lists thousands: its page shows a page of them at a time (two
    pages of one here), and each household with its village, which the commune alone does not tell."""
    monkeypatch.setattr(views_decisions, "ANNEX_PAGE", 1)
    other = evaluated(personas, household_set, household("Lý Thị Bình", village="song_cau_2"), reform_year)
    decision = draft(personas["commune_officer"], [recognised, other], year=reform_year)
    client = client_for(personas["commune_officer"])
    url = reverse("evaluations:decision", args=[decision.pk])

    def listed(page):
        return [row["evaluation"].subject.head_name for row in page.context["rows"]]

    first, second = client.get(url), client.get(url, {"page": 2})
    assert listed(first) == ["Hoàng Văn An"] and listed(second) == ["Lý Thị Bình"]
    first, second = first.content.decode(), second.content.decode()
    assert "(2)" in first and "1 / 2" in first and "2 / 2" in second
    assert "Tổ dân phố 1 · Phường Bắc Kạn" in first and "Tổ dân phố 2 · Phường Bắc Kạn" in second
    assert listed(client.get(url, {"page": "không phải số"})) == ["Hoàng Văn An"]  # the first page


def test_the_draft_page_offers_a_search_of_its_list_and_names_each_household_s_village(
    client_for, personas, recognised, reform_year
):
    """The box that finds rows in a long list is in the page but hidden: bulk.js shows it (without
    JavaScript the plain list stays), and it searches the form's candidates, where each household is
    named with its village."""
    client = client_for(personas["commune_officer"])
    url = f"{reverse('evaluations:decision_create')}?title=household&year={reform_year}&area=2025:01843"
    page = client.get(url).content.decode()
    assert 'data-bulk-tools data-status="Đã chọn {ticked} / {total}. Đang hiện {shown}." hidden' in page
    assert '<form method="post" class="stacked" data-bulk="evaluations">' in page and "data-filter-rows" in page
    assert page.count('name="evaluations"') == page.count("<td data-filter-key><label") == 1
    assert "Tổ dân phố 1 · Phường Bắc Kạn" in page

"""Nominations and award decisions read as a spec: who may do what, the allowed moves, the audit
rows, and clear Vietnamese errors for bad input with nothing saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from audit.models import AuditEntry
from awards import decisions, kinds, services
from awards.models import AwardDecision, AwardDecisionStatus, AwardKind, Nomination, NominationState

pytestmark = pytest.mark.django_db


def test_shipped_kinds_are_flagged_illustrations():
    shipped = list(AwardKind.objects.all())
    assert {k.heading for k in shipped} == {"GIẤY KHEN", "BẰNG KHEN"}
    assert all(k.is_illustration for k in shipped)
    assert {k.issuer_level for k in shipped} == {1, 2, 3}


def test_a_commune_nominates_and_the_district_selects(nominate, family, personas, district_kind):
    nomination = nominate(family)
    assert nomination.state == NominationState.DRAFT
    assert nomination.awarding_area.code == "064"  # Chợ Đồn, the kind's issuing level above Bản Thi
    assert nomination.recipient_name == "Gia đình Hoàng Văn Thắng" or "Hoàng Văn Thắng" in nomination.recipient_name
    services.nomination_submit(nomination=nomination, actor=nomination.created_by)
    district = personas["district_officer"]
    services.nomination_return(nomination=nomination, actor=district, note="Bổ sung minh chứng")
    nomination.refresh_from_db()
    assert nomination.state == NominationState.RETURNED and nomination.review_note == "Bổ sung minh chứng"
    services.nomination_submit(nomination=nomination, actor=nomination.created_by)
    services.nomination_select(nomination=nomination, actor=district)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SELECTED
    actions = list(
        AuditEntry.objects.filter(object_type="awards.nomination", object_id=str(nomination.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "nomination.create",
        "nomination.submit",
        "nomination.return",
        "nomination.submit",
        "nomination.select",
    ]


def test_moves_out_of_order_are_refused(nominate, family, personas):
    nomination = nominate(family)
    district = personas["district_officer"]
    with pytest.raises(ValidationError):
        services.nomination_select(nomination=nomination, actor=district)  # still a draft
    services.nomination_submit(nomination=nomination, actor=nomination.created_by)
    with pytest.raises(ValidationError):
        services.nomination_submit(nomination=nomination, actor=nomination.created_by)
    with pytest.raises(ValidationError) as refused:
        services.nomination_reject(nomination=nomination, actor=district, note="")
    assert "note" in refused.value.message_dict  # a reason is required to set a nomination aside


@pytest.mark.parametrize(
    ("persona", "sees", "reviews"),
    [
        ("district_officer", True, True),  # the awarding body
        ("old_province_officer", True, False),  # sees below, but does not issue the district's award
        ("other_district_officer", False, False),
        ("commune_officer", False, False),  # a commune on the other tree
        ("village_officer", False, False),
        ("province_officer", True, False),  # the 2025 province formed from old Bắc Kạn sees its history
        ("viewer", True, False),  # the same province's viewer sees, and may not review
    ],
)
def test_permission_matrix_for_review(nominate, family, personas, persona, sees, reviews):
    nomination = nominate(family)
    services.nomination_submit(nomination=nomination, actor=nomination.created_by)
    user = personas[persona]
    if not sees:
        with pytest.raises(Http404):
            services.get_nomination_for_user(user, pk=nomination.pk)
    else:
        assert services.get_nomination_for_user(user, pk=nomination.pk) == nomination
    if reviews:
        services.nomination_select(nomination=nomination, actor=user)
    else:
        with pytest.raises(PermissionDenied):
            services.nomination_select(nomination=nomination, actor=user)
        assert Nomination.objects.get(pk=nomination.pk).state == NominationState.SUBMITTED


def test_a_unit_outside_the_kinds_nominators_cannot_propose(nominate, family, district_kind):
    district_kind.nominator_levels = [2]
    district_kind.save()
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        nominate(family)
    assert "kind" in refused.value.message_dict
    assert not Nomination.objects.exists()


def test_bad_input_names_each_field_in_vietnamese(nominate, villages):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        nominate(
            recipient="person",
            person_name="Nguyễn " * 30,
            person_village=villages["ban_thi"],
            first_year=2019,
            last_year=2016,
            reason="",
        )
    errors = refused.value.message_dict
    assert set(errors) >= {"person_name", "last_year", "reason"}
    assert "ký tự" in errors["person_name"][0]
    assert not Nomination.objects.exists()


def test_a_recipient_outside_the_proposing_commune_is_refused(nominate, admin_user, villages):
    from registry import services as registry_services

    elsewhere = registry_services.household_create(
        actor=admin_user, village=villages["an_thang"], head_name="Lý Văn Páo", members=3
    )
    with pytest.raises(ValidationError) as refused:
        nominate(elsewhere)
    assert "record" in refused.value.message_dict


def test_decision_lists_selected_nominations_once_and_revokes(published, nominate, family, personas):
    assert published.status == AwardDecisionStatus.PUBLISHED
    assert published.nominations.count() == 3
    district = personas["district_officer"]
    # The same nomination cannot go into a second decision.
    with pytest.raises(ValidationError):
        decisions.award_decision_create(
            actor=district,
            kind=published.kind,
            issuing_area=published.issuing_area,
            nominations=list(published.nominations.all())[:1],
            number="16/QĐ-HKH",
            date=datetime.date(2018, 12, 1),
            issuing_body="Hội Khuyến học huyện Chợ Đồn",
            signer="Ma Văn Tường",
            signer_title="Chủ tịch",
        )
    assert AwardDecision.objects.count() == 1
    with pytest.raises(PermissionDenied):
        decisions.award_decision_revoke(actor=personas["other_district_officer"], decision=published, reason="Sai")
    with pytest.raises(ValidationError):
        decisions.award_decision_revoke(actor=district, decision=published, reason="  ")
    decisions.award_decision_revoke(actor=district, decision=published, reason="Hồ sơ không trung thực")
    published.refresh_from_db()
    assert published.status == AwardDecisionStatus.REVOKED
    assert not decisions.awarded_in(published.issuing_area, 2018, 2018).exists()
    assert AuditEntry.objects.filter(action="award_decision.revoke", reason="Hồ sơ không trung thực").exists()


def test_decision_bad_fields_save_nothing(nominate, family, personas):
    nomination = nominate(family)
    with pytest.raises(ValidationError) as refused:
        decisions.award_decision_create(
            actor=personas["district_officer"],
            kind=nomination.kind,
            issuing_area=nomination.awarding_area,
            nominations=[nomination],  # a draft, not selected
            number="",
            date=None,
            issuing_body="x",
            signer="y",
            signer_title="z",
        )
    assert {"number", "date"} <= set(refused.value.message_dict)
    assert not AwardDecision.objects.exists()


def test_only_a_system_administrator_changes_the_kinds(personas, admin_user, district_kind):
    fields = {
        "name": district_kind.name,
        "heading": "GIẤY KHEN",
        "issuer_level": 2,
        "nominator_levels": [3],
        "is_illustration": False,
        "is_active": True,
        "order": 2,
    }
    with pytest.raises(PermissionDenied):
        kinds.award_kind_save(actor=personas["province_officer"], kind=district_kind, version=1, **fields)
    kinds.award_kind_save(actor=admin_user, kind=district_kind, version=1, **fields)
    district_kind.refresh_from_db()
    assert district_kind.nominator_levels == [3] and not district_kind.is_illustration
    assert AuditEntry.objects.filter(action="award_kind.save", object_id=str(district_kind.pk)).count() == 1
    with pytest.raises(ValidationError) as refused:
        kinds.award_kind_save(actor=admin_user, kind=district_kind, version=2, **{**fields, "nominator_levels": [1]})
    assert "nominator_levels" in refused.value.message_dict

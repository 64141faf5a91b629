"""Every change of an evaluation, of a title's year and of a recognition decision writes exactly one
audit entry naming who did it, what was there before, what is there after and, where the service asks
for one, the reason (issue 16); a refused change writes none."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max

from audit.models import AuditEntry
from evaluations import decisions, services
from evaluations.models import Evaluation, EvaluationState

from .conftest import FULL_MARKS

pytestmark = pytest.mark.django_db


def mark():
    """Where the history stood: the entries written after it are the change's."""
    return AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0


def the_entry(since, *, actor, action, obj, before, after, reason=""):
    """The one entry written since `since`, checked field by field."""
    entries = list(AuditEntry.objects.filter(id__gt=since).order_by("id"))
    assert [(e.action, e.object_type, e.object_id) for e in entries] == [
        (action, obj._meta.label_lower, str(obj.pk))
    ], [e.action for e in entries]
    entry = entries[0]
    assert entry.actor_id == actor.pk
    assert (entry.before, entry.after, entry.reason) == (before, after, reason)
    return entry


def nothing_written(since):
    assert list(AuditEntry.objects.filter(id__gt=since).values_list("action", flat=True)) == []


def refused(since, error, change):
    """`change` raises `error` and leaves no entry."""
    with pytest.raises(error):
        change()
    nothing_written(since)


@pytest.fixture
def officers(personas):
    return personas["village_officer"], personas["commune_officer"]


@pytest.fixture
def registered(officers, household, household_set, reform_year):
    village, _commune = officers
    subject = household("Hoàng Văn An")
    since = mark()
    evaluation = services.evaluation_register(
        actor=village, title="household", year=reform_year, subject=subject, criteria_set=household_set
    )
    the_entry(
        since,
        actor=village,
        action="evaluation.register",
        obj=evaluation,
        before=None,
        after={
            "title": "household",
            "year": reform_year,
            "subject": str(evaluation.household),
            "criteria_set": household_set.pk,
        },
    )
    return evaluation


def fresh(evaluation) -> Evaluation:
    return Evaluation.objects.get(pk=evaluation.pk)


def submitted(officers, evaluation):
    village, _commune = officers
    evaluation = services.evaluation_marks_save(
        actor=village, evaluation=evaluation, version=evaluation.version, marks=FULL_MARKS
    )
    return services.evaluation_submit(actor=village, evaluation=evaluation, version=evaluation.version)


def test_the_first_marks_record_each_mark_and_the_start_of_the_work(officers, registered):
    village, _commune = officers
    since = mark()
    evaluation = services.evaluation_marks_save(
        actor=village, evaluation=registered, version=registered.version, marks={"1.1": 10, "1.2": 5}
    )
    the_entry(
        since,
        actor=village,
        action="evaluation.marks",
        obj=evaluation,
        before={"1.1": None, "1.2": None, "state": "registered"},
        after={"1.1": "10", "1.2": "5", "state": "in_progress"},
    )
    since = mark()
    services.evaluation_marks_save(actor=village, evaluation=evaluation, version=evaluation.version, marks={"1.2": 8})
    the_entry(since, actor=village, action="evaluation.marks", obj=evaluation, before={"1.2": "5"}, after={"1.2": "8"})


def test_a_note_changed_is_recorded_and_marks_saved_unchanged_record_nothing(officers, registered):
    village, _commune = officers
    evaluation = services.evaluation_marks_save(
        actor=village, evaluation=registered, version=registered.version, marks={"1.1": 10}
    )
    since = mark()
    evaluation = services.evaluation_marks_save(
        actor=village, evaluation=evaluation, version=evaluation.version, marks={"1.1": 10}
    )
    assert not AuditEntry.objects.filter(id__gt=since).exists()
    services.evaluation_marks_save(
        actor=village,
        evaluation=evaluation,
        version=evaluation.version,
        marks={"1.1": 10},
        notes={"1.1": "Sổ họp thôn"},
    )
    the_entry(
        since,
        actor=village,
        action="evaluation.marks",
        obj=evaluation,
        before={"note 1.1": ""},
        after={"note 1.1": "Sổ họp thôn"},
    )


def test_submitting_records_the_state_and_result_as_they_were_stored(officers, registered):
    village, _commune = officers
    evaluation = services.evaluation_marks_save(
        actor=village, evaluation=registered, version=registered.version, marks=FULL_MARKS
    )
    stored = fresh(evaluation)
    since = mark()
    evaluation = services.evaluation_submit(actor=village, evaluation=evaluation, version=evaluation.version)
    the_entry(
        since,
        actor=village,
        action="evaluation.submit",
        obj=evaluation,
        before={"state": "in_progress", "result": stored.result},
        after={"state": "submitted", "result": "achieved"},
    )


def test_returning_records_the_reason(officers, registered):
    _village, commune = officers
    evaluation = submitted(officers, registered)
    since = mark()
    refused(
        since,
        ValidationError,
        lambda: services.evaluation_return(
            actor=commune, evaluation=evaluation, version=evaluation.version, reason=" "
        ),
    )
    evaluation = services.evaluation_return(
        actor=commune, evaluation=evaluation, version=evaluation.version, reason="Bổ sung minh chứng tiêu chí 3"
    )
    the_entry(
        since,
        actor=commune,
        action="evaluation.return",
        obj=evaluation,
        before={"state": "submitted", "result": "achieved"},
        after={"state": "returned", "result": "achieved"},
        reason="Bổ sung minh chứng tiêu chí 3",
    )


def test_an_adjustment_records_the_marks_it_changed_and_why(officers, registered):
    _village, commune = officers
    evaluation = submitted(officers, registered)
    since = mark()
    refused(
        since,
        ValidationError,
        lambda: services.evaluation_adjust(
            actor=commune, evaluation=evaluation, version=evaluation.version, marks={"3": 5}, reason=""
        ),
    )
    evaluation = services.evaluation_adjust(
        actor=commune, evaluation=evaluation, version=evaluation.version, marks={"3": 5}, reason="Chưa có góc học tập"
    )
    the_entry(
        since,
        actor=commune,
        action="evaluation.adjust",
        obj=evaluation,
        before={"3": None},
        after={"3": "5"},
        reason="Chưa có góc học tập",
    )
    assert evaluation.marks.get(node__code="3").points == 20  # the self-assessment stays beside the adjustment


def test_approving_and_unlocking_each_write_one_entry(officers, registered):
    village, commune = officers
    evaluation = submitted(officers, registered)
    since = mark()
    evaluation = services.evaluation_approve(actor=commune, evaluation=evaluation, version=evaluation.version)
    the_entry(
        since,
        actor=commune,
        action="evaluation.approve",
        obj=evaluation,
        before={"state": "submitted", "result": "achieved"},
        after={"state": "approved", "result": "achieved"},
    )
    since = mark()
    refused(
        since,
        PermissionDenied,
        lambda: services.evaluation_unlock(
            actor=village, evaluation=evaluation, version=evaluation.version, reason="Sai điểm"
        ),
    )
    refused(
        since,
        ValidationError,
        lambda: services.evaluation_unlock(actor=commune, evaluation=evaluation, version=evaluation.version, reason=""),
    )
    evaluation = services.evaluation_unlock(
        actor=commune, evaluation=evaluation, version=evaluation.version, reason="Nhập nhầm điểm tiêu chí 3"
    )
    the_entry(
        since,
        actor=commune,
        action="evaluation.unlock",
        obj=evaluation,
        before={"state": "approved", "result": "achieved"},
        after={"state": "submitted", "result": "achieved"},
        reason="Nhập nhầm điểm tiêu chí 3",
    )


def test_evidence_records_its_criterion_and_file(officers, registered):
    village, _commune = officers
    node = registered.criteria_set.nodes.get(code="3")
    since = mark()
    services.evidence_add(
        actor=village,
        evaluation=registered,
        version=registered.version,
        node=node,
        file=SimpleUploadedFile("goc-hoc-tap.jpg", b"\xff\xd8\xff\xe0 anh"),
    )
    the_entry(
        since,
        actor=village,
        action="evaluation.evidence",
        obj=registered,
        before=None,
        after={"criterion": "3", "file": "goc-hoc-tap.jpg"},
    )


def test_refused_transitions_write_nothing(officers, personas, registered):
    village, commune = officers
    since = mark()
    refused(
        since,
        ValidationError,
        lambda: services.evaluation_approve(actor=commune, evaluation=registered, version=registered.version),
    )
    refused(
        since,
        PermissionDenied,
        lambda: services.evaluation_marks_save(
            actor=personas["viewer"], evaluation=registered, version=registered.version, marks={"1.1": 1}
        ),
    )
    refused(
        since,
        ValidationError,
        lambda: services.evaluation_submit(actor=village, evaluation=fresh(registered), version=registered.version),
    )
    seen = fresh(registered)
    services.evaluation_marks_save(actor=village, evaluation=fresh(seen), version=seen.version, marks={"1.1": 1})
    since = mark()
    # Someone else's change landed first: a change at the version seen before it is refused.
    refused(
        since,
        ValidationError,
        lambda: services.evaluation_marks_save(
            actor=village, evaluation=fresh(seen), version=seen.version, marks={"1.1": 2}
        ),
    )
    assert fresh(registered).state == EvaluationState.IN_PROGRESS


def test_closing_and_reopening_a_year_each_write_one_entry_and_never_twice(officers, personas, reform_year):
    village, commune = officers
    area = commune.unit
    since = mark()
    refused(
        since,
        PermissionDenied,
        lambda: services.year_close(actor=village, title="household", year=reform_year, area=area),
    )
    refused(
        since,
        ValidationError,
        lambda: services.year_reopen(actor=commune, title="household", year=reform_year, area=area, reason="Mở"),
    )
    services.year_close(actor=commune, title="household", year=reform_year, area=area)
    the_entry(
        since,
        actor=commune,
        action="evaluation_year.close",
        obj=area,
        before=None,
        after={"title": "household", "year": reform_year},
    )
    since = mark()
    refused(
        since,
        ValidationError,
        lambda: services.year_close(actor=commune, title="household", year=reform_year, area=area),
    )
    refused(
        since,
        ValidationError,
        lambda: services.year_reopen(actor=commune, title="household", year=reform_year, area=area, reason=" "),
    )
    services.year_reopen(actor=commune, title="household", year=reform_year, area=area, reason="Bổ sung hồ sơ")
    the_entry(
        since,
        actor=commune,
        action="evaluation_year.reopen",
        obj=area,
        before={"title": "household", "year": reform_year},
        after=None,
        reason="Bổ sung hồ sơ",
    )


# Recognition decisions ----------------------------------------------------------------------------


def decision_fields(evaluations, year, **changes):
    return {
        "title": "household",
        "year": year,
        "number": "12/QĐ-UBND",
        "date": datetime.date(year + 1, 3, 20),
        "issuing_body": "UBND phường Bắc Kạn",
        "signer": "Nguyễn Văn Bình",
        "legal_basis": "",
        "evaluations": evaluations,
        **changes,
    }


def decision_snapshot(fields, area):
    return {
        **{k: v for k, v in fields.items() if k != "evaluations"},
        "date": fields["date"].isoformat(),
        "issuing_area": f"{area.tree}:{area.code}",
        "evaluations": sorted(e.pk for e in fields["evaluations"]),
    }


def test_a_decision_is_drafted_edited_published_and_revoked_one_entry_each(officers, registered, reform_year):
    _village, commune = officers
    evaluation = submitted(officers, registered)
    evaluation = services.evaluation_approve(actor=commune, evaluation=evaluation, version=evaluation.version)
    area = commune.unit
    fields = decision_fields([evaluation], reform_year)

    since = mark()
    decision = decisions.decision_create(actor=commune, issuing_area=area, **fields)
    created = decision_snapshot(fields, area)
    the_entry(since, actor=commune, action="decision.create", obj=decision, before=None, after=created)

    since = mark()
    decisions.decision_update(actor=commune, decision=decision, issuing_area=area, **fields)
    nothing_written(since)  # saved as it was
    changed = {**fields, "number": "13/QĐ-UBND"}
    decisions.decision_update(actor=commune, decision=decision, issuing_area=area, **changed)
    the_entry(
        since,
        actor=commune,
        action="decision.update",
        obj=decision,
        before=created,
        after=decision_snapshot(changed, area),
    )

    since = mark()
    decisions.decision_publish(actor=commune, decision=decision)
    the_entry(
        since,
        actor=commune,
        action="decision.publish",
        obj=decision,
        before={"status": "draft"},
        after={"status": "published", "evaluations": 1},
    )
    since = mark()
    refused(since, ValidationError, lambda: decisions.decision_publish(actor=commune, decision=decision))
    refused(since, ValidationError, lambda: decisions.decision_revoke(actor=commune, decision=decision, reason=" "))
    decisions.decision_revoke(actor=commune, decision=decision, reason="Ban hành nhầm danh sách")
    the_entry(
        since,
        actor=commune,
        action="decision.revoke",
        obj=decision,
        before={"status": "published"},
        after={"status": "revoked"},
        reason="Ban hành nhầm danh sách",
    )

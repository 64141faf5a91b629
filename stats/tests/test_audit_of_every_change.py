"""Every change statistics keeps — a commune's yearly report submitted, returned, submitted again and
accepted; the reports' deadline; an entered total; an area's target — writes exactly one audit entry
with who, before, after and the reason where one is asked (issue 16); a refused change and a save
that changes nothing write none."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max

from audit.models import AuditEntry
from conftest import unit
from core.versions import StaleVersion
from stats import reports, services
from stats.targets import target_delete, target_save

pytestmark = pytest.mark.django_db


def mark():
    return AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0


def the_entry(since, *, actor, action, obj_type, obj_id, before, after, reason="", read=lambda side: side):
    entries = list(AuditEntry.objects.filter(id__gt=since).order_by("id"))
    assert [(e.action, e.object_type, e.object_id) for e in entries] == [(action, obj_type, str(obj_id))], [
        e.action for e in entries
    ]
    entry = entries[0]
    assert entry.actor_id == actor.pk
    assert (read(entry.before), read(entry.after), entry.reason) == (before, after, reason)
    return entry


def refused(since, error, change):
    with pytest.raises(error):
        change()
    assert list(AuditEntry.objects.filter(id__gt=since).values_list("action", flat=True)) == []


def report_state(commune, year, state, note=""):
    return {"commune": commune.code, "tree": commune.tree, "year": year, "state": state, "note": note}


def test_a_yearly_report_is_submitted_returned_submitted_again_and_accepted(personas, reform_year):
    officer, province = personas["commune_officer"], personas["province_officer"]
    commune = unit("2025", "01843")
    since = mark()
    report = reports.year_report_submit(actor=officer, commune=commune, year=reform_year, note="Đủ số liệu")
    submitted = report_state(commune, reform_year, "submitted", "Đủ số liệu")
    the_entry(
        since,
        actor=officer,
        action="year_report.submit",
        obj_type="stats.yearreport",
        obj_id=report.pk,
        before=None,
        after=submitted,
    )

    since = mark()
    refused(
        since, ValidationError, lambda: reports.year_report_submit(actor=officer, commune=commune, year=reform_year)
    )
    refused(since, PermissionDenied, lambda: reports.year_report_accept(actor=officer, report=report))
    refused(since, ValidationError, lambda: reports.year_report_return(actor=province, report=report, reason=" "))
    reports.year_report_return(actor=province, report=report, reason="Thiếu số hội viên")
    returned = report_state(commune, reform_year, "returned", "Đủ số liệu")
    the_entry(
        since,
        actor=province,
        action="year_report.return",
        obj_type="stats.yearreport",
        obj_id=report.pk,
        before=submitted,
        after=returned,
        reason="Thiếu số hội viên",
    )

    since = mark()
    refused(since, ValidationError, lambda: reports.year_report_accept(actor=province, report=report))
    reports.year_report_submit(actor=officer, commune=commune, year=reform_year, note="Đã bổ sung")
    again = report_state(commune, reform_year, "submitted", "Đã bổ sung")
    the_entry(
        since,
        actor=officer,
        action="year_report.submit",
        obj_type="stats.yearreport",
        obj_id=report.pk,
        before=returned,
        after=again,
    )

    since = mark()
    reports.year_report_accept(actor=province, report=report)
    the_entry(
        since,
        actor=province,
        action="year_report.accept",
        obj_type="stats.yearreport",
        obj_id=report.pk,
        before=again,
        after=report_state(commune, reform_year, "accepted", "Đã bổ sung"),
    )


def test_the_reports_deadline_is_set_then_moved_once_each(personas, admin_user, reform_year):
    since = mark()
    refused(
        since,
        PermissionDenied,
        lambda: reports.deadline_set(
            actor=personas["province_officer"], year=reform_year, due=datetime.date(reform_year + 1, 1, 15)
        ),
    )
    first = reports.deadline_set(actor=admin_user, year=reform_year, due=datetime.date(reform_year + 1, 1, 15))
    due = {"year": reform_year, "due": f"{reform_year + 1}-01-15"}
    the_entry(
        since,
        actor=admin_user,
        action="report_deadline.set",
        obj_type="stats.reportdeadline",
        obj_id=first.pk,
        before=None,
        after=due,
    )
    since = mark()
    reports.deadline_set(actor=admin_user, year=reform_year, due=datetime.date(reform_year + 1, 1, 15))
    assert not AuditEntry.objects.filter(id__gt=since).exists()  # the same day again: no change
    reports.deadline_set(actor=admin_user, year=reform_year, due=datetime.date(reform_year + 1, 1, 31))
    the_entry(
        since,
        actor=admin_user,
        action="report_deadline.set",
        obj_type="stats.reportdeadline",
        obj_id=first.pk,
        before=due,
        after={"year": reform_year, "due": f"{reform_year + 1}-01-31"},
    )


def test_an_entered_total_is_entered_changed_and_removed_once_each(personas):
    officer = personas["commune_officer"]
    commune = unit("2025", "01843")

    def enter(value, version=None, actor=officer):
        return services.aggregate_save(
            actor=actor, unit=commune, year=2025, title="clan", measure="base", value=value, version=version
        )

    since = mark()
    refused(since, PermissionDenied, lambda: enter(12, actor=personas["viewer"]))
    aggregate = enter(12)
    snapshot = {k: v for k, v in AuditEntry.objects.get(id__gt=since).after.items()}
    assert snapshot["value"] == 12 and snapshot["measure"] == "base" and snapshot["title"] == "clan"
    the_entry(
        since,
        actor=officer,
        action="aggregate.save",
        obj_type="stats.enteredaggregate",
        obj_id=aggregate.pk,
        before=None,
        after=snapshot,
    )
    since = mark()
    refused(since, StaleVersion, lambda: enter(13))  # saw none, but one is there now
    enter(12, version=aggregate.version)
    assert not AuditEntry.objects.filter(id__gt=since).exists()  # the same total again: no change
    changed = enter(14, version=aggregate.version)
    the_entry(
        since,
        actor=officer,
        action="aggregate.save",
        obj_type="stats.enteredaggregate",
        obj_id=aggregate.pk,
        before=snapshot,
        after={**snapshot, "value": 14},
    )
    since = mark()
    refused(
        since,
        StaleVersion,
        lambda: services.aggregate_delete(actor=officer, aggregate=changed, version=aggregate.version),
    )
    services.aggregate_delete(actor=officer, aggregate=changed, version=changed.version)
    the_entry(
        since,
        actor=officer,
        action="aggregate.delete",
        obj_type="stats.enteredaggregate",
        obj_id=aggregate.pk,
        before={**snapshot, "value": 14},
        after=None,
    )


def as_read(snapshot):
    """A target's snapshot with its percent as a number: "80" and "80.00" are the same target (the
    history words both as 80)."""
    return None if snapshot is None else {**snapshot, "percent": Decimal(snapshot["percent"])}


def test_an_areas_target_is_set_changed_and_removed_once_each(personas):
    officer = personas["province_officer"]
    province = unit("2025", "19")
    since = mark()
    refused(
        since,
        PermissionDenied,
        lambda: target_save(actor=personas["commune_officer"], title="household", year=2025, percent=80, area=province),
    )
    target = target_save(actor=officer, title="household", year=2025, percent=80, area=province, source="KH 12")
    first = as_read(AuditEntry.objects.get(id__gt=since).after)
    assert (first["percent"], first["area"], first["source"]) == (80, "19", "KH 12")
    the_entry(
        since,
        actor=officer,
        action="target.save",
        obj_type="stats.target",
        obj_id=target.pk,
        before=None,
        after=first,
        read=as_read,
    )
    since = mark()
    changed = target_save(
        actor=officer, title="household", year=2025, percent=85, area=province, source="KH 12", version=target.version
    )
    the_entry(
        since,
        actor=officer,
        action="target.save",
        obj_type="stats.target",
        obj_id=target.pk,
        read=as_read,
        before=first,
        after={**first, "percent": 85},
    )
    since = mark()
    target_delete(actor=officer, target=changed, version=changed.version)
    the_entry(
        since,
        actor=officer,
        action="target.delete",
        obj_type="stats.target",
        obj_id=target.pk,
        read=as_read,
        before={**first, "percent": 85},
        after=None,
    )

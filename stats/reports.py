"""Communes' yearly reports: submitted by the commune (or an officer above it on its behalf),
accepted or returned for correction by the level above, against a deadline per year.

A report belongs to a commune of the tree in force in its year. Who decides: an officer of a level
above the commune whose scope holds it and who sets targets, i.e. the district officers for
pre-2025 communes and the province officers (a new province's officers also hold the old units
mapped into it). System administrators set the deadlines; they do not decide reports.

Every change is atomic and audited; bad input changes nothing. A returned report's reason is kept
in its audit entry, which the reports page shows.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm, Role
from accounts.scope import scope_for
from areas.models import AdministrativeUnit, Level, subtree_q, tree_for_year
from areas.services import check_in_force
from audit.models import AuditEntry
from audit.services import audit_record
from core.access import has_perm
from registry.network import clean_year

from .models import ReportDeadline, ReportState, YearReport

SUBMIT = "year_report.submit"
ACCEPT = "year_report.accept"
RETURN = "year_report.return"


# Who may do what ------------------------------------------------------------------------------


def _in_scope(user, unit) -> bool:
    return scope_for(user).contains_path(unit.path)


def may_set_deadlines(user) -> bool:
    return user is not None and user.is_authenticated and (user.is_superuser or user.role == Role.SYSTEM_ADMIN)


def _require_submitter(actor, commune) -> None:
    if not has_perm(actor, Perm.ENTER_AGGREGATES):
        raise PermissionDenied
    if not _in_scope(actor, commune):
        raise ValidationError(_("%(unit)s is outside your area.") % {"unit": commune}, code="scope")


def _require_decider(actor, commune) -> None:
    if not has_perm(actor, Perm.MANAGE_TARGETS) or getattr(actor, "unit", None) is None:
        raise PermissionDenied
    if not _in_scope(actor, commune):
        raise ValidationError(_("%(unit)s is outside your area.") % {"unit": commune}, code="scope")
    if actor.unit.level >= commune.level:
        raise ValidationError(
            _("Only the level above %(unit)s accepts or returns its report.") % {"unit": commune}, code="level"
        )


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except (PermissionDenied, ValidationError):
        return False
    return True


def may_submit(user, commune) -> bool:
    """Whether the page offers `user` to submit for `commune` (the state aside)."""
    return _allowed(_require_submitter, user, commune)


def may_decide(user, commune) -> bool:
    """Whether the page offers `user` to accept or return `commune`'s report (the state aside)."""
    return _allowed(_require_decider, user, commune)


# Submitting, accepting, returning -------------------------------------------------------------


def _snapshot(report: YearReport) -> dict:
    return {
        "commune": report.commune.code,
        "tree": report.commune.tree,
        "year": report.year,
        "state": report.state,
        "note": report.note,
    }


def _clean_commune_year(commune, year) -> int:
    year = clean_year(year)
    if commune.level != Level.COMMUNE:
        raise ValidationError(_("%(unit)s is not a commune.") % {"unit": commune}, code="not_commune")
    check_in_force(commune, year)
    if year > timezone.localdate().year:
        raise ValidationError(_("The year %(year)d has not begun.") % {"year": year}, code="future_year")
    return year


@transaction.atomic
def year_report_submit(*, actor, commune, year, note: str = "") -> YearReport:
    """Submit a commune's report for `year`, or submit again one that was returned. A report
    already submitted or accepted cannot be submitted a second time."""
    _require_submitter(actor, commune)
    year = _clean_commune_year(commune, year)
    report = YearReport.objects.select_for_update().filter(commune=commune, year=year).first()
    if report is not None and report.state == ReportState.SUBMITTED:
        raise ValidationError(
            _("The report of %(unit)s for %(year)d is already submitted.") % {"unit": commune, "year": year},
            code="already_submitted",
        )
    if report is not None and report.state == ReportState.ACCEPTED:
        raise ValidationError(
            _("The report of %(unit)s for %(year)d is already accepted.") % {"unit": commune, "year": year},
            code="already_accepted",
        )
    before = _snapshot(report) if report is not None else None
    if report is None:
        report = YearReport(commune=commune, year=year)
    # A resubmission is the report now in force: its time is the one checked against the deadline.
    report.state, report.submitted_by, report.submitted_at = ReportState.SUBMITTED, actor, timezone.now()
    report.decided_by, report.decided_at, report.note = None, None, (note or "").strip()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        # Two first submissions at once: the other one won.
        raise ValidationError(
            _("The report of %(unit)s for %(year)d is already submitted.") % {"unit": commune, "year": year},
            code="already_submitted",
        ) from error
    audit_record(actor=actor, action=SUBMIT, obj=report, before=before, after=_snapshot(report))
    return report


def _locked_submitted(report: YearReport) -> YearReport:
    report = YearReport.objects.select_for_update().select_related("commune").get(pk=report.pk)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be accepted or returned; this one is “%(state)s”.")
            % {"state": report.get_state_display()},
            code="not_submitted",
        )
    return report


def _decide(*, actor, report: YearReport, state: str, action: str, reason: str = "") -> YearReport:
    _require_decider(actor, report.commune)
    report = _locked_submitted(report)
    before = _snapshot(report)
    report.state, report.decided_by, report.decided_at = state, actor, timezone.now()
    report.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(actor=actor, action=action, obj=report, before=before, after=_snapshot(report), reason=reason)
    return report


@transaction.atomic
def year_report_accept(*, actor, report: YearReport) -> YearReport:
    return _decide(actor=actor, report=report, state=ReportState.ACCEPTED, action=ACCEPT)


@transaction.atomic
def year_report_return(*, actor, report: YearReport, reason: str) -> YearReport:
    """Send a submitted report back to the commune for correction, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say what the commune has to correct."), code="required")})
    return _decide(actor=actor, report=report, state=ReportState.RETURNED, action=RETURN, reason=reason)


def return_reasons(reports) -> dict[int, str]:
    """{report id: why it was last returned} for the returned reports among `reports`, in one query."""
    ids = [str(report.pk) for report in reports if report is not None and report.state == ReportState.RETURNED]
    if not ids:
        return {}
    entries = AuditEntry.objects.filter(object_type=YearReport._meta.label_lower, object_id__in=ids, action=RETURN)
    reasons = {}
    for object_id, reason in entries.order_by("created_at", "id").values_list("object_id", "reason"):
        reasons[int(object_id)] = reason
    return reasons


# Deadlines ------------------------------------------------------------------------------------


@transaction.atomic
def deadline_set(*, actor, year, due) -> ReportDeadline:
    """Set (or move) the day by which communes' reports for `year` are due."""
    if not may_set_deadlines(actor):
        raise PermissionDenied
    errors = {}
    try:
        year = clean_year(year)
    except ValidationError as error:
        errors["year"] = error.error_list
    if not isinstance(due, date):
        errors["due"] = [ValidationError(_("Enter a date."), code="invalid")]
    elif "year" not in errors and due < date(year, 1, 1):
        errors["due"] = [
            ValidationError(
                _("The date comes before the year reported, %(year)d, begins.") % {"year": year}, code="before_year"
            )
        ]
    if errors:
        raise ValidationError(errors)
    deadline = ReportDeadline.objects.select_for_update().filter(year=year).first()
    before = {"year": deadline.year, "due": deadline.due.isoformat()} if deadline else None
    if deadline is None:
        deadline = ReportDeadline(year=year, due=due)
    elif deadline.due == due:
        return deadline
    deadline.due = due
    deadline.save()
    audit_record(
        actor=actor,
        action="report_deadline.set",
        obj=deadline,
        before=before,
        after={"year": year, "due": due.isoformat()},
    )
    return deadline


def deadline_of(year: int) -> date | None:
    return ReportDeadline.objects.filter(year=year).values_list("due", flat=True).first()


# Who has reported -----------------------------------------------------------------------------


@dataclass
class ReportingRow:
    """The reporting of the communes under one area (or the whole country: `area` None)."""

    area: AdministrativeUnit | None
    expected: int = 0
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    late: int = 0

    @property
    def reported(self) -> int:
        return self.submitted + self.accepted

    @property
    def missing(self) -> int:
        return self.expected - self.reported

    @property
    def rate(self) -> Decimal | None:
        """Reports submitted or accepted, in % of the communes expected."""
        if not self.expected:
            return None
        return (Decimal(100) * self.reported / self.expected).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class CommuneReport:
    commune: AdministrativeUnit
    report: YearReport | None
    late: bool

    @property
    def state(self) -> str:
        return self.report.state if self.report is not None else ""


@dataclass
class Reporting:
    area: AdministrativeUnit | None
    year: int
    tree: str
    deadline: date | None
    total: ReportingRow
    rows: list[ReportingRow] = field(default_factory=list)
    communes: list[CommuneReport] = field(default_factory=list)

    @property
    def rows_are_communes(self) -> bool:
        """Under a district or a 2025 province the children are the communes themselves."""
        return bool(self.rows) and self.rows[0].area.level == Level.COMMUNE


def is_late(report: YearReport | None, due: date | None, today: date) -> bool:
    """Submitted after the deadline, or not submitted (a returned report is not) and the deadline passed."""
    if due is None:
        return False
    if report is not None and report.state != ReportState.RETURNED:
        return timezone.localdate(report.submitted_at) > due
    return today > due


def expected_communes(area, year: int):
    """The communes of the tree in force in `year` under `area` (None: the whole country) that
    existed that year."""
    tree = tree_for_year(year)
    communes = AdministrativeUnit.objects.filter(tree=tree, level=Level.COMMUNE)
    if area is not None:
        communes = communes.filter(subtree_q("path", area.path))
    existed = (Q(valid_from__isnull=True) | Q(valid_from__lte=date(year, 12, 31))) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=date(year, 1, 1))
    )
    return communes.filter(existed)


def _children(area, tree: str) -> list[AdministrativeUnit]:
    if area is None:
        return list(AdministrativeUnit.objects.filter(tree=tree, level=Level.PROVINCE))
    return list(area.children.all())


def reporting(area, year: int, *, today: date | None = None) -> Reporting:
    """Who has reported for `year` under `area` (None: the whole country): the total, one row per
    child area (the communes themselves under a district or a 2025 province) and each commune with
    its report. An area of the other tree has no communes expected that year."""
    today = today or timezone.localdate()
    tree = tree_for_year(year)
    due = deadline_of(year)
    total = ReportingRow(area)
    result = Reporting(area=area, year=year, tree=tree, deadline=due, total=total)
    if area is not None and area.tree != tree:
        return result
    children = _children(area, tree) if area is None or area.level != Level.COMMUNE else []
    result.rows = [ReportingRow(child) for child in children]
    by_path = {row.area.path: row for row in result.rows}
    prefix = len(children[0].path) if children else 0
    communes = list(expected_communes(area, year))
    reports = YearReport.objects.filter(year=year, commune__tree=tree).select_related("submitted_by", "decided_by")
    if area is not None:
        reports = reports.filter(subtree_q("commune__path", area.path))
    reports = {report.commune_id: report for report in reports}
    for commune in communes:
        report = reports.get(commune.pk)
        late = is_late(report, due, today)
        result.communes.append(CommuneReport(commune, report, late))
        counted = [total]
        if commune.path[:prefix] in by_path:
            counted.append(by_path[commune.path[:prefix]])
        for row in counted:
            row.expected += 1
            row.late += late
            if report is not None:
                row.submitted += report.state == ReportState.SUBMITTED
                row.accepted += report.state == ReportState.ACCEPTED
                row.returned += report.state == ReportState.RETURNED
    return result

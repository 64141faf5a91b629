"""What the home page shows a user: the work waiting for them, the deadlines coming, the yearly
reports due or late, the imports that need a look, and a summary of their area's figures.

Every count is read through the selector of the list it links to, with the same parameters, so
the number on the home page is the number of rows the link opens on. Nothing here decides a rule:
deadlines, approving levels and report deadlines are the rows their apps keep.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import Level, Tree, tree_for_year
from core.access import has_perm
from criteria.models import Title
from evaluations import selectors as evaluation_selectors
from evaluations.models import Deadline, EvaluationState
from evaluations.rule_scope import deadlines_for, visible_rules
from imports.models import ImportJob, JobStatus
from stats import figures, overview, reports
from stats.access import area_param, get_area_for_user
from stats.models import OpenedYear, ReportDeadline, ReportState

# An import whose last try of its kind was checked but not saved, or failed.
IMPORTS_NEEDING_A_LOOK = (JobStatus.PREVIEWED, JobStatus.INVALID, JobStatus.FAILED)


@dataclass
class WorkItem:
    """A count of things to do and the list that shows exactly them."""

    label: str
    count: int
    url: str
    warn: bool = False
    key: str = ""  # which of the linked page's counts it is, where the page shows several


@dataclass
class DeadlineItem:
    due: date
    what: str  # e.g. "Hộ gia đình học tập 2026 — Quyết định công nhận"
    url: str
    count: int | None  # the rows the link lists (None: the link opens a page of figures)
    days_left: int

    @property
    def passed(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return -self.days_left


@dataclass
class Summary:
    area: object  # the unit, or None for the whole country
    year: int | None  # the latest year with figures for the area (None: none yet)
    rows: list = field(default_factory=list)  # stats.overview.TitleRow, as the statistics page shows them
    url: str = ""


@dataclass
class Home:
    evaluation_year: int | None = None
    to_mark: list[WorkItem] = field(default_factory=list)
    returned: WorkItem | None = None
    marks_own_work: bool = False  # a commune's or village's officers mark their own evaluations
    to_approve: WorkItem | None = None
    meeting_url: str = ""  # a village officer's grid of the year
    this_month: list[DeadlineItem] = field(default_factory=list)
    next_month: list[DeadlineItem] = field(default_factory=list)
    reports: list[WorkItem] = field(default_factory=list)
    report_year: int | None = None
    report_due: date | None = None
    imports: list[ImportJob] = field(default_factory=list)
    summary: Summary | None = None
    statistics_links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_work(self) -> bool:
        counted = [*self.to_mark, self.returned, self.to_approve, *self.reports]
        return bool(self.imports or any(item is not None and item.count for item in counted))


def _url(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def home_for(user, *, today: date | None = None) -> Home:
    today = today or timezone.localdate()
    home = Home()
    if has_perm(user, Perm.EVALUATE):
        _evaluation_work(user, home)
    if has_perm(user, Perm.APPROVE):
        home.to_approve = WorkItem(
            _("Submitted, waiting for your approval"),
            evaluation_selectors.awaiting_approval(user).count(),
            reverse("evaluations:approve_many"),
        )
    if has_perm(user, Perm.EVALUATE) or has_perm(user, Perm.APPROVE):
        _deadlines(user, home, today)
    _reports(user, home, today)
    home.imports = needing_a_look(user)
    home.summary = area_summary(user)
    if home.summary is not None:
        home.statistics_links = _statistics_links(user, home.summary)
    return home


# Evaluations ---------------------------------------------------------------------------------


def _evaluation_work(user, home: Home) -> None:
    """The evaluations of the latest year evaluated in the user's area (the year the evaluations
    list opens on) still being marked, and those returned for revision, by state: each links to the
    list filtered by that year and state."""
    year = evaluation_selectors.latest_year(user)
    if user.village_id is not None:
        # A village head's meeting: of the year being evaluated, or this year before the first mark.
        meeting_year = year or timezone.localdate().year
        home.meeting_url = reverse("evaluations:grid", args=[user.village.code, meeting_year])
    if year is None:
        return
    home.evaluation_year = year
    # Officers of a commune and village heads mark their own; above, these are the communes' to follow.
    home.marks_own_work = user.village_id is not None or (user.unit is not None and user.unit.level == Level.COMMUNE)
    counts = evaluation_selectors.counts_by_state(evaluation_selectors.evaluations_for(user, year=year))
    for state in (EvaluationState.REGISTERED, EvaluationState.IN_PROGRESS):
        home.to_mark.append(
            WorkItem(
                EvaluationState(state).label, counts.get(state, 0), _url("evaluations:list", year=year, state=state)
            )
        )
    home.returned = WorkItem(
        EvaluationState(EvaluationState.RETURNED).label,
        counts.get(EvaluationState.RETURNED, 0),
        _url("evaluations:list", year=year, state=EvaluationState.RETURNED),
        warn=True,
    )


# Deadlines -----------------------------------------------------------------------------------


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _deadline_area(user, year: int):
    """The unit whose province's own deadlines apply to the user in `year` (None: the national
    defaults, for users who see everything)."""
    if user.village_id is not None:
        placement = user.village.placement_in(year)
        return placement.commune if placement is not None else None
    return user.unit


def _deadlines(user, home: Home, today: date) -> None:
    """This month's deadlines and next month's, as the rules that apply to the user set them (a
    province's own deadline instead of the national default: `rule_scope.deadlines_for`); each
    links to the evaluations of its title and year. The yearly report's deadline is among them."""
    first = today.replace(day=1)
    next_first = _month_end(today).replace(day=1)
    next_first = date(next_first.year + (next_first.month == 12), next_first.month % 12 + 1, 1)
    last = _month_end(next_first)
    candidates = visible_rules(Deadline.objects.filter(due__gte=first, due__lte=last), user)
    items = []
    for title, year in candidates.values_list("title", "year").distinct().order_by():
        area = _deadline_area(user, year)
        rows = deadlines_for(title, year, area) if area is not None else _national(title, year)
        count = evaluation_selectors.evaluations_for(user, year=year, title=title).count()
        for row in rows:
            if first <= row.due <= last:
                what = f"{Title(title).label} {year} — {row.get_kind_display()}"
                url = _url("evaluations:list", year=year, title=title)
                items.append(DeadlineItem(row.due, what, url, count, (row.due - today).days))
    if has_perm(user, Perm.ENTER_AGGREGATES) or has_perm(user, Perm.MANAGE_TARGETS):
        for year, due in ReportDeadline.objects.filter(due__gte=first, due__lte=last).values_list("year", "due"):
            area = _report_area(user)
            if area is not False:
                what = _("Yearly reports %(year)d") % {"year": year}
                items.append(DeadlineItem(due, what, _report_url(area, year), None, (due - today).days))
    items.sort(key=lambda item: (item.due, item.what))
    home.this_month = [item for item in items if item.due < next_first]
    home.next_month = [item for item in items if item.due >= next_first]


def _national(title: str, year: int) -> list[Deadline]:
    return list(Deadline.objects.filter(title=title, year=year, area=None).order_by("due"))


# Yearly reports ------------------------------------------------------------------------------


def _report_area(user):
    """The area whose communes' reports the user submits or decides (None: the whole country, for
    users who see everything); False when they have none."""
    if user.unit is not None:
        return user.unit
    if scope_for(user).everything:
        return None
    return False


def _report_url(area, year: int) -> str:
    return _url("stats:reports", area=area_param(area) or None, year=year)


def report_year(area, today: date) -> int:
    """The year the reports page opens on: this year, or the last year of the old tree for a
    pre-2025 unit (its communes report on that tree until then)."""
    if area is not None and area.tree == Tree.PRE_2025:
        return min(today.year, settings.KHUYENHOC_REFORM_YEAR - 1)
    return today.year


def _reports(user, home: Home, today: date) -> None:
    """A commune's own report of the year when it is not in yet (or was returned); for the levels
    above, the reports waiting for their decision, the late ones and those not in yet. The counts
    are the reports page's own totals, and each links to it."""
    submits = has_perm(user, Perm.ENTER_AGGREGATES) and user.unit is not None and user.unit.level == Level.COMMUNE
    decides = has_perm(user, Perm.MANAGE_TARGETS) and (
        (user.unit is not None and user.unit.level < Level.COMMUNE) or scope_for(user).everything
    )
    if not (submits or decides):
        return
    area = _report_area(user)
    if area is False:
        return
    year = report_year(area, today)
    if area is not None and area.tree != tree_for_year(year):
        return
    result = reports.reporting(area, year, today=today)
    home.report_year, home.report_due = year, result.deadline
    url = _report_url(area, year)
    if submits:
        # The commune's own report: due once a deadline is set, and again when it was returned.
        own = result.communes[0] if result.communes else None
        if own is not None and own.state == ReportState.RETURNED:
            home.reports.append(WorkItem(_("Returned for correction"), 1, url, warn=True, key="returned"))
        elif own is not None and not own.state and result.deadline is not None:
            home.reports.append(WorkItem(_("Not submitted yet"), 1, url, warn=own.late, key="not_submitted"))
        return
    total = result.total
    home.reports += [
        WorkItem(_("Submitted, waiting for your decision"), total.submitted, url, key="submitted"),
        WorkItem(pgettext("reports", "Late"), total.late, url, warn=True, key="late"),
    ]


# Imports -------------------------------------------------------------------------------------


def needing_a_look(user) -> list[ImportJob]:
    """The user's own imports whose latest try of its kind was checked but not saved, or failed:
    one that a later import of the same kind replaced no longer needs a look."""
    own = ImportJob.objects.visible_to(user).filter(created_by=user)
    latest = own.values("kind").annotate(last=Max("pk")).values_list("last", flat=True)
    return list(own.filter(pk__in=list(latest), status__in=IMPORTS_NEEDING_A_LOOK).order_by("-created_at", "-pk"))


# The area's figures --------------------------------------------------------------------------


def area_summary(user) -> Summary | None:
    """The user's area (as the statistics page opens on it) in the latest year that holds figures
    for it, title by title, read as the statistics page reads them (`overview.title_rows`)."""
    try:
        area = get_area_for_user(user, None)
    except (Http404, PermissionDenied):
        return None
    this_year = timezone.localdate().year
    years = OpenedYear.objects.filter(year__lte=this_year).order_by("-year").values_list("year", flat=True)
    for year in years:
        tree = area.tree if area is not None else tree_for_year(year)
        read = figures.national(year, tree) if area is None else figures.for_unit(area, year, tree)
        if read.unavailable:
            continue
        rows = overview.title_rows(read)
        if any(value for row in rows for value in (row.base.value, row.registered.value, row.recognised.value)):
            url = _url("stats:overview", area=area_param(area) or None, year=year)
            return Summary(area, year, rows, url)
    return Summary(area, None, [], _url("stats:overview", area=area_param(area) or None))


def _statistics_links(user, summary: Summary) -> list[tuple[str, str]]:
    params = {"area": area_param(summary.area) or None}
    links = [(_("Figures"), summary.url)]
    links.append((_("Targets"), _url("stats:targets", **params)))
    links.append((_("Yearly reports"), _url("stats:reports", **params)))
    return links

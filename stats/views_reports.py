"""The yearly reports of an area's communes: who has reported, the submit button for a commune's
own officer, accept / return for the level above, the deadline (set by system administrators).
The area comes as `?area=<tree>:<code>` like the statistics page; `<tree>/<code>` is read too."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import AdministrativeUnit, Level, Tree
from areas.selectors import split_area
from core.access import get_visible_or_404
from core.forms import perform
from registry.network import clean_year

from . import quality, reports
from .access import area_param, get_area_for_user, visible_area
from .models import ReportState, YearReport
from .overview import counterparts


class DeadlineForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year reported"))
    due = forms.DateField(label=gettext_lazy("Due by"), widget=forms.DateInput(attrs={"type": "date"}))


def _year(value, area=None) -> int:
    """The year asked for; by default this year, or the last year of the old tree for an old unit."""
    if not value:
        this_year = timezone.localdate().year
        if area is not None and area.tree == Tree.PRE_2025:
            return min(this_year, settings.KHUYENHOC_REFORM_YEAR - 1)
        return this_year
    try:
        return clean_year(value)
    except ValidationError as error:
        raise Http404 from error


def _back(request, year):
    back_to = ""
    if request.POST.get("next_area"):
        try:
            tree, code = split_area(request.POST["next_area"])
        except ValidationError as error:
            raise Http404 from error
        back_to = f"{tree}:{code}" if tree else code  # written back the one way the pages write it
    query = {"area": back_to, "year": year}
    return redirect(f"{reverse('stats:reports')}?{urlencode(query)}")


@login_required
def reports_page(request):
    area = get_area_for_user(request.user, request.GET.get("area"))
    year = _year(request.GET.get("year"), area)
    result = reports.reporting(area, year)
    lists_communes = area is not None and (area.level == Level.COMMUNE or result.rows_are_communes)
    communes = result.communes if lists_communes else []
    warnings = quality.warnings_for([c.commune for c in communes], year, result.tree) if communes else {}
    reasons = reports.return_reasons([c.report for c in communes])
    # The page offers the submit button to the commune's own officers; the level above decides.
    user_unit = getattr(request.user, "unit", None)
    submits_here = user_unit is not None and user_unit.level == Level.COMMUNE
    commune_rows = [
        {
            "item": c,
            "param": area_param(c.commune),
            "warnings": warnings.get(c.commune.pk, []),
            "return_reason": reasons.get(c.report.pk) if c.report else None,
            "can_submit": submits_here
            and c.state in ("", ReportState.RETURNED)
            and reports.may_submit(request.user, c.commune),
            "can_decide": c.state == ReportState.SUBMITTED and reports.may_decide(request.user, c.commune),
        }
        for c in communes
    ]
    other_tree = area is not None and area.tree != result.tree
    scope = scope_for(request.user)
    deadline_form = None
    if reports.may_set_deadlines(request.user):
        deadline_form = DeadlineForm(initial={"year": year, "due": result.deadline})
    return render(
        request,
        "stats/reports.html",
        {
            "area": area,
            "area_param": area_param(area),
            "year": year,
            "result": result,
            "tree_label": Tree(result.tree).label,
            "rows": [] if result.rows_are_communes else result.rows,
            "commune_rows": commune_rows,
            "other_tree": other_tree,
            "elsewhere": _same_place_on(result.tree, area, request.user) if other_tree else [],
            "ancestors": [unit for unit in area.ancestors() if scope.contains_path(unit.path)] if area else [],
            "deadline_form": deadline_form,
            "deadline_passed": result.deadline is not None and timezone.localdate() > result.deadline,
        },
    )


def _same_place_on(tree: str, area, user) -> list[AdministrativeUnit]:
    """The units of `tree` that are `area` before or after the reform, as far as the user sees them."""
    wanted = [unit.pk for unit in counterparts(area) if unit.tree == tree]
    return list(AdministrativeUnit.objects.visible_to(user).filter(pk__in=wanted).order_by("level", "sort_key"))


@login_required
@require_POST
def report_submit(request):
    year = _year(request.POST.get("year"))
    if not request.POST.get("commune"):
        raise Http404
    commune = visible_area(request.user, request.POST["commune"])
    perform(
        request,
        lambda: reports.year_report_submit(
            actor=request.user, commune=commune, year=year, note=request.POST.get("note", "")
        ),
        done=_("The report of %(unit)s was submitted.") % {"unit": commune},
    )
    return _back(request, year)


@login_required
@require_POST
def report_accept(request, pk):
    report = get_visible_or_404(
        YearReport.objects.select_related("commune"), user=request.user, perm=Perm.MANAGE_TARGETS, pk=pk
    )
    perform(
        request,
        lambda: reports.year_report_accept(actor=request.user, report=report),
        done=_("The report of %(unit)s was accepted.") % {"unit": report.commune},
    )
    return _back(request, report.year)


@login_required
@require_POST
def report_return(request, pk):
    report = get_visible_or_404(
        YearReport.objects.select_related("commune"), user=request.user, perm=Perm.MANAGE_TARGETS, pk=pk
    )
    perform(
        request,
        lambda: reports.year_report_return(actor=request.user, report=report, reason=request.POST.get("reason", "")),
        done=_("The report of %(unit)s was returned for correction.") % {"unit": report.commune},
    )
    return _back(request, report.year)


@login_required
@require_POST
def report_deadline(request):
    if not reports.may_set_deadlines(request.user):
        raise PermissionDenied
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back(request, form.cleaned_data.get("year", ""))
    perform(
        request,
        lambda: reports.deadline_set(actor=request.user, **form.cleaned_data),
        done=_("The deadline was saved."),
    )
    return _back(request, form.cleaned_data["year"])

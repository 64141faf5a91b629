"""The statistics page of an area: a year's figures or a period's, with sources, sub-areas and exports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from areas.models import Tree, tree_for_year
from core.parsing import parse_year

from . import exports, overview, quality
from .access import area_param, get_area_for_user
from .models import OpenedYear


def _year(value, default: int) -> int:
    if not value:
        return default
    try:
        return parse_year(value)
    except ValidationError as error:
        raise BadRequest(" ".join(error.messages)) from error


def known_years() -> list[int]:
    this_year = timezone.localdate().year
    return list(OpenedYear.objects.filter(year__lte=this_year).order_by("-year").values_list("year", flat=True))


@login_required
def overview_page(request):
    area = get_area_for_user(request.user, request.GET.get("area"))
    years = known_years()
    year = _year(request.GET.get("year"), years[0] if years else timezone.localdate().year)
    tree = area.tree if area is not None else request.GET.get("tree") or tree_for_year(year)
    if tree not in Tree.values:
        raise Http404
    first, last = request.GET.get("from"), request.GET.get("to")
    period = None
    if first and last:
        first, last = _year(first, year), _year(last, year)
        if first > last:
            first, last = last, first
        period = overview.period_view(area, first, last, tree)
    view = overview.year_view(area, year, tree, request.user)
    export = request.GET.get("format")
    if export in exports.FORMATS:
        return exports.response(view, period, (first, last) if period else None, export)
    warnings = []
    if not view.unavailable and area is not None:
        warnings = quality.warnings_for([area], year, tree).get(area.pk, [])
    return render(
        request,
        "stats/overview.html",
        {
            "warnings": warnings,
            "view": view,
            "area": area,
            "area_param": area_param(area),
            "years": years,
            "tree": tree,
            "period": period,
            "first": first if period else None,
            "last": last if period else None,
            "ancestors": area.ancestors() if area is not None else [],
            "counterparts": overview.counterparts(area),
            "mapping": overview.mapping_pieces(area) if view.mapped else [],
            "unavailable_reason": overview.UNAVAILABLE_REASON,
            "trees": Tree.choices,
            "query": request.GET.urlencode(),
        },
    )

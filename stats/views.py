"""The statistics page of an area: a year's figures or a period's, with sources, sub-areas and exports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Max
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from areas.models import AdministrativeUnit, Level, Tree, tree_for_year
from core.parsing import parse_year

from . import exports, overview, quality
from .access import area_param, get_area_for_user
from .models import Fact, OpenedYear


def _year(value, default: int | None) -> int | None:
    if not value:
        return default
    try:
        return parse_year(value)
    except ValidationError as error:
        raise BadRequest(" ".join(error.messages)) from error


def known_years() -> list[int]:
    this_year = timezone.localdate().year
    return list(OpenedYear.objects.filter(year__lte=this_year).order_by("-year").values_list("year", flat=True))


def years_of_tree(years: list[int], tree: str) -> list[int]:
    """The years a tree's units hold figures of: the old tree stops before the reform; the new one
    also shows the years before it, mapped."""
    return [year for year in years if tree != Tree.PRE_2025 or tree_for_year(year) == Tree.PRE_2025]


def latest_year_with_data(area, years: list[int]) -> int | None:
    """The latest of `years` (newest first) holding a figure of `area` (None: the whole country):
    a page opens on figures, not on this year's empty page or the other tree's error."""
    facts = Fact.objects.filter(year__in=years)
    facts = facts.filter(unit=area) if area is not None else facts.filter(unit__level=Level.PROVINCE)
    return facts.aggregate(latest=Max("year"))["latest"]


def _default_year(area, years: list[int], tree_asked: str | None) -> int:
    tree = area.tree if area is not None else tree_asked
    candidates = years_of_tree(years, tree) if tree in Tree.values else years
    if not candidates:
        return years[0] if years else timezone.localdate().year
    return latest_year_with_data(area, candidates) or candidates[0]


def _seen_by(user, units) -> list[tuple[object, bool]]:
    """(unit, whether the user may open its page): a link only where it opens."""
    seen = set(
        AdministrativeUnit.objects.visible_to(user).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
    )
    return [(unit, unit.pk in seen) for unit in units]


@login_required
def overview_page(request):
    area = get_area_for_user(request.user, request.GET.get("area"))
    years = known_years()
    year = _year(request.GET.get("year"), None) or _default_year(area, years, request.GET.get("tree"))
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
            "counterparts": _seen_by(request.user, overview.counterparts(area)),
            "tree_years": years_of_tree(years, tree),
            "last_old_year": max(years_of_tree(years, Tree.PRE_2025), default=None),
            "mapping": overview.mapping_pieces(area) if view.mapped else [],
            "unavailable_reason": overview.UNAVAILABLE_REASON,
            "trees": Tree.choices,
            "query": request.GET.urlencode(),
        },
    )

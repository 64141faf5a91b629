"""The dashboard of an area and a year, the CSV of each of its charts, and the traffic light's bands.

A request the dashboard cannot answer (an area outside the user's scope or unknown, a year that is no
year, a tree that does not hold the year, a year without figures) gets the page with a Vietnamese
message saying why, never an empty chart."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import Perm
from areas.models import AdministrativeUnit, Tree, tree_for_year
from core.access import require_perm
from core.parsing import parse_year
from core.spreadsheets import Layout, export_response
from core.versions import StaleVersion
from stats import caching, overview
from stats.access import area_param, get_area_for_user
from stats.models import COUNTED_TITLES
from stats.views import known_years, latest_year_with_data, years_of_tree

from . import bands, maps, readings
from .templatetags.dashboards_display import cell


class Refusal(Exception):
    """What the dashboard says instead of its charts, and the status it answers with."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def dashboard_url(area, year=None, **extra) -> str:
    query = {"area": area_param(area), "year": year, **extra}
    return f"{reverse('dashboards:dashboard')}?{urlencode({k: v for k, v in query.items() if v})}"


def _read_request(request) -> dict:
    """The area, year, tree and title asked for, or a Refusal saying what is wrong."""
    params = request.GET
    try:
        area = get_area_for_user(request.user, params.get("area"))
    except Http404:
        raise Refusal(_("This area does not exist or is outside the areas you may see."), 404) from None
    years = known_years()
    tree = area.tree if area is not None else params.get("tree") or None
    if tree is not None and tree not in Tree.values:
        raise Refusal(_("Choose the tree of units before or from 01/07/2025."), 400)
    if params.get("year"):
        try:
            year = parse_year(params["year"])
        except ValidationError as error:
            raise Refusal(" ".join(error.messages), 400) from None
    else:
        candidates = years_of_tree(years, tree) if tree else years
        year = latest_year_with_data(area, candidates) if candidates else None
        year = year or (candidates[0] if candidates else None)
        if year is None:
            raise Refusal(_("No figures are recorded yet."), 200)
    tree = tree or tree_for_year(year)
    title = params.get("title") or COUNTED_TITLES[0]
    if title not in COUNTED_TITLES:
        raise Refusal(_("Choose one of the titles listed."), 400)
    return {"area": area, "year": year, "tree": tree, "title": title, "years": years}


def _check_year(area, year: int, tree: str, years: list[int]) -> None:
    if tree == Tree.PRE_2025 and tree_for_year(year) != Tree.PRE_2025:
        raise Refusal(
            _("%(year)d is not held by the pre-2025 tree: %(reason)s")
            % {"year": year, "reason": overview.UNAVAILABLE_REASON},
            200,
        )
    if year not in years:  # the opened years up to this one
        raise Refusal(_("No figures are recorded for %(year)d.") % {"year": year}, 200)


def _linked(user, units, year: int) -> list[tuple[object, str]]:
    """(unit, its dashboard's address, or "" where the user may not open it): a link only where it opens."""
    seen = set(
        AdministrativeUnit.objects.visible_to(user).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
    )
    return [(unit, dashboard_url(unit, year) if unit.pk in seen else "") for unit in units]


def _links(request, area, year: int, years: list[int]) -> dict:
    """Where to go from here: the ancestors, and the same place on the other tree (an old unit on
    the last year it held, a new one on the same year, mapped)."""
    if area is None:
        return {"ancestors": [], "other": []}
    last_old = max(years_of_tree(years, Tree.PRE_2025), default=year)
    other_year = year if area.tree == Tree.PRE_2025 else min(year, last_old)
    return {
        "ancestors": _linked(request.user, area.ancestors(), year),
        "other": _linked(request.user, overview.counterparts(area), other_year),
    }


@login_required
@require_GET
def dashboard_page(request):
    status, heading, panel = caching.kept(request, "panel", lambda: _panel(request))
    if request.headers.get("HX-Request"):
        return HttpResponse(panel, status=status)
    # The panel is our own template's output, escaped when it was rendered.
    context = {"heading": heading, "panel": mark_safe(panel)}
    return render(request, "dashboards/dashboard.html", context, status=status)


def _panel(request) -> tuple[int, str, str]:
    """(status, the page's heading, the panel's HTML) of the area and year asked."""
    context = {"trees": Tree.choices, "title_choices": readings.TITLE_CHOICES, "charts": readings.CHARTS}
    status = 200
    try:
        asked = _read_request(request)
        context.update(asked)
        _check_year(asked["area"], asked["year"], asked["tree"], asked["years"])
        # The whole country's map (thousands of communes) is loaded apart, from `map_data`.
        whole_country = asked["area"] is None
        board = readings.dashboard(
            asked["area"],
            asked["year"],
            asked["tree"],
            request.user,
            title=asked["title"],
            with_map=not whole_country,
            opened=asked["years"],
        )
        context["board"] = board
        context["chart_json"] = json.dumps(chart_data(board))
        context["csv_query"] = urlencode(
            {"area": area_param(asked["area"]), "year": asked["year"], "tree": asked["tree"], "title": asked["title"]}
        )
        context["tree_years"] = years_of_tree(asked["years"], asked["tree"])
        if whole_country:
            context["map_url"] = f"{reverse('dashboards:map_data')}?{context['csv_query']}"
    except Refusal as refusal:
        context["problem"], status = refusal.message, refusal.status
    if "area" in context:
        context["heading"] = context["area"].name if context["area"] is not None else _("Whole country")
        context.update(_links(request, context["area"], context["year"], context["years"]))
        context["area_param"] = area_param(context["area"])
        context["tree_label"] = Tree(context["tree"]).label
    heading = str(context.get("heading", _("Whole country")))
    return status, heading, render_to_string("dashboards/_panel.html", context, request)


def chart_data(board) -> dict:
    """What the chart script draws: the tables' numbers, with where a bar leads."""
    titles = [
        {"label": line.label, "actual": _float(line.actual), "target": _float(line.target)} for line in board.lines
    ]
    ranked = [
        {
            "label": child.name,
            "rate": float(rate),
            "url": dashboard_url(child, board.year, title=board.title) if board.view.children_kind == "units" else "",
        }
        for child, _base, _recognised, rate in [*board.best, *board.worst]
    ]
    network = [
        {"label": row[0], "value": row[1]} for row in board.tables["network"].rows[: len(overview.ASSOCIATION_LEVELS)]
    ]
    return {
        "titles": titles,
        "trend": board.trend_series,
        "best": ranked[: len(board.best)],
        "worst": ranked[len(board.best) :],
        "network": network,
        "labels": {"actual": _("Actual"), "target": _("Target"), "rate": _("Rate (%)"), "fitted": _("Fitted trend")},
    }


def _float(value):
    return float(value) if value is not None else None


@login_required
@require_GET
def chart_csv(request):
    """One chart's table (`chart`) as CSV, headers in Vietnamese as every file the system writes."""
    chart = request.GET.get("chart")
    if chart not in readings.CHARTS:
        raise Http404
    try:
        asked = _read_request(request)
        _check_year(asked["area"], asked["year"], asked["tree"], asked["years"])
    except Refusal as refusal:
        if refusal.status == 404:
            raise Http404 from None
        raise BadRequest(refusal.message) from None
    with translation.override("vi"):
        board = readings.dashboard(
            asked["area"], asked["year"], asked["tree"], request.user, title=asked["title"], opened=asked["years"]
        )
        table = board.tables[chart]
        headers = [str(column) for column in table.columns]
        layout = Layout(str(table.caption)[:31], headers, [16] * len(headers), 0, "", None)
    area = asked["area"].code if asked["area"] is not None else "toan-quoc"
    return export_response(layout, table.rows, "csv", name=f"bieu-do-{chart}-{area}-{asked['year']}")


@login_required
@require_GET
def map_data(request):
    """The communes' points of an area's map (the whole country's: 10,000) as compact JSON, with the
    wording the script writes beside them; a request it cannot answer gets its Vietnamese message."""
    status, body = caching.kept(request, "map", lambda: _map_json(request))
    return HttpResponse(body, status=status, content_type="application/json")


def _map_json(request) -> tuple[int, bytes]:
    response = _map_response(request)
    return response.status_code, response.content


def _map_response(request) -> JsonResponse:
    try:
        asked = _read_request(request)
        _check_year(asked["area"], asked["year"], asked["tree"], asked["years"])
    except Refusal as refusal:
        return JsonResponse({"problem": refusal.message}, status=refusal.status if refusal.status != 200 else 404)
    drawn = maps.commune_map(
        asked["area"], asked["year"], asked["tree"], asked["title"], request.user, width=maps.COUNTRY_WIDTH
    )
    data = maps.map_json(drawn)
    link = {"year": asked["year"], "title": asked["title"]}
    data["link"] = f"{reverse('dashboards:dashboard')}?{urlencode(link)}&area="
    # The label of each point: the script puts the name, the rate and the total in, written the Vietnamese way.
    data["label"] = _("%(name)s: %(rate)s (total of %(base)s)")
    data["no_figures"] = _("no figures")
    if drawn.base_range:
        data["note"] = _("The smallest dot: a total of %(low)s or less; the largest: %(high)s.") % {
            "low": cell(drawn.base_range[0]),
            "high": cell(drawn.base_range[1]),
        }
    if not drawn.points:
        data["note"] = _("No commune of this area has coordinates to draw.")
    return JsonResponse(data, json_dumps_params={"separators": (",", ":"), "ensure_ascii": False})


@login_required
@require_http_methods(["GET", "POST"])
def bands_page(request):
    """The traffic light's bands: everyone who sees statistics reads them; the system administrator
    changes them."""
    require_perm(request.user, Perm.VIEW_STATISTICS)
    errors = []
    if request.method == "POST":
        if not bands.may_change_bands(request.user):
            raise PermissionDenied
        versions = {light: request.POST.get(f"version_{light}") for light in ("green", "amber", "red")}
        try:
            bands.bands_save(
                actor=request.user, green=request.POST.get("green"), amber=request.POST.get("amber"), versions=versions
            )
        except StaleVersion as error:
            messages.error(request, error.messages[0])
            return redirect("dashboards:bands")
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The bands were saved."))
            return redirect("dashboards:bands")
    return render(
        request,
        "dashboards/bands.html",
        {"bands": bands.current_bands(), "may_change": bands.may_change_bands(request.user), "errors": errors},
    )

"""The public portal's pages and open data (no login), and the province officers' page that publishes
an area's figures for a year. Reads come from portal/published.py, changes from portal/services.py."""

import csv
import io
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from areas.models import AdministrativeUnit, Level, Tree, tree_for_year
from areas.selectors import area_from_param, area_key
from core.csv_safety import inert_row
from core.parsing import parse_year

from . import published, services
from .caching import public
from .models import PublishedAreaYear

DECISIONS_PER_PAGE = 50  # newest first; a province issues hundreds over the years


class NotShown(Exception):
    """What the visitor asked for is not public: the page says why, in plain words."""


def _message(request, text: str, status: int = 404):
    return render(request, "portal/message.html", {"message": text}, status=status)


def _area(request) -> AdministrativeUnit:
    value = (request.GET.get("area") or "").strip()
    if not value:
        raise NotShown(_("Choose a province or a commune from the list."))
    try:
        return area_from_param(value)
    except ValidationError as error:
        raise NotShown(_("There is no area “%(area)s”.") % {"area": value}) from error


def _year(request, unit) -> int | None:
    value = (request.GET.get("year") or "").strip()
    if not value:
        return None
    try:
        year = parse_year(value)
    except ValidationError as error:
        raise NotShown(_("“%(year)s” is not a year the figures cover.") % {"year": value}) from error
    if tree_for_year(year) != unit.tree:
        raise NotShown(
            _("%(unit)s belongs to the administrative map of another period: it has no figures for %(year)d.")
            % {"unit": unit.name, "year": year}
        )
    if not published.is_published(unit, year):
        raise NotShown(_("The figures of %(unit)s for %(year)d are not published.") % {"unit": unit.name, "year": year})
    return year


def _data_date(request):
    return timezone.localtime(request.portal_data_date or timezone.now()).date()


@require_safe
@public
def index(request):
    provinces = {tree: published.public_units(tree, Level.PROVINCE) for tree in (Tree.Y2025, Tree.PRE_2025)}
    return render(request, "portal/index.html", {"new": provinces[Tree.Y2025], "old": provinces[Tree.PRE_2025]})


@require_safe
@public
def area(request):
    try:
        unit = _area(request)
        year = _year(request, unit)
    except NotShown as reason:
        return _message(request, str(reason))
    years = published.published_years(unit)
    context = {
        "unit": unit,
        "key": area_key(unit),
        "lineage": unit.ancestors(),
        "years": years,
        "year": year,
        "data_date": _data_date(request),
        "licence": published.licence_of(unit),
    }
    if year is None:
        context["trends"] = published.trends(unit, years) if years else []
        context["children"] = published.published_children(unit)
        context["decisions"] = _decisions_page(request, published.decisions(unit))
        return render(request, "portal/area.html", context)
    context["figures"] = published.year_figures(unit, year)
    context["decisions"] = _decisions_page(request, published.decisions(unit, year))
    return render(request, "portal/area_year.html", context)


def _decisions_page(request, decisions):
    """One page of the decisions, newest first; what is not a number gives the first page, a number out of
    range the last (as every list of the site)."""
    return Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))


def _open_data(request):
    unit = _area(request)
    year = _year(request, unit)
    if year is None:
        raise NotShown(_("Choose a year."))
    return unit, year, published.open_data(unit, year, _data_date(request))


@require_safe
@public
def open_data_json(request):
    try:
        unit, year, data = _open_data(request)
    except NotShown as reason:
        return _message(request, str(reason))
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="so-lieu-{unit.tree}-{unit.code}-{year}.json"'
    return response


# Column names are the open data's field names, the same as the JSON's and the statistics API's CSV; the
# labels beside the keys are in Vietnamese. Cells a spreadsheet would evaluate are made inert.
CSV_HEADER = ["area_tree", "area_code", "area_name", "year", "section", "key", "label", "value", "licence", "data_date"]


@require_safe
@public
def open_data_csv(request):
    try:
        unit, year, data = _open_data(request)
    except NotShown as reason:
        return _message(request, str(reason))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    area_cells = [unit.tree, unit.code, unit.name, year]
    tail = [data["licence"], data["data_date"]]
    for row in data["titles"]:
        for measure in ("base", "registered", "recognised", "granted", "rate_of_base"):
            key = f"{row['title']}.{measure}"
            writer.writerow(inert_row([*area_cells, "title", key, row["title_label"], row[measure], *tail]))
    for row in data["network"]:
        writer.writerow(inert_row([*area_cells, "network", row["measure"], row["label"], row["value"], *tail]))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="so-lieu-{unit.tree}-{unit.code}-{year}.csv"'
    return response


def sitemap_urls() -> list[str]:
    """Every public page and download: the index, each area with anything published (and the areas
    above it), and each published year's page with its two files."""
    urls = [reverse("portal:index")]
    names = ("portal:area", "portal:open_data_csv", "portal:open_data_json")
    for unit, years in published.public_areas().items():
        query = f"?area={area_key(unit)}"
        urls.append(reverse("portal:area") + query)
        for year in years:
            urls.extend(reverse(name) + f"{query}&year={year}" for name in names)
    return urls


@require_safe
@public
def sitemap(request):
    base = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "portal/sitemap.xml",
        {"urls": [base + url for url in sitemap_urls()]},
        content_type="application/xml; charset=utf-8",
    )


# Publishing (province officers) --------------------------------------------------------------------


def _publications_page(request, errors=None, status=200):
    # The officer's scope: a new province's officers also see the old units mapped into it.
    publications = (
        PublishedAreaYear.objects.filter(unit__in=AdministrativeUnit.objects.visible_to(request.user))
        .select_related("unit")
        .order_by("-year", "unit__path")
    )
    province = request.user.unit if request.user.unit and request.user.unit.level == Level.PROVINCE else None
    return render(
        request,
        "portal/publications.html",
        {
            "publications": publications,
            "errors": errors or [],
            "province": province,
            "licence": published.licence_of(province) if province else None,
            "values": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


@login_required
def publications(request):
    if not services.may_publish(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return _publications_page(request)
    try:
        unit = area_from_param((request.POST.get("area") or "").strip())
        services.area_year_publish(actor=request.user, unit=unit, year=request.POST.get("year"))
    except ValidationError as error:
        return _publications_page(request, errors=error.messages, status=400)
    return redirect("portal:publications")


@login_required
@require_POST
def revoke(request):
    if not services.may_publish(request.user):
        raise PermissionDenied
    try:
        pk = int(request.POST.get("publication") or "")
    except ValueError:
        return _publications_page(request, errors=[_("Choose a publication to take off.")], status=400)
    publication = PublishedAreaYear.objects.select_related("unit").filter(pk=pk).first()
    if publication is None or not services.may_publish(request.user, publication.unit):
        return _publications_page(request, errors=[_("Choose a publication to take off.")], status=404)
    try:
        services.area_year_revoke(actor=request.user, publication=publication, reason=request.POST.get("reason"))
    except ValidationError as error:
        return _publications_page(request, errors=error.messages, status=400)
    return redirect("portal:publications")


@login_required
@require_POST
def licence(request):
    if not services.may_publish(request.user):
        raise PermissionDenied
    try:
        province = area_from_param((request.POST.get("province") or "").strip())
        services.licence_set(actor=request.user, province=province, licence=request.POST.get("licence"))
    except ValidationError as error:
        return _publications_page(request, errors=error.messages, status=400)
    return redirect("portal:publications")

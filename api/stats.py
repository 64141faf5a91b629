"""Figures through the API: an area's (and optionally its sub-areas') figures for a year or a span of
years, on either tree, each with its source; JSON or CSV. The same reading as the statistics page."""

import csv
import io

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from areas.models import Tree, tree_for_year
from core.csv_safety import inert_row
from core.parsing import parse_year
from stats import caching, figures, overview
from stats.access import get_area_for_user
from stats.models import COUNTED_TITLES, NETWORK, Measure

from .common import choice_param, year_param, yes_no_param

MAX_YEARS = 30
TITLE_PARAMS = [*COUNTED_TITLES, "network"]
CSV_COLUMNS = ["area_tree", "area_code", "area_name", "year", "title", "measure", "value", "source"]


class FigureSerializer(serializers.Serializer):
    area_tree = serializers.CharField(allow_null=True, help_text="The area's tree, or “village” for a village.")
    area_code = serializers.CharField(allow_null=True, help_text="Empty for the whole country.")
    area_name = serializers.CharField()
    year = serializers.IntegerField()
    title = serializers.CharField(help_text="A title, or empty for population and the network.")
    measure = serializers.ChoiceField(choices=Measure.choices)
    value = serializers.IntegerField(allow_null=True, help_text="Null when the year cannot be shown on this tree.")
    source = serializers.ChoiceField(choices=list(figures.Source.LABELS))


class PeriodSerializer(serializers.Serializer):
    title = serializers.CharField()
    recognitions = serializers.IntegerField(
        allow_null=True, help_text="Lượt: recognitions summed over the years; null when no year has a figure."
    )
    distinct = serializers.IntegerField(
        allow_null=True, help_text="Recognised at least once, from the evaluations; null where totals were entered."
    )
    registered = serializers.IntegerField(
        allow_null=True, help_text="Registrations summed over the years; null when no year has a figure."
    )


class FiguresResponseSerializer(serializers.Serializer):
    tree = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
    results = FigureSerializer(many=True)
    period = PeriodSerializer(many=True, required=False)


class FiguresCSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        output = io.StringIO()
        writer = csv.writer(output)
        # Names come from officers, imports and API clients: text a spreadsheet would evaluate is made inert.
        if isinstance(data, dict) and "results" in data:
            writer.writerow(CSV_COLUMNS)
            for row in data["results"]:
                writer.writerow(inert_row(row[c] for c in CSV_COLUMNS))
        else:  # a refusal: each message on its own row, beside the parameter it is about
            writer.writerow(["field", "error"])
            for field, message in error_rows(data):
                writer.writerow(inert_row([field, message]))
        return ("\ufeff" + output.getvalue()).encode("utf-8")


def error_rows(data, field: str = ""):
    """(field, message) for every message of an error body, as text (never a Python repr)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from error_rows(value, field if key == "detail" else key)
    elif isinstance(data, list):
        for value in data:
            yield from error_rows(value, field)
    else:
        yield field, str(data)


def _years(params) -> list[int]:
    if params.get("years"):
        first, _sep, last = params["years"].partition("-")
        try:
            first, last = parse_year(first), parse_year(last or first)
        except DjangoValidationError as error:
            message = _("Write a year or a span of years, for example 2016-2018.")
            raise ValidationError({"years": [message, *error.messages]}) from error
        if first > last or last - first >= MAX_YEARS:
            raise ValidationError(
                {"years": [_("Write at most %(count)d years, the first one first.") % {"count": MAX_YEARS}]}
            )
        return list(range(first, last + 1))
    year = params.get("year", "")
    if not year:
        raise ValidationError({"year": [_("Give the year (year=2024) or the years (years=2016-2018).")]})
    return [year_param(year)]


def _rows(area, figures_of_year, year: int, tree: str, titles, kind: str | None = None):
    """`kind` "village" for a village's figures (villages are on no tree: their codes are the communes')."""
    for (title, measure), figure in sorted(figures_of_year.figures.items()):
        if title not in titles:
            continue
        yield {
            "area_tree": kind or (area.tree if area else None),
            "area_code": area.code if area else None,
            "area_name": area.name if area else _("Whole country"),
            "year": year,
            "title": title,
            "measure": measure,
            "value": figure.value,
            "source": figure.source,
        }


@extend_schema(
    parameters=[
        OpenApiParameter(
            "area",
            str,
            description="The area, written tree:code (e.g. 2025:01843); without it, the "
            "caller's own area (the whole country for those who see everything).",
        ),
        OpenApiParameter("year", int, description="One year."),
        OpenApiParameter("years", str, description="A span of years, e.g. 2016-2018 (adds the period's lượt)."),
        OpenApiParameter("title", str, enum=TITLE_PARAMS, description="Only this title's figures."),
        OpenApiParameter("tree", str, enum=Tree.values, description="For the whole country: the tree to add up."),
        OpenApiParameter("children", bool, description="Also the sub-areas' figures."),
        OpenApiParameter("format", str, enum=["json", "csv"]),
    ],
    responses=FiguresResponseSerializer,
)
class FiguresView(APIView):
    """Figures of an area per year: the base, registered and recognised per title, and the network,
    each with its source (records, entered at the area, partly entered below, mapped from the old tree)."""

    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, FiguresCSVRenderer]

    def get(self, request):
        return Response(caching.kept(request, "figures-api", lambda: self._body(request)))

    def _body(self, request) -> dict:
        params = request.query_params
        area = get_area_for_user(request.user, params.get("area"))
        years = _years(params)
        if area is not None:
            tree = area.tree
        else:
            tree = choice_param(params.get("tree", tree_for_year(years[-1])), Tree, "tree")
        titles = set(COUNTED_TITLES) | {NETWORK}
        if params.get("title"):
            wanted = params["title"]
            if wanted not in TITLE_PARAMS:
                raise ValidationError(
                    {"title": [_("Unknown title; one of: %(titles)s.") % {"titles": ", ".join(TITLE_PARAMS)}]}
                )
            titles = {NETWORK if wanted == "network" else wanted}
        with_children = yes_no_param(params["children"], "children") if "children" in params else False
        results = []
        by_year = figures.for_unit_years(area, years, tree)
        for year in years:
            results.extend(_rows(area, by_year[year], year, tree, titles))
            if with_children:
                kind, children = overview.drill_down(area, year, tree, request.user)
                for child, child_figures in children:
                    results.extend(
                        _rows(child, child_figures, year, tree, titles, kind="village" if kind == "villages" else None)
                    )
        body = {"tree": tree, "years": years, "results": results}
        if len(years) > 1:
            body["period"] = [
                {
                    "title": row.title,
                    "recognitions": row.recognitions,
                    "distinct": row.distinct,
                    "registered": row.registered,
                }
                for row in overview.period_view(
                    area, years[0], years[-1], tree, values=figures.figure_values(area, years, tree, read=by_year)
                )
                if row.title in titles
            ]
        return body

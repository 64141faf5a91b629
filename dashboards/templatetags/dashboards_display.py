"""A value of a chart's table as the page shows it: numbers the Vietnamese way, nothing as a dash."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.translation import gettext

register = template.Library()


@register.filter
def cell(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, float):
        return number_format(value, decimal_pos=4)
    return number_format(value, force_grouping=True)


@register.simple_tag
def table_rows(table):
    """The table's rows as HTML in one pass: long tables (a province's communes) render in a blink."""
    return format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((cell(value),) for value in row)),) for row in table.rows),
    )


@register.simple_tag
def map_points(points, url: str, year: int, title: str):
    """The communes as linked circles, each titled with its name, rate and total, in one pass."""
    no_figures = gettext("no figures")
    return format_html_join(
        "",
        '<a href="{}?area={}:{}&amp;year={}&amp;title={}"><circle cx="{}" cy="{}" r="{}" fill="{}">'
        "<title>{}</title></circle></a>",
        (
            (
                url,
                point.unit.tree,
                point.unit.code,
                year,
                title,
                point.x,
                point.y,
                point.radius,
                point.colour,
                gettext("%(name)s: %(rate)s (total of %(base)s)")
                % {
                    "name": point.unit.name,
                    "rate": f"{number_format(point.rate)}%" if point.rate is not None else no_figures,
                    "base": cell(point.base),
                },
            )
            for point in points
        ),
    )

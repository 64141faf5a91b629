"""A value of a chart's table as the page shows it: numbers the Vietnamese way, nothing as a dash.

A province's tables hold thousands of cells and its map hundreds of points: they are written as one
string per table, the number separators looked up once rather than per cell, and each text escaped
as `format_html` would (its per-value machinery was a fifth of the dashboard's time)."""

import html
from decimal import Decimal

from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()


class _Numbers:
    """`django.utils.formats.number_format` with the active language's separators read once."""

    def __init__(self):
        language = get_language()
        self.decimal = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
        self.grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
        self.thousands = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)

    def format(self, value, decimal_pos=None, force_grouping=False) -> str:
        return numberformat.format(
            value,
            self.decimal,
            decimal_pos,
            self.grouping,
            self.thousands,
            force_grouping=force_grouping,
            use_l10n=True,
        )

    def cell(self, value):
        if value is None or value == "":
            return "—"
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return value
        if isinstance(value, float):
            return self.format(value, decimal_pos=4)
        return self.format(value, force_grouping=True)


def _escaped(value) -> str:
    """What `conditional_escape` gives: text already marked safe is kept as it is."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.filter
def cell(value):
    return _Numbers().cell(value)


@register.simple_tag
def table_rows(table):
    """The table's rows as HTML in one pass: long tables (a province's communes) render in a blink."""
    numbers = _Numbers()
    return mark_safe(
        "".join(
            "<tr>" + "".join(f"<td>{_escaped(numbers.cell(value))}</td>" for value in row) + "</tr>"
            for row in table.rows
        )
    )


@register.simple_tag
def map_points(points, url: str, year: int, title: str):
    """The communes as linked circles, each titled with its name, rate and total, in one pass."""
    numbers = _Numbers()
    no_figures = gettext("no figures")
    label = gettext("%(name)s: %(rate)s (total of %(base)s)")
    link = f"{_escaped(url)}?area={{}}:{{}}&amp;year={_escaped(year)}&amp;title={_escaped(title)}"
    return mark_safe(
        "".join(
            f'<a href="{link.format(_escaped(point.tree), _escaped(point.code))}">'
            f'<circle cx="{_escaped(point.x)}" cy="{_escaped(point.y)}" r="{_escaped(point.radius)}" '
            f'fill="{_escaped(point.colour)}"><title>'
            + _escaped(
                label
                % {
                    "name": point.name,
                    "rate": f"{numbers.format(point.rate)}%" if point.rate is not None else no_figures,
                    "base": numbers.cell(point.base),
                }
            )
            + "</title></circle></a>"
            for point in points
        )
    )

"""A figure in a table cell: the number in the user's format, "—" when unknown, and a tag saying
when it is (or includes) an entered total. A tag, not an include: a province's page shows about a
thousand figures, and an include costs a template render each."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def figure_cell(figure):
    if figure.value is None:
        number = mark_safe('<span class="muted">—</span>')  # a constant, nothing from the user
    else:
        number = number_format(figure.value, force_grouping=True)
    if figure.source == "entered":
        return format_html('{} <span class="tag" title="{}">{}</span>', number, figure.source_label, _("entered"))
    if figure.source == "entered_below":
        return format_html(
            '{} <span class="tag" title="{}">{}</span>', number, figure.source_label, _("partly entered")
        )
    return number

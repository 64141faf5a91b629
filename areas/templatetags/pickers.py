"""`{% picker %}`: a list page's filter field as a picker (areas/widgets.py), over the user's area."""

from django import template

from areas.search import picker_choices, village_label
from areas.widgets import Picker

register = template.Library()


@register.simple_tag(takes_context=True)
def picker(context, kind: str, name: str, value="", label=""):
    """A picker of `kind` ("village", "commune", "unit") sending `name`, showing `value` (a code or
    tree:code) by its name; `label` names the field for screen readers."""
    widget = Picker(kind, attrs={"aria-label": label, "id": f"filter-{name}"})
    widget.queryset = picker_choices(context["request"].user, kind)
    return widget.render(name, value or "")


@register.filter
def with_commune(village) -> str:
    """A village named with its commune now ("Tổ dân phố 1 · Phường Bắc Kạn"): many share a name.
    A list fetches the communes at once beforehand (`areas.search.with_communes`)."""
    return village_label(village) if village is not None else ""

"""Pickers: a village or a unit is chosen by typing part of its name, never by knowing its code.

`Picker` is a text input that lists, as one types, the villages or units of the user's area that
match (the search of `search.py`, through the `areas:search` route), each with its commune or its
parent and tree, and sends the code of the one picked. Without JavaScript it stays a text input
where a person types the code or the whole name, with the name and commune of the current value
shown beside it. The script is a static file (areas/static/areas/picker.js): the content security
policy allows no inline script.

`VillageField` and `UnitField` read what was sent (a code, tree:code, or a whole name) among the
records a form offers, and answer in words when it names nothing or more than one.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, Tree, Village
from .search import PICKER_KINDS, pick_units, pick_villages, unit_label, village_label

NOT_FOUND = {
    "village": _("No village called “%(text)s” in your area. Type part of its name and pick it from the list."),
    "commune": _("No commune called “%(text)s” in your area. Type part of its name and pick it from the list."),
    "unit": _("No unit called “%(text)s” in your area. Type part of its name and pick it from the list."),
}
SEVERAL = _("More than one is called “%(text)s”: pick one from the list (each shows where it is).")


class Picker(forms.TextInput):
    template_name = "areas/widgets/picker.html"

    def __init__(self, kind: str = "village", attrs=None, *, url_name: str = "areas:search", params=(), placeholder=""):
        """`kind`: what is picked; a kind of another app's records names its own search route
        (`url_name`, answering `?picker=<kind>&q=…` with areas/_picker_options.html). `params`: other
        fields of the same form whose values the search is also given (an evaluation's title)."""
        if kind not in PICKER_KINDS and url_name == "areas:search":
            raise ValueError(kind)
        self.kind = kind
        self.url_name = url_name
        self.params = tuple(params)
        self.placeholder = placeholder
        self.queryset = None  # what the field offers: a label is shown only for one of them
        self.tree = None  # the tree a bare unit code is read on
        # For a kind of another app: the label of a value the form holds (shown again after an error).
        self.label_for = None
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Village):
            return value.code
        if isinstance(value, AdministrativeUnit):
            return f"{value.tree}:{value.code}"
        if self.kind != "village" and self.tree in Tree.values and isinstance(value, str) and value.strip().isdigit():
            return f"{self.tree}:{value.strip()}"  # a bare code on the form's tree, as the picker sends it
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["kind"] = self.kind
        context["widget"]["url"] = reverse(self.url_name)
        context["widget"]["params"] = " ".join(self.params)
        if self.kind in PICKER_KINDS:
            context["widget"]["label"] = self.label_of(value)
        else:
            context["widget"]["label"] = self.label_for(value) if self.label_for and value else ""
        placeholder = self.placeholder or {
            "village": _("Type the village's name"),
            "commune": _("Type the commune's name"),
            "unit": _("Type the area's name"),
        }.get(self.kind, "")
        if placeholder:
            context["widget"]["attrs"].setdefault("placeholder", placeholder)
        return context

    def label_of(self, value) -> str:
        """The name (and commune, or parent and tree) of the value, shown beside the field."""
        if isinstance(value, Village):
            return village_label(value)
        if isinstance(value, AdministrativeUnit):
            return unit_label(value)
        if not value or not isinstance(value, str) or self.queryset is None:
            return ""
        if self.kind == "village":
            found = pick_villages(value, self.queryset)
            return village_label(found[0]) if len(found) == 1 else ""
        found = pick_units(value, self.queryset, tree=self.tree)
        return unit_label(found[0]) if len(found) == 1 else ""


class _PickerField(forms.Field):
    kind = "village"

    def __init__(self, *, queryset=None, kind=None, **kwargs):
        self.kind = kind or self.kind
        kwargs.setdefault("widget", Picker(self.kind))
        super().__init__(**kwargs)
        self.queryset = queryset

    @property
    def queryset(self):
        return self._queryset

    @queryset.setter
    def queryset(self, queryset):
        # The widget names only what the field offers (a code outside the user's area stays unnamed).
        self._queryset = queryset
        self.widget.queryset = queryset

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.queryset = self._queryset
        return copied

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if text in self.empty_values:
            return None
        if not isinstance(text, str):
            return text
        found = self.pick(text)
        if not found:
            raise ValidationError(NOT_FOUND[self.kind], code="invalid_choice", params={"text": text})
        if len(found) > 1:
            raise ValidationError(SEVERAL, code="ambiguous", params={"text": text})
        return found[0]


class VillageField(_PickerField):
    """A village among `queryset` (the villages the form offers), picked by name."""

    def pick(self, text):
        return pick_villages(text, self.queryset if self.queryset is not None else Village.objects.none())

    def clean(self, value):
        # The field may be given the village itself (a form's initial value).
        return value if isinstance(value, Village) else super().clean(value)


class UnitField(_PickerField):
    """A unit among `queryset` (the units the form offers), picked by name; `kind` "commune" lists
    communes only. `tree`: the tree a bare code is read on (the form's tree field, when it has one)."""

    kind = "unit"

    @property
    def tree(self):
        return self.widget.tree

    @tree.setter
    def tree(self, tree):
        self.widget.tree = tree

    def pick(self, text):
        units = self.queryset if self.queryset is not None else AdministrativeUnit.objects.none()
        return pick_units(text, units, tree=self.tree)


class PickerMany(Picker):
    """Several villages or units, each picked by name and listed with a button to take it off again.
    What is sent is their codes (tree:code for units) separated by spaces; without JavaScript it is a
    text input for those codes, with their names listed beside it."""

    template_name = "areas/widgets/picker_many.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self.chosen(value)
        context["widget"]["chosen"] = chosen
        context["widget"]["label"] = "; ".join(label for _value, label in chosen)
        return context

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return " ".join(Picker.format_value(self, item) or "" for item in value)
        return super().format_value(value)

    def chosen(self, value) -> list[tuple[str, str]]:
        """(value, label) of each code the field holds that names one of the offered records."""
        text = self.format_value(value) or ""
        found = []
        for code in text.replace(",", " ").replace(";", " ").split():
            label = Picker.label_of(self, code)
            if label:
                found.append((code, label))
        return found

"""The criteria pages' forms; their fields are cleaned by the validators the imports use."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ACHIEVED, NodeKind, ResultRule, Scoring, Title, level_code
from .validation import (
    MAX_LEVEL,
    BandValues,
    NodeValues,
    clean_band_code,
    clean_node_code,
    clean_note,
    clean_points_value,
    clean_text,
)

POINTS = {"required": False, "min_value": 0, "max_digits": 7, "decimal_places": 2}


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the copy"), max_length=200)

    def clean_name(self):
        return clean_text(self.cleaned_data["name"], max_length=200, required=True)


class CriteriaSetForm(forms.Form):
    title = forms.ChoiceField(label=_("Title"), choices=Title.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    legal_number = forms.CharField(label=_("Legal source (number)"), max_length=80, required=False)
    legal_date = forms.DateField(label=_("Date of the source"), required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    valid_from = forms.IntegerField(label=_("Valid from year"), min_value=1945, max_value=2100)
    valid_to = forms.IntegerField(label=_("Valid to year"), min_value=1945, max_value=2100, required=False)
    rule = forms.ChoiceField(label=_("Result rule"), choices=ResultRule.choices)
    pass_total = forms.DecimalField(label=_("Total needed for the title"), **POINTS)
    validity_years = forms.IntegerField(label=_("A recognition is valid for (years)"), min_value=1, max_value=50)
    years_at_level_1 = forms.IntegerField(
        label=_("Years at level 1 before level 2"), min_value=0, max_value=50, required=False
    )
    recognised_results = forms.MultipleChoiceField(
        label=_("Results counted as recognised"), required=False, widget=forms.CheckboxSelectMultiple
    )
    count_each_valid_year = forms.BooleanField(label=_("A recognition counts in each year it is valid"), required=False)
    is_illustration = forms.BooleanField(
        label=_("Illustration (minh hoạ): holds invented values for the demo"), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria_set, **kwargs):
        super().__init__(*args, **kwargs)
        # The results of the set's rule as it is; a changed rule is saved first, then its results chosen.
        if criteria_set.rule == ResultRule.RATINGS:
            choices = [(band.code, band.label) for band in criteria_set.bands.all()]
        elif criteria_set.rule == ResultRule.THRESHOLD:
            choices = [(ACHIEVED, _("Achieved"))]
        else:
            levels = sorted({n.level for n in criteria_set.nodes.all() if n.level} | {1, 2})
            choices = [(level_code(level), _("Level %(level)d") % {"level": level}) for level in levels]
        known = {code for code, _label in choices}
        choices += [(code, code) for code in criteria_set.recognised_results if code not in known]
        self.fields["recognised_results"].choices = choices

    def clean_name(self):
        return clean_text(self.cleaned_data["name"], max_length=200, required=True)

    def clean_legal_number(self):
        return clean_text(self.cleaned_data["legal_number"], max_length=80)

    def clean_issuer(self):
        return clean_text(self.cleaned_data["issuer"], max_length=200)

    def clean_pass_total(self):
        return clean_points_value(self.cleaned_data["pass_total"])

    def clean_note(self):
        return clean_note(self.cleaned_data["note"])


class NodeForm(forms.Form):
    code = forms.CharField(label=_("Number"), max_length=12, help_text=_("e.g. 1, 1.2, 3a"))
    parent_code = forms.ChoiceField(label=_("Part of"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=NodeKind.choices)
    name = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty where the law's text is not public: the set then says it is missing."),
    )
    scoring = forms.ChoiceField(label=_("Scored by"), choices=Scoring.choices)
    max_points = forms.DecimalField(label=_("Maximum points"), **POINTS)
    min_points = forms.DecimalField(label=_("Minimum points for the title"), **POINTS)
    level = forms.IntegerField(
        label=_("Needed from level"),
        min_value=1,
        max_value=MAX_LEVEL,
        required=False,
        help_text=_("For sets whose results are levels."),
    )

    def __init__(self, *args, criteria_set, node=None, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = list(criteria_set.nodes.order_by("position", "id"))
        excluded = set()
        if node is not None:
            excluded.add(node.pk)
            for candidate in nodes:  # in reading order, a part comes after the node it belongs to
                if candidate.parent_id in excluded:
                    excluded.add(candidate.pk)
        choices = [("", _("(top level)"))]
        choices += [(n.code, f"{n.code}. {n.name}"[:80]) for n in nodes if n.pk not in excluded]
        self.fields["parent_code"].choices = choices

    def clean_code(self):
        return clean_node_code(self.cleaned_data["code"])

    def clean_name(self):
        return clean_text(self.cleaned_data["name"], max_length=2000)

    def clean_max_points(self):
        return clean_points_value(self.cleaned_data["max_points"])

    def clean_min_points(self):
        return clean_points_value(self.cleaned_data["min_points"])

    def values(self) -> NodeValues:
        return NodeValues(**{field: self.cleaned_data[field] for field in NodeValues.__dataclass_fields__})


class BandForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("e.g. tot, kha: lower case, no accents"))
    label = forms.CharField(label=_("Rating"), max_length=60)
    min_total = forms.DecimalField(label=_("From a total of"), **POINTS)

    def clean_code(self):
        return clean_band_code(self.cleaned_data["code"])

    def clean_label(self):
        return clean_text(self.cleaned_data["label"], max_length=60, required=True)

    def clean_min_total(self):
        return clean_points_value(self.cleaned_data["min_total"])

    def values(self) -> BandValues:
        return BandValues(self.cleaned_data["code"], self.cleaned_data["label"], self.cleaned_data["min_total"])

import datetime
import re
from collections import defaultdict

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.versions import VersionField

from .models import AdministrativeUnit, AreaClass, Tree, VillageKind
from .selectors import units_of_codes
from .services import validate_village_name
from .widgets import PickerMany


def current_year() -> int:
    return datetime.date.today().year


class VillageForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=VillageKind.choices, initial=VillageKind.VILLAGE)

    def clean_name(self):
        return validate_village_name(self.cleaned_data["name"])


class VillageEditForm(VillageForm):
    version = VersionField()


class VillageCreateForm(VillageForm):
    from_year = forms.IntegerField(label=_("In this commune from year"), min_value=1945, max_value=2100)


class VillagesMoveForm(forms.Form):
    villages = forms.MultipleChoiceField(label=_("Villages"), widget=forms.CheckboxSelectMultiple, choices=())
    from_year = forms.IntegerField(label=_("From year"), min_value=1945, max_value=2100)
    rename_clashes = forms.BooleanField(
        label=_("Add the old commune's name to a village whose name is already taken here"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].choices = [(v.code, f"{v.code} — {v.name}") for v in candidates]
        self.fields["from_year"].initial = settings.KHUYENHOC_REFORM_YEAR


class AreaClassMembershipForm(forms.Form):
    area_class = forms.ModelChoiceField(
        label=_("Area class"), queryset=AreaClass.objects.none(), empty_label=_("Pick an area class")
    )
    year = forms.IntegerField(label=_("Year"), min_value=1945, max_value=2100, initial=current_year)
    tree = forms.ChoiceField(label=_("Tree"), choices=Tree.choices, initial=Tree.Y2025)
    unit_codes = forms.CharField(
        label=_("Units"),
        widget=PickerMany("unit"),
        help_text=_("Type part of a unit's name and pick it; pick as many as you need."),
    )

    def __init__(self, *args, area_classes, visible_units, **kwargs):
        """`area_classes`: those offered; `visible_units`: the units the user may name."""
        super().__init__(*args, **kwargs)
        self.fields["area_class"].queryset = area_classes
        self.visible_units = visible_units
        widget = self.fields["unit_codes"].widget
        widget.queryset, widget.tree = visible_units, self["tree"].value()

    def clean(self):
        cleaned = super().clean()
        # The picker sends tree:code; a code typed alone is read on the form's tree.
        entries = [c for c in re.split(r"[\s,;]+", cleaned.get("unit_codes") or "") if c]
        tree = cleaned.get("tree")
        if not entries or not tree:
            return cleaned
        by_tree = defaultdict(list)
        for entry in entries:
            given, _colon, code = entry.rpartition(":")
            by_tree[given or tree].append(code)
        units, unknown = [], []
        for entry_tree, codes in by_tree.items():
            found = units_of_codes(entry_tree, codes, units=self.visible_units) if entry_tree in Tree.values else {}
            units += [found[c] for c in dict.fromkeys(codes) if c in found]
            unknown += [c for c in codes if c not in found]
        if unknown:
            raise ValidationError(
                _("Unknown codes, or units outside your area: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        cleaned["units"] = units
        return cleaned


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=1945, max_value=2100, required=False)


def unit_tree_default_year(unit: AdministrativeUnit) -> int:
    """The year a unit page opens on: this year on the 2025 tree, the last year of the old tree otherwise."""
    if unit.tree == Tree.Y2025:
        return max(current_year(), settings.KHUYENHOC_REFORM_YEAR)
    return settings.KHUYENHOC_REFORM_YEAR - 1

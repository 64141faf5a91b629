from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import AdministrativeUnit, Level, Tree, Village
from areas.selectors import find_villages
from areas.widgets import PickerMany, UnitField, VillageField
from core.parsing import split_codes
from core.versions import VersionField

from .models import ManagingLevel, UnitKind
from .validation import MAX_MEMBERS, clean_head_name, clean_members


class HouseholdForm(forms.Form):
    village = VillageField(label=_("Village"))
    head_name = forms.CharField(label=_("Head of household"), max_length=120)
    members = forms.IntegerField(label=_("Number of members"), min_value=1, max_value=MAX_MEMBERS)
    is_active = forms.BooleanField(label=_("Still living here"), required=False, initial=True)
    version = VersionField()

    def __init__(self, *args, villages, **kwargs):
        """`villages`: those the user may choose (`areas.selectors.village_choices`), picked by name."""
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages

    # The same validators as the services and the import pipeline.
    def clean_head_name(self):
        return clean_head_name(self.cleaned_data["head_name"])

    def clean_members(self):
        return clean_members(self.cleaned_data["members"])


class ClanForm(forms.Form):
    name = forms.CharField(label=_("Clan name"), max_length=120)
    tree = forms.ChoiceField(label=_("Tree"), choices=Tree.choices, initial=Tree.Y2025)
    commune_code = UnitField(
        label=_("Registered at (commune)"),
        kind="commune",
        queryset=AdministrativeUnit.objects.filter(level=Level.COMMUNE),
    )
    village_codes = forms.CharField(
        label=_("Villages it spans"),
        required=False,
        widget=PickerMany("village"),
        help_text=_("Type part of a village's name and pick it; pick as many as you need."),
    )
    head_name = forms.CharField(label=_("Head of the clan"), max_length=120, required=False)
    member_households = forms.IntegerField(label=_("Member households"), min_value=1)
    has_board = forms.BooleanField(label=_("Has a study-promotion board"), required=False)
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A bare code (typed without the picker) is read on the tree the form names.
        self.fields["commune_code"].tree = self["tree"].value()
        self.fields["village_codes"].widget.queryset = Village.objects.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("commune_code") is not None:
            cleaned["commune"] = cleaned["commune_code"]
            cleaned["tree"] = cleaned["commune"].tree
        codes = split_codes(cleaned.get("village_codes"))
        villages = find_villages(codes)
        unknown = sorted(set(codes) - {v.code for v in villages})
        if unknown:
            self.add_error("village_codes", _("Unknown village codes: %(codes)s.") % {"codes": ", ".join(unknown)})
        cleaned["villages"] = villages
        return cleaned


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Unit name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    managing_level = forms.ChoiceField(label=_("Managed at"), choices=ManagingLevel.choices)
    tree = forms.ChoiceField(label=_("Tree"), choices=Tree.choices, initial=Tree.Y2025)
    area_code = UnitField(label=_("Area"), kind="unit", queryset=AdministrativeUnit.objects.all())
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A bare code (typed without the picker) is read on the tree the form names.
        self.fields["area_code"].tree = self["tree"].value()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("area_code") is not None:
            cleaned["area"] = cleaned["area_code"]
            cleaned["tree"] = cleaned["area"].tree
        return cleaned

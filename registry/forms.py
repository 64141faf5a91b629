from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Tree, Village
from areas.selectors import find_unit, find_villages
from core.parsing import split_codes
from core.versions import VersionField

from .models import ManagingLevel, UnitKind
from .validation import MAX_MEMBERS, clean_head_name, clean_members

# Up to this many villages the form offers a list; beyond it the officer types the village code.
VILLAGE_LIST_LIMIT = 300


class HouseholdForm(forms.Form):
    village = forms.ModelChoiceField(
        label=_("Village"),
        queryset=Village.objects.none(),
        to_field_name="code",
        error_messages={"invalid_choice": _("No village with this code in your area.")},
    )
    head_name = forms.CharField(label=_("Head of household"), max_length=120)
    members = forms.IntegerField(label=_("Number of members"), min_value=1, max_value=MAX_MEMBERS)
    is_active = forms.BooleanField(label=_("Still living here"), required=False, initial=True)
    version = VersionField()

    def __init__(self, *args, villages, **kwargs):
        """`villages`: those the user may choose (`areas.selectors.village_choices`)."""
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        field.queryset = villages
        if villages.count() > VILLAGE_LIST_LIMIT:
            field.widget = forms.TextInput(attrs={"placeholder": _("Village code, e.g. 01837-001")})
        else:
            field.label_from_instance = lambda v: f"{v.name} ({v.code})"

    # The same validators as the services and the import pipeline.
    def clean_head_name(self):
        return clean_head_name(self.cleaned_data["head_name"])

    def clean_members(self):
        return clean_members(self.cleaned_data["members"])


class ClanForm(forms.Form):
    name = forms.CharField(label=_("Clan name"), max_length=120)
    tree = forms.ChoiceField(label=_("Tree"), choices=Tree.choices, initial=Tree.Y2025)
    commune_code = forms.CharField(label=_("Registered at (commune code)"), max_length=5)
    village_codes = forms.CharField(
        label=_("Villages it spans (codes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by spaces, commas or new lines."),
    )
    head_name = forms.CharField(label=_("Head of the clan"), max_length=120, required=False)
    member_households = forms.IntegerField(label=_("Member households"), min_value=1)
    has_board = forms.BooleanField(label=_("Has a study-promotion board"), required=False)
    version = VersionField()

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("commune_code") or "").strip()
        if code and cleaned.get("tree"):
            cleaned["commune"] = find_unit(cleaned["tree"], code)
            if cleaned["commune"] is None:
                self.add_error("commune_code", _("No unit has the code “%(code)s” on this tree.") % {"code": code})
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
    area_code = forms.CharField(label=_("Area (unit code)"), max_length=5)
    version = VersionField()

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("area_code") or "").strip()
        if code and cleaned.get("tree"):
            cleaned["area"] = find_unit(cleaned["tree"], code)
            if cleaned["area"] is None:
                self.add_error("area_code", _("No unit has the code “%(code)s” on this tree.") % {"code": code})
        return cleaned

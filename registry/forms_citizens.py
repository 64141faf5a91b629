from django import forms
from django.utils.translation import gettext_lazy as _

from areas.widgets import Picker, VillageField
from core.versions import VersionField

from .citizens import clean_birth_year, clean_full_name, clean_household
from .models import Sex, TargetGroup
from .selectors import household_option


class CitizenForm(forms.Form):
    village = VillageField(label=_("Village"))
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    birth_year = forms.IntegerField(label=_("Year of birth"))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    household_code = forms.CharField(
        label=_("Household"),
        max_length=200,
        required=False,
        # Picked by the head's name among the households the user sees, in the village picked above.
        widget=Picker(
            "household",
            url_name="registry:household_search",
            params=("village",),
            placeholder=_("Type part of the head's name and pick from the list"),
        ),
        help_text=_("Where known: the person's household in the same village."),
    )
    target_group = forms.ModelChoiceField(
        label=_("Target group"), queryset=TargetGroup.objects.all(), required=False, empty_label=_("Not given")
    )
    is_active = forms.BooleanField(label=_("Still living here"), required=False, initial=True)
    version = VersionField()

    def __init__(self, *args, villages, households, **kwargs):
        """`villages`: those the user may choose; `households`: those the user sees (for the code)."""
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.households = households
        self.fields["household_code"].widget.label_for = self._household_label

    def _household_label(self, code) -> str:
        household = self.households.select_related("village").filter(code=str(code).strip()).first()
        return household_option(household)["label"] if household is not None else ""
        if not TargetGroup.objects.exists():
            self.fields["target_group"].help_text = _(
                "No target groups are entered yet: the current decision's list is not confirmed."
            )

    # The same validators as the services and the import.
    def clean_full_name(self):
        return clean_full_name(self.cleaned_data["full_name"])

    def clean_birth_year(self):
        return clean_birth_year(self.cleaned_data["birth_year"])

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("household_code") or "").strip()
        cleaned["household"] = None
        if code:
            household = self.households.filter(code=code).first()
            if household is None:
                self.add_error(
                    "household_code", _("No household has the code “%(code)s” in your area.") % {"code": code}
                )
            elif cleaned.get("village") is not None:
                try:
                    cleaned["household"] = clean_household(household, cleaned["village"])
                except forms.ValidationError as error:
                    self.add_error("household_code", error)
        return cleaned

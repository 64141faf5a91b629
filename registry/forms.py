from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Village

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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        villages = Village.objects.visible_to(user).order_by("sort_key", "code")
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

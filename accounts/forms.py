from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from areas.models import Tree
from areas.selectors import find_unit, find_village

from .roles import Role
from .scope import scope_for


class AreaChoiceMixin(forms.Form):
    """Units are chosen by tree and code, as officers know them from the statistics office lists."""

    role = forms.ChoiceField(label=_("Role"), choices=())
    tree = forms.ChoiceField(label=_("Tree"), choices=Tree.choices, initial=Tree.Y2025, required=False)
    unit_code = forms.CharField(label=_("Administrative unit code"), max_length=5, required=False)
    village_code = forms.CharField(label=_("Village code"), max_length=16, required=False)

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        allowed = scope_for(manager).manageable_roles
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in allowed]

    def clean(self):
        cleaned = super().clean()
        cleaned["unit"] = cleaned["village"] = None
        unit_code = (cleaned.get("unit_code") or "").strip()
        village_code = (cleaned.get("village_code") or "").strip()
        if unit_code:
            unit = find_unit(cleaned.get("tree") or Tree.Y2025, unit_code)
            if unit is None:
                self.add_error("unit_code", _("No unit has the code “%(code)s” on this tree.") % {"code": unit_code})
            cleaned["unit"] = unit
        if village_code:
            village = find_village(village_code)
            if village is None:
                self.add_error("village_code", _("No village has the code “%(code)s”.") % {"code": village_code})
            cleaned["village"] = village
        return cleaned


class AccountCreateForm(AreaChoiceMixin):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    field_order = ["username", "full_name", "role", "tree", "unit_code", "village_code"]


class AccountUpdateForm(AreaChoiceMixin):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)
    field_order = ["full_name", "role", "tree", "unit_code", "village_code", "is_active"]


class PasswordChangeForm(forms.Form):
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)
    new_password_again = forms.CharField(label=_("New password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password") != cleaned.get("new_password_again"):
            raise ValidationError(_("The two passwords differ."))
        return cleaned


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new token"),
        max_length=100,
        required=False,
        help_text=_("What it is for, for example the program that will use it."),
    )

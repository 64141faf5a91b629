from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from areas.models import AdministrativeUnit, Tree, Village
from areas.widgets import UnitField, VillageField

from .roles import Role
from .scope import scope_for


class AreaChoiceMixin(forms.Form):
    """The account's unit or village, picked by name (the picker lists those of the manager's area; a
    code, or tree:code, is read too, a bare unit code on the tree chosen). Whether the manager may
    give it is the account services' check, which says so above the form."""

    role = forms.ChoiceField(label=_("Role"), choices=())
    tree = forms.ChoiceField(label=_("Tree"), choices=Tree.choices, initial=Tree.Y2025, required=False)
    unit_code = UnitField(label=_("Administrative unit"), kind="unit", required=False)
    village_code = VillageField(label=_("Village"), required=False)

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        allowed = scope_for(manager).manageable_roles
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in allowed]
        self.fields["unit_code"].queryset = AdministrativeUnit.objects.all()
        self.fields["unit_code"].tree = self["tree"].value() or Tree.Y2025
        self.fields["village_code"].queryset = Village.objects.all()

    def clean(self):
        cleaned = super().clean()
        cleaned["unit"] = cleaned.get("unit_code")
        cleaned["village"] = cleaned.get("village_code")
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

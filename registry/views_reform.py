"""Clans and units brought into a new commune from the old communes merged into it (the 2025 reform)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Perm
from areas.access import get_unit_for_user

from .reform import reform_bring_over, reform_candidates


class BringOverForm(forms.Form):
    clans = forms.MultipleChoiceField(
        label=gettext_lazy("Clans"), widget=forms.CheckboxSelectMultiple, choices=(), required=False
    )
    organisations = forms.MultipleChoiceField(
        label=gettext_lazy("Units"), widget=forms.CheckboxSelectMultiple, choices=(), required=False
    )

    def __init__(self, *args, clans, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clans"].choices = [(c.code, f"{c.name} — {c.commune.name} ({c.code})") for c in clans]
        self.fields["organisations"].choices = [(o.code, f"{o.name} — {o.area.name} ({o.code})") for o in organisations]


@login_required
def bring_over(request, tree, code):
    """The clans and units of the old communes, all ticked: one save registers them at this commune."""
    commune = get_unit_for_user(request.user, tree=tree, code=code, perm=Perm.MANAGE_REGISTRIES)
    clans, organisations = reform_candidates(request.user, commune)
    form = BringOverForm(
        request.POST or None,
        clans=clans,
        organisations=organisations,
        initial={"clans": [c.code for c in clans], "organisations": [o.code for o in organisations]},
    )
    if request.method == "POST" and form.is_valid():
        chosen_clans = set(form.cleaned_data["clans"])
        chosen_units = set(form.cleaned_data["organisations"])
        try:
            moved_clans, moved_units = reform_bring_over(
                actor=request.user,
                commune=commune,
                clans=[c for c in clans if c.code in chosen_clans],
                organisations=[o for o in organisations if o.code in chosen_units],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("%(clans)d clans and %(units)d units now belong to %(commune)s.")
                % {"clans": moved_clans, "units": moved_units, "commune": commune},
            )
            return redirect("registry:clans")
    return render(
        request,
        "registry/bring_over.html",
        {"form": form, "commune": commune, "clans": clans, "organisations": organisations},
    )

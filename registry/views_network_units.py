"""An association's branches and study promotion boards: the list for a year, add, change and close,
each through the services of registry.network_units, with its history."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Perm
from areas.forms import unit_tree_default_year
from areas.models import Village, subtree_q
from audit.services import history_of, recent
from core.access import get_visible_or_404, has_perm, require_perm
from core.forms import add_service_errors
from core.parsing import query_year
from core.versions import StaleVersion, VersionField

from . import network_units
from .access import get_association_for_user
from .models import Clan, NetworkUnit, NetworkUnitKind, NetworkUnitYear, Organisation

# A branch or board is in one place: a village, an agency or school, or a clan; the others stay empty.
NONE_CHOSEN = gettext_lazy("None chosen")


class NetworkUnitForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=NetworkUnitKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    village = forms.ModelChoiceField(
        label=gettext_lazy("Village (for a village branch)"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=NONE_CHOSEN,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Agency or school (for a branch or board in one)"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=NONE_CHOSEN,
    )
    clan = forms.ModelChoiceField(
        label=gettext_lazy("Clan (for a board in a clan)"),
        queryset=Clan.objects.none(),
        required=False,
        empty_label=NONE_CHOSEN,
    )
    head_name = forms.CharField(label=gettext_lazy("Head"), max_length=120, required=False)
    opened_year = forms.IntegerField(label=gettext_lazy("Year opened"), min_value=0)
    last_year = forms.IntegerField(
        label=gettext_lazy("Last year it works"),
        min_value=0,
        required=False,
        help_text=gettext_lazy("Fill this in to close it: it is not counted after this year."),
    )
    members = forms.IntegerField(min_value=0, required=False)
    version = VersionField()

    def __init__(self, *args, association, user, year, **kwargs):
        """The villages, clans and units offered are those of the association's area the user sees."""
        super().__init__(*args, **kwargs)
        path = association.area.path
        self.fields["village"].queryset = (
            Village.objects.visible_to(user).filter(subtree_q("placements__commune_path", path)).distinct()
        )
        self.fields["clan"].queryset = Clan.objects.visible_to(user).filter(subtree_q("commune__path", path))
        self.fields["organisation"].queryset = Organisation.objects.visible_to(user).filter(
            subtree_q("area__path", path)
        )
        self.fields["members"].label = _("Members in %(year)s") % {"year": year}
        self.fields["members"].help_text = _("Leave empty where not known.")


def _page_year(request, association) -> int:
    return query_year(request, default=unit_tree_default_year(association.area))


def _units_url(association, year) -> str:
    return f"{reverse('registry:network_units', args=[association.pk])}?year={year}"


@login_required
def unit_list(request, association_pk):
    """The association's branches and boards in a year, and the counts they give beside those entered."""
    association = get_association_for_user(request.user, pk=association_pk)
    year = _page_year(request, association)
    units = list(NetworkUnit.objects.filter(association=association).select_related("village", "clan", "organisation"))
    members = dict(NetworkUnitYear.objects.filter(unit__in=units, year=year).values_list("unit_id", "members"))
    rows = [(unit, unit.is_open_in(year), members.get(unit.pk)) for unit in units]
    context = {
        "association": association,
        "year": year,
        "rows": rows,
        "figures": _labelled(network_units.network_counts(association, year)),
        "can_manage": has_perm(request.user, Perm.MANAGE_REGISTRIES),
    }
    return render(request, "registry/network_unit_list.html", context)


FIGURE_LABELS = {
    "members": gettext_lazy("Members"),
    "village_branches": gettext_lazy("Village branches"),
    "agency_branches": gettext_lazy("Agency branches"),
    "agency_boards": gettext_lazy("Boards in agencies"),
    "school_boards": gettext_lazy("Boards in schools"),
    "clan_boards": gettext_lazy("Boards in clans"),
}


def _labelled(figures: list[dict]) -> list[dict]:
    return [{**figure, "label": FIGURE_LABELS[figure["field"]]} for figure in figures]


@login_required
def unit_edit(request, association_pk=None, pk=None):
    """Add a branch or board to an association (`association_pk`), or change or close one (`pk`)."""
    if pk is not None:
        unit = get_visible_or_404(
            NetworkUnit.objects.select_related("association__area"), user=request.user, perm=Perm.VIEW_REGISTRIES, pk=pk
        )
        association = unit.association
    else:
        unit = None
        association = get_association_for_user(request.user, pk=association_pk, perm=Perm.MANAGE_REGISTRIES)
    if request.method == "POST":
        require_perm(request.user, Perm.MANAGE_REGISTRIES)
    year = _page_year(request, association)
    initial = {"opened_year": year}
    if unit is not None:
        known = NetworkUnitYear.objects.filter(unit=unit, year=year).first()
        initial = {
            **{field: getattr(unit, field) for field in ("kind", "name", "head_name", "opened_year", "last_year")},
            **{field: getattr(unit, f"{field}_id") for field in ("village", "clan", "organisation")},
            "members": known.members if known else None,
            "version": unit.version,
        }
    form = NetworkUnitForm(request.POST or None, initial=initial, association=association, user=request.user, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            unit = network_units.network_unit_save(
                actor=request.user, association=association, unit=unit, year=year, **form.cleaned_data
            )
        except StaleVersion as error:
            # Nothing was saved: the page is shown again with the values someone else saved.
            messages.error(request, error.messages[0])
            return redirect(f"{reverse('registry:network_unit', args=[unit.pk])}?year={year}")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": unit.name})
            return redirect(_units_url(association, year))
    context = {
        "association": association,
        "unit": unit,
        "year": year,
        "form": form,
        "history": recent(history_of(unit), page=request.GET.get("history")) if unit else None,
        "can_manage": has_perm(request.user, Perm.MANAGE_REGISTRIES),
    }
    return render(request, "registry/network_unit_form.html", context)

"""Entered totals of an area on a page: the list, a form to type one in, and removing one. Each
goes through `stats.services`, so the figures above move in the same transaction."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import Perm
from areas.models import AdministrativeUnit, Village, subtree_q, tree_for_year
from areas.widgets import UnitField, VillageField
from core.access import has_perm, require_perm
from core.forms import add_service_errors
from core.parsing import query_year, whole_number_or
from core.redirects import safe_next
from core.versions import StaleVersion, VersionField
from criteria.models import Title

from . import services
from .access import area_param, get_area_for_user
from .models import COUNTED_TITLES, NETWORK, EnteredAggregate, Measure


class AggregateForm(forms.Form):
    """A total of a unit or of one village: both are picked by name among those of the user's area."""

    area = UnitField(
        label=gettext_lazy("Area"),
        kind="unit",
        required=False,
        help_text=gettext_lazy("The commune, district or province the total belongs to."),
    )
    village = VillageField(
        label=gettext_lazy("or a village"),
        required=False,
        help_text=gettext_lazy("For a village's total, pick the village instead of an area."),
    )
    year = forms.IntegerField(label=gettext_lazy("Year"))
    title = forms.ChoiceField(label=gettext_lazy("Title"), required=False)
    # Lượt (granted) follows an entered total of recognitions: it is never entered on its own.
    measure = forms.ChoiceField(
        label=gettext_lazy("Figure"), choices=[c for c in Measure.choices if c[0] != Measure.GRANTED]
    )
    value = forms.IntegerField(label=gettext_lazy("Value"), min_value=0)
    note = forms.CharField(
        label=gettext_lazy("Source or note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The version of the total being changed; empty for a new one (a total someone else entered
    # meanwhile is then not overwritten).
    version = VersionField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = AdministrativeUnit.objects.visible_to(user)
        self.fields["village"].queryset = Village.objects.visible_to(user)
        # A bare code is read on the tree in force in the year given (a code can be on both trees).
        year = str(self.data.get("year", "")) if self.is_bound else ""
        if year.isascii() and year.isdigit() and len(year) == 4:
            self.fields["area"].tree = tree_for_year(int(year))
        self.fields["title"].choices = [(NETWORK, _("— none (population and network) —"))] + [
            (t, Title(t).label) for t in COUNTED_TITLES
        ]

    def clean(self):
        cleaned = super().clean()
        unit, village = cleaned.get("area"), cleaned.get("village")
        if "area" in self.errors or "village" in self.errors:
            return cleaned
        if unit is None and village is None:
            self.add_error("area", _("Pick the area or the village the total belongs to."))
        elif unit is not None and village is not None:
            self.add_error("village", _("Pick an area or a village, not both."))
        elif unit is not None and cleaned.get("year") and unit.tree != tree_for_year(cleaned["year"]):
            self.add_error(
                "area",
                _("%(name)s belongs to the other tree: for %(year)d pick a unit of the tree in force that year.")
                % {"name": unit.name, "year": cleaned["year"]},
            )
        return cleaned


def _editing(request):
    """The total the form changes (`?edit=`), as stored now; None for a new one."""
    pk = whole_number_or(request.GET.get("edit", ""), min_value=1)
    if pk is None:
        return None
    return EnteredAggregate.objects.visible_to(request.user).select_related("unit", "village").filter(pk=pk).first()


def _initial(aggregate) -> dict | None:
    if aggregate is None:
        return None
    return {
        "area": f"{aggregate.unit.tree}:{aggregate.unit.code}" if aggregate.unit_id else "",
        "village": aggregate.village.code if aggregate.village_id else "",
        "year": aggregate.year,
        "title": aggregate.title,
        "measure": aggregate.measure,
        "value": aggregate.value,
        "note": aggregate.note,
        "version": aggregate.version,
    }


def _stored(user, unit, village, data):
    """The stored total of the form's figure, if any (to show it again after a stale save)."""
    return EnteredAggregate.objects.visible_to(user).filter(
        unit=unit, village=village, year=data["year"], title=data["title"] or "", measure=data["measure"]
    )


@login_required
def entered_list(request):
    area = get_area_for_user(request.user, request.GET.get("area"))
    aggregates = EnteredAggregate.objects.visible_to(request.user).select_related("unit", "village", "entered_by")
    if area is not None:
        aggregates = aggregates.filter(subtree_q("path", area.path))
    year = query_year(request)
    if year is not None:
        aggregates = aggregates.filter(year=year)
    can_enter = has_perm(request.user, Perm.ENTER_AGGREGATES)
    editing = _editing(request) if can_enter else None
    form = AggregateForm(request.POST or None, initial=_initial(editing), user=request.user) if can_enter else None
    if request.method == "POST":
        require_perm(request.user, Perm.ENTER_AGGREGATES)
        if form.is_valid():
            data = form.cleaned_data
            unit, village = data["area"], data["village"]
            try:
                services.aggregate_save(
                    actor=request.user,
                    unit=unit,
                    village=village,
                    year=data["year"],
                    title=data["title"],
                    measure=data["measure"],
                    value=data["value"],
                    note=data["note"],
                    version=data["version"],
                )
            except StaleVersion as error:
                # Nothing was saved: the form is shown again with the total as someone else saved it.
                messages.error(request, error.messages[0])
                current = _stored(request.user, unit, village, data).first()
                edit = f"&edit={current.pk}" if current else ""
                return redirect(f"{request.path}?area={area_param(area)}{edit}")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The total is entered; the figures above it are updated."))
                return redirect(f"{request.path}?area={area_param(area)}")
    page = Paginator(aggregates, 50).get_page(request.GET.get("page"))
    for aggregate in page:
        # The title's name (the field keeps its key, and a network figure belongs to no title).
        aggregate.title_label = Title(aggregate.title).label if aggregate.title in Title.values else ""
    return render(
        request,
        "stats/entered.html",
        {
            "area": area,
            "area_param": area_param(area),
            "page": page,
            "form": form,
            "year": year,
            "editing": editing,
        },
    )


@login_required
@require_POST
def entered_delete(request, pk):
    require_perm(request.user, Perm.ENTER_AGGREGATES)
    aggregate = get_object_or_404(EnteredAggregate.objects.visible_to(request.user), pk=pk)
    try:
        services.aggregate_delete(actor=request.user, aggregate=aggregate, version=request.POST.get("version"))
    except StaleVersion as error:
        # Nothing was removed: the list shows the total as someone else saved it.
        messages.error(request, error.messages[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The total is removed; the figure is the sum of the sub-areas again."))
    return redirect(safe_next(request, "stats:entered"))

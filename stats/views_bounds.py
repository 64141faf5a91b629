"""The page of the age bounds of the learning citizens' base: the bounds in force (the national
default and the user's provinces' own), and for those who may change them (stats.citizen_bounds) a
form to add bounds and a button to remove them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors
from core.parsing import whole_number_or
from criteria.scope import area_of_new

from .citizen_bounds import OLDEST, bounds_delete, bounds_save, bounds_visible_to, may_change_bounds


class BoundsForm(forms.Form):
    from_year = forms.IntegerField(label=gettext_lazy("From year"), min_value=2000, max_value=2062)
    to_year = forms.IntegerField(
        label=gettext_lazy("To year"),
        min_value=2000,
        max_value=2062,
        required=False,
        help_text=gettext_lazy("Empty: until changed."),
    )
    min_age = forms.IntegerField(label=gettext_lazy("Minimum age"), min_value=0, max_value=OLDEST)
    max_age = forms.IntegerField(
        label=gettext_lazy("Maximum age"),
        min_value=0,
        max_value=OLDEST,
        required=False,
        help_text=gettext_lazy("Empty: no upper bound."),
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("The decision or guidance that sets them."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def bounds_page(request):
    area = area_of_new(request.user)  # a province officer's province; a system administrator's: national
    can_change = may_change_bounds(request.user, area)
    rows = bounds_visible_to(request.user).order_by("area__path", "from_year")
    form = BoundsForm(request.POST or None) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if "delete" in request.POST:
            bounds = rows.filter(pk=whole_number_or(request.POST["delete"], min_value=1)).first()
            if bounds is None or not may_change_bounds(request.user, bounds.area):
                raise PermissionDenied
            bounds_delete(actor=request.user, bounds=bounds)
            messages.success(request, _("The age bounds were removed."))
            return redirect(reverse("stats:citizen_bounds"))
        if form.is_valid():
            try:
                bounds_save(actor=request.user, area=area, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The age bounds were saved: the base was counted again."))
                return redirect(reverse("stats:citizen_bounds"))
    context = {
        "rows": [(row, may_change_bounds(request.user, row.area)) for row in rows],
        "form": form,
        "area": area,
        "can_change": can_change,
        "active": "bounds",
    }
    return render(request, "stats/citizen_bounds.html", context)

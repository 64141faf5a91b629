"""Pickers of registry records on forms: as one types a name, the matching records of the user's area
are listed under the field (areas/static/areas/picker.js), so that nobody types a code."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.roles import Perm
from core.access import require_perm

from . import selectors


@login_required
def household_search(request):
    """Households by their head's name; `village`: the village picked on the same form, if any."""
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    query = request.GET.get("q", "")
    options = selectors.household_options(request.user, query, village=request.GET.get("village", ""))
    return render(request, "areas/_picker_options.html", {"query": query, "kind": "household", "options": options})

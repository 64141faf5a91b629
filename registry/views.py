from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.search import with_communes
from areas.selectors import village_choices
from audit.services import history_of, recent
from core.access import has_perm, require_perm
from core.spreadsheets import export_response
from core.text import nfc
from core.versions import StaleVersion

from . import selectors, services
from .access import get_household_for_user
from .exports import HOUSEHOLDS
from .forms import HouseholdForm


def _filtered_households(request):
    """The list's filters as typed, and the households they select (any other status: all of them)."""
    query = nfc(request.GET.get("q", ""))
    village = request.GET.get("village", "").strip()
    status = request.GET.get("status", "active")
    households = selectors.households_for(
        request.user, village=village, query=query, active=selectors.STATUS_ACTIVE.get(status)
    )
    return households, {"query": query, "village": village, "status": status}


@login_required
def household_list(request):
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    households, filters = _filtered_households(request)
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    with_communes([household.village for household in page])  # each village shown with its commune
    return render(
        request,
        "registry/household_list.html",
        {**filters, "page": page, "can_manage": has_perm(request.user, Perm.MANAGE_HOUSEHOLDS)},
    )


@login_required
def household_export(request, file_format):
    """The list as filtered on the page, as xlsx or CSV."""
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    households, _filters = _filtered_households(request)
    return export_response(HOUSEHOLDS, HOUSEHOLDS.rows(households), file_format)


@login_required
def household_create(request):
    require_perm(request.user, Perm.MANAGE_HOUSEHOLDS)
    form = HouseholdForm(
        request.POST or None, villages=village_choices(request.user), initial={"village": request.GET.get("village")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = services.household_create(
            actor=request.user, village=data["village"], head_name=data["head_name"], members=data["members"]
        )
        messages.success(request, _("Household %(code)s was added.") % {"code": household.code})
        if "add_another" in request.POST:
            return redirect(f"{reverse('registry:household_create')}?village={household.village.code}")
        return redirect(f"{reverse('registry:households')}?village={household.village.code}")
    return render(request, "registry/household_form.html", {"form": form})


@login_required
def household_detail(request, code):
    household = get_household_for_user(request.user, code=code)
    # A household merged into another is kept as it was: its page leads to the one it was merged into.
    can_manage = has_perm(request.user, Perm.MANAGE_HOUSEHOLDS) and household.merged_into_id is None
    form = None
    if can_manage:
        initial = {
            "village": household.village.code,
            "head_name": household.head_name,
            "members": household.members,
            "is_active": household.is_active,
            "version": household.version,
        }
        form = HouseholdForm(request.POST or None, villages=village_choices(request.user), initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.household_update(
                    actor=request.user,
                    household=household,
                    version=data["version"],
                    village=data["village"],
                    head_name=data["head_name"],
                    members=data["members"],
                    is_active=data["is_active"],
                )
            except StaleVersion as error:
                # Nothing was saved: the page is shown again with the values someone else saved.
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("The household was saved."))
            return redirect("registry:household", code=household.code)
    elif request.method == "POST":
        require_perm(request.user, Perm.MANAGE_HOUSEHOLDS)
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "form": form,
            "history": recent(history_of(household), page=request.GET.get("history")),
        },
    )

"""Learning citizens' pages: the list (filtered as the export), a person's record with its history,
adding a person. Personal data: only those whose role may see persons (`Perm.VIEW_CITIZENS`) reach
them, inside the scope of the person's village, and every list, export and record opened is logged."""

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

from . import selectors
from .access import get_citizen_for_user
from .citizens import PURPOSE, READS, citizen_create, citizen_update, log_access
from .exports_citizens import CITIZENS
from .forms_citizens import CitizenForm
from .models import Household, TargetGroup


def _filtered(request):
    query = nfc(request.GET.get("q", ""))
    village = request.GET.get("village", "").strip()
    status = request.GET.get("status", "active")
    group = request.GET.get("group", "").strip()
    citizens = selectors.citizens_for(
        request.user,
        village=village,
        query=query,
        active=selectors.STATUS_ACTIVE.get(status),
        target_group=group,
    )
    return citizens, {"query": query, "village": village, "status": status, "group": group}


@login_required
def citizen_list(request):
    require_perm(request.user, Perm.VIEW_CITIZENS)
    citizens, filters = _filtered(request)
    page = Paginator(citizens, 50).get_page(request.GET.get("page"))
    with_communes([citizen.village for citizen in page])
    log_access(
        actor=request.user,
        action="citizen.list",
        detail={**filters, "page": page.number, "shown": len(page.object_list)},
    )
    return render(
        request,
        "registry/citizen_list.html",
        {
            **filters,
            "page": page,
            "purpose": PURPOSE,
            "groups": TargetGroup.objects.all(),
            "can_manage": has_perm(request.user, Perm.MANAGE_HOUSEHOLDS),
        },
    )


@login_required
def citizen_export(request, file_format):
    """The list as filtered on the page; only those who may see persons, and logged."""
    require_perm(request.user, Perm.VIEW_CITIZENS)
    citizens, filters = _filtered(request)
    log_access(
        actor=request.user,
        action="citizen.export",
        detail={**filters, "format": file_format, "rows": citizens.count()},
    )
    return export_response(CITIZENS, CITIZENS.rows(citizens), file_format)


def _form(request, *, initial):
    return CitizenForm(
        request.POST or None,
        villages=village_choices(request.user),
        households=Household.objects.visible_to(request.user),
        initial=initial,
    )


@login_required
def citizen_create_view(request):
    require_perm(request.user, Perm.VIEW_CITIZENS)
    require_perm(request.user, Perm.MANAGE_HOUSEHOLDS)
    form = _form(request, initial={"village": request.GET.get("village")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        citizen = citizen_create(
            actor=request.user,
            village=data["village"],
            household=data["household"],
            full_name=data["full_name"],
            birth_year=data["birth_year"],
            sex=data["sex"],
            target_group=data["target_group"],
            is_active=data["is_active"],
        )
        messages.success(
            request, _("%(name)s was added (code %(code)s).") % {"name": citizen.full_name, "code": citizen.code}
        )
        if "add_another" in request.POST:
            return redirect(f"{reverse('registry:citizen_create')}?village={citizen.village.code}")
        return redirect(f"{reverse('registry:citizens')}?village={citizen.village.code}")
    return render(request, "registry/citizen_form.html", {"form": form, "purpose": PURPOSE})


@login_required
def citizen_detail(request, code):
    citizen = get_citizen_for_user(request.user, code=code)
    can_manage = has_perm(request.user, Perm.MANAGE_HOUSEHOLDS)
    form = None
    if can_manage:
        form = _form(
            request,
            initial={
                "village": citizen.village.code,
                "full_name": citizen.full_name,
                "birth_year": citizen.birth_year,
                "sex": citizen.sex,
                "household_code": citizen.household.code if citizen.household_id else "",
                "target_group": citizen.target_group_id,
                "is_active": citizen.is_active,
                "version": citizen.version,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                citizen_update(
                    actor=request.user,
                    citizen=citizen,
                    version=data["version"],
                    village=data["village"],
                    household=data["household"],
                    full_name=data["full_name"],
                    birth_year=data["birth_year"],
                    sex=data["sex"],
                    target_group=data["target_group"],
                    is_active=data["is_active"],
                )
            except StaleVersion as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("The person's record was saved."))
            return redirect("registry:citizen", code=citizen.code)
    elif request.method == "POST":
        require_perm(request.user, Perm.MANAGE_HOUSEHOLDS)
    if request.method == "GET":
        log_access(actor=request.user, action="citizen.view", citizen=citizen, detail={"code": citizen.code})
    return render(
        request,
        "registry/citizen_detail.html",
        {
            "citizen": citizen,
            "form": form,
            "purpose": PURPOSE,
            "history": recent(history_of(citizen).exclude(action__in=READS), page=request.GET.get("history")),
        },
    )

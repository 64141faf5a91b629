"""Clans and units: list, export, add and edit through the services, in the user's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.roles import Perm
from audit.services import history_of, recent
from core.access import has_perm, require_perm
from core.forms import add_service_errors
from core.spreadsheets import export_response
from core.text import nfc
from core.versions import StaleVersion

from . import selectors, services
from .access import get_clan_for_user, get_organisation_for_user
from .exports import CLANS, ORGANISATIONS
from .forms import ClanForm, OrganisationForm
from .models import UnitKind
from .reform import reform_commune_for


def _filtered(request, select, area_as: str, **extra):
    """The filters the list pages and their exports share: a name and an area (its code, or tree:code;
    the selector's `area_as` argument), and the records they select; an area garbled is shown as the
    page's error, with nothing listed."""
    filters = {"query": nfc(request.GET.get("q", "")), "area": request.GET.get("area", "").strip(), "area_error": ""}
    try:
        found = select(request.user, query=filters["query"], **{area_as: filters["area"]}, **extra)
    except ValidationError as error:
        filters["area_error"] = error.messages[0]
        found = select(request.user, query=filters["query"], **extra).none()
    return found, filters


def _filtered_clans(request):
    return _filtered(request, selectors.clans_for, "commune")


def _filtered_organisations(request):
    kind = request.GET.get("kind", "")
    organisations, filters = _filtered(
        request, selectors.organisations_for, "area", kind=kind if kind in UnitKind.values else ""
    )
    return organisations, {**filters, "kind": kind}


def _listing(request, queryset, filters, template, extra=None):
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    can_manage = has_perm(request.user, Perm.MANAGE_REGISTRIES)
    context = {
        "page": page,
        **filters,
        "can_manage": can_manage,
        "reform_commune": reform_commune_for(request.user) if can_manage else None,
    }
    return render(request, template, {**context, **(extra or {})})


@login_required
def clan_list(request):
    clans, filters = _filtered_clans(request)
    return _listing(request, clans, filters, "registry/clan_list.html")


@login_required
def clan_export(request, file_format):
    """The list as filtered on the page, as xlsx or CSV, in the columns of the import template."""
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    clans, _filters = _filtered_clans(request)
    return export_response(CLANS, CLANS.rows(clans), file_format)


@login_required
def clan_edit(request, code=None):
    clan = get_clan_for_user(request.user, code=code) if code else None
    if request.method == "POST" or clan is None:
        require_perm(request.user, Perm.MANAGE_REGISTRIES)
    initial = {}
    if clan:
        initial = {
            "name": clan.name,
            "tree": clan.commune.tree,
            "commune_code": clan.commune.code,
            "village_codes": " ".join(clan.villages.values_list("code", flat=True)),
            "head_name": clan.head_name,
            "member_households": clan.member_households,
            "has_board": clan.has_board,
            "version": clan.version,
        }
    form = ClanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clan = services.clan_save(
                actor=request.user,
                clan=clan,
                version=data["version"],
                commune=data["commune"],
                name=data["name"],
                head_name=data["head_name"],
                member_households=data["member_households"],
                has_board=data["has_board"],
                villages=data["villages"],
            )
        except StaleVersion as error:
            # Nothing was saved: the page is shown again with the values someone else saved.
            messages.error(request, error.messages[0])
            return redirect("registry:clan", code=clan.code)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The clan %(code)s was saved.") % {"code": clan.code})
            return redirect("registry:clan", code=clan.code)
    context = {
        "form": form,
        "clan": clan,
        "history": recent(history_of(clan), page=request.GET.get("history")) if clan else None,
        "can_manage": has_perm(request.user, Perm.MANAGE_REGISTRIES),
    }
    return render(request, "registry/clan_form.html", context)


@login_required
def organisation_list(request):
    organisations, filters = _filtered_organisations(request)
    return _listing(request, organisations, filters, "registry/organisation_list.html", {"kinds": UnitKind.choices})


@login_required
def organisation_export(request, file_format):
    """The list as filtered on the page, as xlsx or CSV, in the columns of the import template."""
    require_perm(request.user, Perm.VIEW_REGISTRIES)
    organisations, _filters = _filtered_organisations(request)
    return export_response(ORGANISATIONS, ORGANISATIONS.rows(organisations), file_format)


@login_required
def organisation_edit(request, code=None):
    organisation = get_organisation_for_user(request.user, code=code) if code else None
    if request.method == "POST" or organisation is None:
        require_perm(request.user, Perm.MANAGE_REGISTRIES)
    initial = {}
    if organisation:
        initial = {
            "name": organisation.name,
            "kind": organisation.kind,
            "managing_level": organisation.managing_level,
            "tree": organisation.area.tree,
            "area_code": organisation.area.code,
            "version": organisation.version,
        }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.organisation_save(
                actor=request.user,
                organisation=organisation,
                version=data["version"],
                name=data["name"],
                kind=data["kind"],
                managing_level=data["managing_level"],
                area=data["area"],
            )
        except StaleVersion as error:
            messages.error(request, error.messages[0])
            return redirect("registry:organisation", code=organisation.code)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The unit %(code)s was saved.") % {"code": organisation.code})
            return redirect("registry:organisation", code=organisation.code)
    context = {
        "form": form,
        "organisation": organisation,
        "history": recent(history_of(organisation), page=request.GET.get("history")) if organisation else None,
        "can_manage": has_perm(request.user, Perm.MANAGE_REGISTRIES),
    }
    return render(request, "registry/organisation_form.html", context)

"""The network and yearly base page of an area: one place to enter what the yearly report asks."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Perm
from areas.access import get_unit_for_user
from areas.forms import unit_tree_default_year
from core.access import get_visible_or_404, has_perm, require_perm
from core.forms import add_service_errors
from core.parsing import query_year
from core.spreadsheets import export_response
from core.versions import StaleVersion, VersionField

from . import network
from .exports_network import EXPORTS
from .models import AreaYear, Association, AssociationLevel, AssociationYear, NetworkUnit
from .network_counts import counts_from_list, counts_from_lists


def _count_field(label, required):
    return forms.IntegerField(label=label, min_value=0, required=required)


class AreaYearForm(forms.Form):
    population = _count_field(gettext_lazy("Population"), False)
    households = _count_field(gettext_lazy("Households (base)"), False)
    fund_vnd = _count_field(gettext_lazy("Study promotion fund (VND)"), False)
    scholarships = _count_field(gettext_lazy("Scholarships"), False)
    scholarships_vnd = _count_field(gettext_lazy("Scholarships (VND)"), False)
    version = VersionField()


class AssociationYearForm(forms.Form):
    members = _count_field(gettext_lazy("Members"), True)
    village_branches = _count_field(gettext_lazy("Village branches"), True)
    agency_branches = _count_field(gettext_lazy("Agency branches"), True)
    agency_boards = _count_field(gettext_lazy("Boards in agencies"), True)
    school_boards = _count_field(gettext_lazy("Boards in schools"), True)
    clan_boards = _count_field(gettext_lazy("Boards in clans"), True)
    version = VersionField()


class AssociationForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=AssociationLevel.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)


def _association_year_form(association, year, data):
    """The figures of a year to enter: those the association's list gives are counted, not asked for."""
    form = AssociationYearForm(data)
    for field in counts_from_list(association, [year])[year]:
        del form.fields[field]
    return form


def _apply(form, save):
    """Run a service; put its errors on the form's fields (or the form) instead of raising."""
    try:
        save()
    except StaleVersion:
        raise  # the page is shown again with the values someone else saved
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def _initial(record, fields) -> dict | None:
    """A form's values from the record as stored, with the version the save must name."""
    if record is None:
        return None
    return {**{field: getattr(record, field) for field in fields}, "version": record.version}


@login_required
def network_page(request, tree, code):
    area = get_unit_for_user(request.user, tree=tree, code=code, perm=Perm.VIEW_REGISTRIES)
    year = query_year(request, default=unit_tree_default_year(area))
    try:
        return _network_page(request, area, year)
    except StaleVersion as error:
        # Nothing was saved: the page is shown again with the values someone else saved.
        messages.error(request, error.messages[0])
        return redirect(f"{reverse('registry:network', args=[tree, code])}?year={year}")


def _network_page(request, area, year):
    tree, code = area.tree, area.code
    can_manage = has_perm(request.user, Perm.MANAGE_REGISTRIES)
    figures = AreaYear.objects.filter(area=area, year=year).first()
    area_form = AreaYearForm(initial=_initial(figures, network.AREA_YEAR_FIELDS))
    association_form = AssociationForm()
    if request.method == "POST":
        require_perm(request.user, Perm.MANAGE_REGISTRIES)
        action = request.POST.get("action")
        saved = False
        if action == "area":
            area_form = AreaYearForm(request.POST)
            saved = area_form.is_valid() and _apply(
                area_form,
                lambda: network.area_year_save(actor=request.user, area=area, year=year, **area_form.cleaned_data),
            )
        elif action == "association":
            association_form = AssociationForm(request.POST)
            saved = association_form.is_valid() and _apply(
                association_form,
                lambda: network.association_create(actor=request.user, area=area, **association_form.cleaned_data),
            )
        elif action == "association_year":
            association = get_visible_or_404(
                Association.objects.filter(area=area),
                user=request.user,
                perm=Perm.MANAGE_REGISTRIES,
                pk=request.POST.get("association"),
            )
            form = _association_year_form(association, year, request.POST)
            saved = form.is_valid() and _apply(
                form,
                lambda: network.association_year_save(
                    actor=request.user, association=association, year=year, **form.cleaned_data
                ),
            )
            if not saved:
                messages.error(
                    request, _("The figures of %(name)s were not saved: check them.") % {"name": association}
                )
        if saved:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('registry:network', args=[tree, code])}?year={year}")
    associations = list(Association.objects.filter(area=area))
    years = {row.association_id: row for row in AssociationYear.objects.filter(association__in=associations, year=year)}
    listed = counts_from_lists([association.pk for association in associations], [year])
    units = dict(
        NetworkUnit.objects.filter(association__in=associations)
        .values("association")
        .annotate(n=Count("pk"))
        .values_list("association", "n")
    )
    rows = []
    for association in associations:
        current = years.get(association.pk)
        initial = _initial(current, network.ASSOCIATION_YEAR_FIELDS)
        form = AssociationYearForm(initial=initial, auto_id=f"a{association.pk}_%s")
        from_list = listed.get((association.pk, year), {})
        # Each figure says whether the list of branches and boards gives it or it was entered.
        cells = [(form[field], from_list.get(field), field in from_list) for field in network.ASSOCIATION_YEAR_FIELDS]
        rows.append((association, form, cells, units.get(association.pk, 0)))
    files = [
        ("area-years", "area_years", _("Base and fund")),
        ("association-years", "association_years", _("Figures of the associations")),
    ]
    context = {
        "area": area,
        "year": year,
        "can_manage": can_manage,
        "area_form": area_form,
        "association_form": association_form,
        "rows": rows,
        "figures": figures,
        "files": files,
    }
    return render(request, "registry/network.html", context)


@login_required
def network_export(request, tree, code, what, file_format):
    """The figures of an area and every unit under it, all years or `?year=`, as xlsx or CSV."""
    area = get_unit_for_user(request.user, tree=tree, code=code, perm=Perm.VIEW_REGISTRIES)
    year = query_year(request)
    layout = EXPORTS[what]
    name = f"{layout.filename}-{area.tree}-{area.code}{f'-{year}' if year else ''}"
    return export_response(layout, layout.rows(area, year), file_format, name=name)

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import history_of, recent
from core.access import has_perm, require_perm
from core.parsing import query_number, query_year
from core.versions import StaleVersion

from . import services
from .access import get_area_class_membership_for_user, get_unit_for_user, get_village_for_user
from .forms import (
    AreaClassMembershipForm,
    VillageCreateForm,
    VillageEditForm,
    VillagesMoveForm,
    YearForm,
    unit_tree_default_year,
)
from .models import AdministrativeUnit, AreaClassMembership, Level, Tree, Village, VillagePlacement, tree_for_year
from .permissions import AreaPerm
from .search import PICKER_KINDS, picker_options, search_areas
from .selectors import area_class_choices

MEMBERSHIPS_PAGE = 100  # units of the area classes' list a page shows


@login_required
def browse(request):
    """The start page: the user's own area, or the provinces for those who see the whole country."""
    user = request.user
    if user.village_id:
        return redirect("areas:village", code=user.village.code)
    if user.unit_id:
        return redirect("areas:unit", tree=user.unit.tree, code=user.unit.code)
    tree = request.GET.get("tree") if request.GET.get("tree") in Tree.values else Tree.Y2025
    provinces = (
        AdministrativeUnit.objects.visible_to(user)
        .filter(tree=tree, level=Level.PROVINCE)
        .annotate(child_count=Count("children"))
    )
    return render(request, "areas/browse.html", {"provinces": provinces, "tree": tree, "trees": Tree.choices})


def _year_from(request, unit) -> int:
    form = YearForm(request.GET)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return year or unit_tree_default_year(unit)


@login_required
def unit_detail(request, tree, code):
    unit = get_unit_for_user(request.user, tree=tree, code=code)
    year = _year_from(request, unit)
    visible_units = AdministrativeUnit.objects.visible_to(request.user)
    village_counts = VillagePlacement.objects.count_by_child(unit, year) if unit.level < Level.COMMUNE else {}
    children = list(
        visible_units.filter(parent=unit)
        .annotate(child_count=Count("children"))
        .order_by("sort_key", "code")  # Meta.ordering does not apply to aggregated queries
    )
    for child in children:
        child.village_count = village_counts.get(child.path, 0)
    villages = []
    if unit.level == Level.COMMUNE:
        villages = Village.objects.visible_to(request.user).in_commune(unit, year)
    ancestors = unit.ancestors()
    visible_ids = set(visible_units.filter(pk__in=[a.pk for a in ancestors]).values_list("pk", flat=True))
    context = {
        "unit": unit,
        "year": year,
        "year_tree": tree_for_year(year),
        "breadcrumbs": [(a, a.pk in visible_ids) for a in ancestors],
        "children": children,
        "villages": villages,
        "successors": unit.successions.select_related("successor").order_by("-is_default", "successor__sort_key"),
        "predecessors": unit.predecessions.select_related("predecessor", "predecessor__parent").order_by(
            "predecessor__level", "predecessor__sort_key"
        ),
        "area_classes": unit.class_memberships.select_related("area_class").order_by("-year")[:30],
        "can_manage_villages": has_perm(request.user, AreaPerm.MANAGE_VILLAGES),
        "reform_year": settings.KHUYENHOC_REFORM_YEAR,
    }
    return render(request, "areas/unit_detail.html", context)


@login_required
def search(request):
    query = request.GET.get("q", "")
    kind = request.GET.get("picker")
    if kind in PICKER_KINDS:
        # A picker's list of matches (areas/widgets.py), fetched as one types.
        options = picker_options(request.user, query, kind)
        return render(request, "areas/_picker_options.html", {"query": query, "kind": kind, "options": options})
    units, villages = search_areas(request.user, query)
    template = "areas/_search_results.html" if request.headers.get("HX-Request") else "areas/search.html"
    return render(request, template, {"query": query, "units": units, "villages": villages})


@login_required
def village_detail(request, code):
    village = get_village_for_user(request.user, code=code)
    placements = village.placements.select_related("commune", "commune__parent").order_by("from_year")
    return render(
        request,
        "areas/village_detail.html",
        {
            "village": village,
            "placements": placements,
            "history": recent(history_of(village), page=request.GET.get("history")),
            "can_manage_villages": has_perm(request.user, AreaPerm.MANAGE_VILLAGES),
        },
    )


@login_required
def village_create(request, tree, code):
    commune = get_unit_for_user(request.user, tree=tree, code=code, perm=AreaPerm.MANAGE_VILLAGES)
    form = VillageCreateForm(request.POST or None, initial={"from_year": unit_tree_default_year(commune)})
    if request.method == "POST" and form.is_valid():
        try:
            village = services.village_create(
                actor=request.user,
                commune=commune,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                from_year=form.cleaned_data["from_year"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Village %(name)s was created with code %(code)s.") % {"name": village.name, "code": village.code},
            )
            return redirect("areas:unit", tree=commune.tree, code=commune.code)
    return render(request, "areas/village_form.html", {"form": form, "commune": commune})


@login_required
def village_edit(request, code):
    village = get_village_for_user(request.user, code=code, perm=AreaPerm.MANAGE_VILLAGES)
    initial = {"name": village.name, "kind": village.kind, "version": village.version}
    form = VillageEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.village_update(
                actor=request.user, village=village, version=data["version"], name=data["name"], kind=data["kind"]
            )
        except StaleVersion as error:
            # Nothing was saved: the form is shown again with the values someone else saved.
            messages.error(request, error.messages[0])
            return redirect("areas:village_edit", code=village.code)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The village was saved."))
            return redirect("areas:village", code=village.code)
    return render(request, "areas/village_form.html", {"form": form, "village": village})


@login_required
def villages_move(request, tree, code):
    """Move the villages of the old communes merged into this new commune, in one go."""
    commune = get_unit_for_user(request.user, tree=tree, code=code, perm=AreaPerm.MANAGE_VILLAGES)
    old_communes = AdministrativeUnit.objects.filter(successions__successor=commune, level=Level.COMMUNE)
    candidates = list(
        Village.objects.visible_to(request.user)
        .filter(placements__commune__in=old_communes)
        .distinct()
        .order_by("sort_key", "code")
    )
    reform_year = settings.KHUYENHOC_REFORM_YEAR
    already_placed = set(
        VillagePlacement.objects.filter(village__in=candidates)
        .covering(reform_year)
        .values_list("village_id", flat=True)
    )
    form = VillagesMoveForm(
        request.POST or None,
        candidates=candidates,
        initial={"villages": [v.code for v in candidates if v.pk not in already_placed]},
    )
    if request.method == "POST" and form.is_valid():
        chosen = [v for v in candidates if v.code in set(form.cleaned_data["villages"])]
        try:
            moved = services.villages_move(
                actor=request.user,
                villages=chosen,
                commune=commune,
                from_year=form.cleaned_data["from_year"],
                rename_clashes=form.cleaned_data["rename_clashes"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("%(count)d villages now belong to %(commune)s.") % {"count": moved, "commune": commune}
            )
            return redirect("areas:unit", tree=commune.tree, code=commune.code)
    return render(
        request,
        "areas/villages_move.html",
        {"form": form, "commune": commune, "candidates": candidates, "already_placed": already_placed},
    )


@login_required
def area_classes(request):
    require_perm(request.user, AreaPerm.VIEW)
    visible_units = AdministrativeUnit.objects.visible_to(request.user)
    can_manage = has_perm(request.user, AreaPerm.MANAGE_AREA_CLASSES)
    form = None
    if can_manage:
        form = AreaClassMembershipForm(
            request.POST or None, area_classes=area_class_choices(), visible_units=visible_units
        )
    if request.method == "POST":
        require_perm(request.user, AreaPerm.MANAGE_AREA_CLASSES)
        if form.is_valid():
            try:
                added = services.area_class_memberships_add(
                    actor=request.user,
                    area_class=form.cleaned_data["area_class"],
                    year=form.cleaned_data["year"],
                    units=form.cleaned_data["units"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("%(count)d units added.") % {"count": added})
                return redirect("areas:area_classes")
    # The newest year first: it is the one an officer checks and the one its targets use.
    memberships = (
        AreaClassMembership.objects.visible_to(request.user)
        .select_related("area_class", "unit", "unit__parent")
        .order_by("-year", "area_class", "unit__sort_key")
    )
    year = query_year(request)
    if year is not None:
        memberships = memberships.filter(year=year)
    chosen = query_number(request, "class")
    if chosen is not None:
        memberships = memberships.filter(area_class_id=chosen)
    page = Paginator(memberships, MEMBERSHIPS_PAGE).get_page(request.GET.get("page"))
    # What the pager's links keep of the filters.
    filters = urlencode({key: value for key, value in (("year", year), ("class", chosen)) if value is not None})
    context = {"form": form, "page": page, "year": year, "classes": area_class_choices(), "chosen_class": chosen}
    return render(request, "areas/area_classes.html", {**context, "filters": filters, "can_manage": can_manage})


@login_required
@require_POST
def area_class_membership_remove(request, pk):
    membership = get_area_class_membership_for_user(request.user, pk=pk)
    services.area_class_membership_remove(actor=request.user, membership=membership)
    messages.success(request, _("Removed."))
    return redirect("areas:area_classes")

"""The lists of units and villages, and the one reading of an area parameter, shared by the pages,
the statistics and the API: the same parameter means the same area everywhere."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from .models import AdministrativeUnit, AreaClass, Tree, Village, VillagePlacement, subtree_q
from .search import search_areas


def split_area(value: str) -> tuple[str | None, str]:
    """An area parameter → (tree, code): written tree:code ("2025:01843"), tree/code as the statistics
    pages write it in their links, or the code alone (tree None). A garbled value is a ValidationError."""
    text = (value or "").strip().replace("/", ":", 1)
    tree, sep, code = text.rpartition(":")
    if not code.isdigit() or (sep and tree not in Tree.values):
        raise ValidationError(
            _("No unit “%(key)s”: write it as tree:code, for example 2025:01843.") % {"key": value}, code="area"
        )
    return (tree if sep else None), code


def area_from_param(value: str, *, units=None, tree: str | None = None) -> AdministrativeUnit:
    """The unit an area parameter names among `units` (every unit when None). A code alone is read on
    `tree` when the caller's context gives one (the year's tree), else it must be unambiguous: a code
    found on both trees is refused, asking for tree:code."""
    given_tree, code = split_area(value)
    units = AdministrativeUnit.objects.all() if units is None else units
    found = list(
        units.filter(code=code, tree=given_tree or tree) if given_tree or tree else units.filter(code=code)[:2]
    )
    if not found:
        raise ValidationError(
            _("No unit “%(key)s”: write it as tree:code, for example 2025:01843.") % {"key": value}, code="area"
        )
    if len(found) > 1:
        raise ValidationError(
            _("The code %(code)s is on both trees: write it as tree:code, for example 2025:%(code)s.") % {"code": code},
            code="ambiguous",
        )
    return found[0]


def area_key(unit: AdministrativeUnit | None) -> str:
    """How an area is written in a parameter: tree:code (empty for the whole country)."""
    return f"{unit.tree}:{unit.code}" if unit is not None else ""


def in_area(queryset, path_field: str, unit: AdministrativeUnit):
    """The records whose unit (at `path_field`) is `unit` or below it."""
    return queryset.filter(subtree_q(path_field, unit.path))


def unit_lookup(field: str, value: str) -> dict:
    """Exactly the unit a parameter names, as lookups on `field`: tree:code is that unit; a code alone is
    the unit of that code on whichever tree holds the record (a record sits on one unit)."""
    tree, code = split_area(value)
    return {f"{field}__code": code, f"{field}__tree": tree} if tree else {f"{field}__code": code}


def find_unit(tree: str, code: str, *, units=None) -> AdministrativeUnit | None:
    """The unit of `code` on `tree` among `units` (every unit when None), or None."""
    units = AdministrativeUnit.objects.all() if units is None else units
    return units.filter(tree=tree, code=(code or "").strip()).first()


def units_of_codes(tree: str, codes, *, units=None) -> dict[str, AdministrativeUnit]:
    """The units of `tree` with these codes among `units` (every unit when None), by code."""
    units = AdministrativeUnit.objects.all() if units is None else units
    return {u.code: u for u in units.filter(tree=tree, code__in=list(codes))}


def area_class_choices():
    return AreaClass.objects.all()


def find_villages(codes) -> list[Village]:
    """The villages of these codes (those that exist)."""
    return list(Village.objects.filter(code__in=list(codes)))


def find_village(code: str) -> Village | None:
    return Village.objects.filter(code=(code or "").strip()).first()


def units_for(user, *, tree: str | None = None, parent: str = "", level: int | None = None, query: str = ""):
    """The units the user sees, by tree, parent code, level and name, in tree order."""
    units = AdministrativeUnit.objects.visible_to(user).select_related("parent")
    if tree:
        units = units.filter(tree=tree)
    if parent:
        units = units.filter(parent__code=parent)
    if level is not None:
        units = units.filter(level=level)
    if query:
        units = units.filter(pk__in=[u.pk for u in search_areas(user, query, limit=100)[0]])
    return units.order_by("tree", "path")


def villages_for(user, *, commune: str = ""):
    """The villages the user sees, each with its communes per period, by code; `commune`: ever placed in
    the commune of this code."""
    villages = Village.objects.visible_to(user).prefetch_related(
        Prefetch("placements", queryset=VillagePlacement.objects.select_related("commune").order_by("from_year"))
    )
    if commune:
        villages = villages.filter(placements__commune__code=commune).distinct()
    return villages.order_by("code")


def village_choices(user):
    """The villages a form offers the user, in name order."""
    return Village.objects.visible_to(user).order_by("sort_key", "code")

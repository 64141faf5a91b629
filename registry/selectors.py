"""The registries' lists as the pages, their exports and the API read them: the user's scope, the same
filters with one meaning each, the same order."""

from areas.search import MIN_QUERY_LENGTH, newest_placements, village_label
from areas.selectors import in_area, unit_lookup
from core.text import fold, nfc

from .models import AreaYear, Association, AssociationYear, Citizen, Clan, Household, Organisation

# The household list's `status`: who is shown.
STATUS_ACTIVE = {"active": True, "left": False}


def households_for(user, *, village: str = "", query: str = "", active: bool | None = None):
    """Households the user sees: of the village of this code, whose head's name holds `query` (with or
    without diacritics), still living there (True) or gone (False); by village, then name."""
    households = Household.objects.visible_to(user).select_related("village")
    if query:
        households = households.filter(search_name__contains=fold(nfc(query)))
    if village:
        households = households.filter(village__code=village)
    if active is not None:
        households = households.filter(is_active=active)
    return households.order_by("village__code", "sort_key", "code")


def household_option(household: Household) -> dict:
    """A household as a picker lists it: the head's name, and where it lives."""
    where = village_label(household.village)
    return {
        "value": household.code,
        "label": f"{household.head_name} · {where}",
        "name": household.head_name,
        "detail": where,
    }


def household_options(user, query: str, *, village: str = "", limit: int = 15) -> list[dict]:
    """What a household picker lists for what was typed: households still living in the user's area whose
    head's name holds it (with or without diacritics) — of the village of this code when one is picked,
    since a person's household is in their own village."""
    folded = fold(nfc(query or ""))
    if len(folded) < MIN_QUERY_LENGTH:
        return []
    found = Household.objects.visible_to(user).filter(is_active=True, search_name__contains=folded)
    if village:
        found = found.filter(village__code=village.strip())
    found = found.select_related("village").prefetch_related(newest_placements("village"))
    return [household_option(household) for household in found.order_by("sort_key", "code")[:limit]]


def clans_for(user, *, query: str = "", commune: str = "", has_board: bool | None = None):
    """Clans the user sees, by name; `commune`: registered at it (its code, or tree:code). A clan merged
    into another is no longer listed: its code still opens its page, which leads to the one kept."""
    clans = (
        Clan.objects.visible_to(user).filter(merged_into=None).select_related("commune").prefetch_related("villages")
    )
    if query:
        clans = clans.filter(search_name__contains=fold(nfc(query)))
    if commune:
        clans = clans.filter(**unit_lookup("commune", commune))
    if has_board is not None:
        clans = clans.filter(has_board=has_board)
    return clans.order_by("sort_key", "code")


def organisations_for(user, *, query: str = "", kind: str = "", area: str = ""):
    """Units (agencies, schools, enterprises…) the user sees, by name; `area`: exactly the area they are
    managed at (its code, or tree:code)."""
    organisations = Organisation.objects.visible_to(user).select_related("area")
    if query:
        organisations = organisations.filter(search_name__contains=fold(nfc(query)))
    if kind:
        organisations = organisations.filter(kind=kind)
    if area:
        organisations = organisations.filter(**unit_lookup("area", area))
    return organisations.order_by("sort_key", "code")


def associations_for(user, *, area=None, level: str = ""):
    """Study-promotion associations the user sees, each with its years; `area`: a unit, the
    associations at it or below it."""
    associations = Association.objects.visible_to(user).select_related("area")
    if area is not None:
        associations = in_area(associations, "area__path", area)
    if level:
        associations = associations.filter(level=level)
    return associations.prefetch_related("years").order_by("area__path", "level", "name", "pk")


def association_years_for(user, *, area=None, year: int | None = None, association: int | None = None):
    """The yearly figures of the associations the user sees, newest year first within each association."""
    rows = AssociationYear.objects.filter(association__in=Association.objects.visible_to(user)).select_related(
        "association"
    )
    if area is not None:
        rows = in_area(rows, "association__area__path", area)
    if year is not None:
        rows = rows.filter(year=year)
    if association is not None:
        rows = rows.filter(association_id=association)
    return rows.order_by("association__area__path", "association__name", "association_id", "-year")


def area_years_for(user, *, area=None, year: int | None = None):
    """Areas' yearly base and fund that the user sees, in tree order, newest year first."""
    rows = AreaYear.objects.visible_to(user).select_related("area")
    if area is not None:
        rows = in_area(rows, "area__path", area)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("area__path", "-year")


def citizens_for(user, *, village: str = "", query: str = "", active: bool | None = None, target_group: str = ""):
    """Persons (learning citizens) the user sees: of the village of this code, whose name holds `query`
    (with or without diacritics), still living there or gone, of a target group (its code); by village,
    then name."""
    citizens = Citizen.objects.visible_to(user).select_related("village", "household", "target_group")
    if query:
        citizens = citizens.filter(search_name__contains=fold(nfc(query)))
    if village:
        citizens = citizens.filter(village__code=village)
    if active is not None:
        citizens = citizens.filter(is_active=active)
    if target_group:
        citizens = citizens.filter(target_group__code=target_group)
    return citizens.order_by("village__code", "sort_key", "code")

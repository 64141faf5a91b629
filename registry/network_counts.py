"""The yearly counts an association's list of branches and boards gives (registry.network_units keeps
the list): one computation, which the entry of yearly figures and the list's services both apply."""

from collections import defaultdict

from .models import Association, NetworkUnit, NetworkUnitKind, NetworkUnitYear

# The association year's figure each kind is counted in.
FIELD_OF_KIND = {
    NetworkUnitKind.VILLAGE_BRANCH: "village_branches",
    NetworkUnitKind.AGENCY_BRANCH: "agency_branches",
    NetworkUnitKind.AGENCY_BOARD: "agency_boards",
    NetworkUnitKind.SCHOOL_BOARD: "school_boards",
    NetworkUnitKind.CLAN_BOARD: "clan_boards",
}


def counts_from_lists(association_ids, years) -> dict[tuple[int, int], dict[str, int]]:
    """For each association of `association_ids` keeping a list and each of `years`, the figures its
    list decides (field → value): a kind's count from the year its first unit of the kind opened on,
    and the members where any unit open that year has them known. Two queries, for a batch."""
    years = list(years)
    units = defaultdict(list)
    for unit in NetworkUnit.objects.filter(association_id__in=list(association_ids)):
        units[unit.association_id].append(unit)
    members = {}
    rows = NetworkUnitYear.objects.filter(unit__association_id__in=list(units), year__in=years)
    for unit_id, year, count in rows.values_list("unit_id", "year", "members"):
        members[(unit_id, year)] = count
    counts = {}
    for association_id, listed in units.items():
        for year in years:
            figures = {}
            for unit in listed:
                if unit.opened_year <= year:
                    field = FIELD_OF_KIND[unit.kind]
                    figures[field] = figures.get(field, 0) + (1 if unit.is_open_in(year) else 0)
            known = [members[(u.pk, year)] for u in listed if u.is_open_in(year) and (u.pk, year) in members]
            if known:
                figures["members"] = sum(known)
            counts[(association_id, year)] = figures
    return counts


def counts_from_list(association: Association, years) -> dict[int, dict[str, int]]:
    """`counts_from_lists` for one association: year → the figures its list decides (empty: none)."""
    counts = counts_from_lists([association.pk], years)
    return {year: counts.get((association.pk, year), {}) for year in years}

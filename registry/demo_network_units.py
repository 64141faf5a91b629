"""The demo's lists of branches and boards (registry.network_units): a few communes keep theirs, the
others only enter their counts.

The communes listed are the new ward of the demo's commune officer and one more new commune drawn
from the seed, from the reform year, and the old communes they were formed from, from
LISTS_FIRST_YEAR until the reform: a branch in each of their villages, a board in each of their
agencies, schools and clans with a board, so that the counts the lists give are those the demo
enters elsewhere; the members each year those the association reports, shared among its branches.
The lists begin after the seed article's years, whose figures stay as entered. Generated data, not a
user's change: no audit rows. Drawn from their own random stream, so that the rest of the demo's
network is drawn as without them.
"""

import random
from decimal import Decimal

from areas.models import Tree, VillagePlacement
from core.numbers import apportion

from .demo import GIVEN, MIDDLE, SURNAMES
from .models import AssociationLevel, Clan, NetworkUnit, NetworkUnitKind, NetworkUnitYear, Organisation, UnitKind
from .network_counts import counts_from_lists

LISTS_FIRST_YEAR = 2019  # the year after the seed article's
OFFICER_WARD = "01843"  # the demo commune officer's (accounts.demo)
DRAWN_COMMUNES = 1


def build_demo_units(*, associations: dict, association_years: list, new_communes: dict, reform_year, seed) -> None:
    """Create the lists, and write the counts they give into `association_years` (not yet saved).
    `associations`: (level, area id, name) → association; `new_communes`: new commune → the old ones
    it was formed from."""
    rng = random.Random(f"{seed}:network-units")
    others = sorted((c for c in new_communes if c.code != OFFICER_WARD), key=lambda c: c.code)
    listed = [c for c in new_communes if c.code == OFFICER_WARD] + rng.sample(others, min(DRAWN_COMMUNES, len(others)))
    association_of = {
        area_id: a for (level, area_id, _name), a in associations.items() if level == AssociationLevel.COMMUNE
    }
    reported = {(y.association.pk, y.year): y for y in association_years}
    spans = []  # (association, communes whose records it lists, its villages' placements, first year, last year)
    for new in listed:
        old = sorted(new_communes[new], key=lambda c: c.code)
        for commune in old:
            placed = VillagePlacement.objects.filter(commune=commune)
            spans.append((association_of[commune.pk], [commune], placed, LISTS_FIRST_YEAR, reform_year - 1))
        placed = VillagePlacement.objects.filter(commune=new, from_year=reform_year)
        spans.append((association_of[new.pk], old, placed, reform_year, reform_year))
    units, members = [], []
    for association, communes, placed, first, last in spans:
        made = _units(association, communes, placed, first, last, rng)
        units += made
        members += _members(made, reported, first, last, rng)
    NetworkUnit.objects.bulk_create(units, batch_size=1000)
    NetworkUnitYear.objects.bulk_create(members, batch_size=2000)
    # Where a commune keeps its list, its yearly figures are the list's counts (as the services write them).
    counted = counts_from_lists({a.pk for a, *_rest in spans}, range(LISTS_FIRST_YEAR, reform_year + 1))
    for key, figures in counted.items():
        if key in reported:
            for field, value in figures.items():
                setattr(reported[key], field, value)


def _units(association, communes, placed, first, last, rng) -> list[NetworkUnit]:
    """A branch in each village placed in the association's area, a board in each of its units and
    clans with a board, working from `first` to `last`."""
    # The units and clans are brought over to the new communes in the reform year (registry.reform):
    # an old commune's boards name them only, since a board's place must lie in its association's area.
    linked = association.area.tree == Tree.Y2025
    units = []  # (unit, the code of its place)
    for placement in placed.select_related("village").order_by("village__code"):
        opened = max(first, placement.from_year)
        closed = min(last, placement.to_year or last)
        if opened <= closed:
            village = placement.village
            name = f"Chi hội khuyến học {village.name[:1].lower()}{village.name[1:]}"
            branch = _unit(association, NetworkUnitKind.VILLAGE_BRANCH, name, opened, closed, rng, village=village)
            units.append((branch, village.code))
    for organisation in Organisation.objects.filter(area__in=communes).order_by("code"):
        kind = NetworkUnitKind.SCHOOL_BOARD if organisation.kind == UnitKind.SCHOOL else NetworkUnitKind.AGENCY_BOARD
        name = f"Ban khuyến học {organisation.name}"
        place = {"organisation": organisation} if linked else {}
        units.append((_unit(association, kind, name, first, last, rng, **place), organisation.code))
    for clan in Clan.objects.filter(commune__in=communes, has_board=True).order_by("code"):
        name = f"Ban khuyến học {clan.name[:1].lower()}{clan.name[1:]}"
        place = {"clan": clan} if linked else {}
        units.append((_unit(association, NetworkUnitKind.CLAN_BOARD, name, first, last, rng, **place), clan.code))
    # An association's branches and boards have names of their own (two villages of a new commune may
    # share theirs): a name met again takes its place's code.
    seen = set()
    for unit, code in units:
        if unit.name.casefold() in seen:
            unit.name = f"{unit.name} ({code})"
        seen.add(unit.name.casefold())
    return [unit for unit, _code in units]


def _unit(association, kind, name, opened, closed, rng, **place) -> NetworkUnit:
    head = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    # The old communes' associations report until the reform; the new ones' lists are still working.
    last_year = None if association.area.tree == Tree.Y2025 else closed
    return NetworkUnit(
        association=association,
        kind=kind,
        name=name[:200],
        head_name=head,
        opened_year=opened,
        last_year=last_year,
        **place,
    )


def _members(units, reported, first, last, rng) -> list[NetworkUnitYear]:
    """Each year, the members the association reports shared among its branches open that year, each
    branch keeping its size from year to year: the boards' members are counted in their branches."""
    branches = [u for u in units if u.kind == NetworkUnitKind.VILLAGE_BRANCH]
    weights = {i: Decimal(rng.randint(60, 140)) for i in range(len(branches))}
    rows = []
    for year in range(first, last + 1):
        record = reported.get((branches[0].association.pk, year)) if branches else None
        if record is None:
            continue
        open_now = {
            i: w for i, w in weights.items() if branches[i].opened_year <= year <= (branches[i].last_year or year)
        }
        for i, count in apportion(record.members, open_now).items():
            rows.append(NetworkUnitYear(unit=branches[i], year=year, members=count))
    return rows

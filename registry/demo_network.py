"""The demo province's study-promotion network and yearly base, 2016 to the reform year.

Generated from a fixed seed, in bulk: associations of the province, its 8 districts, its communes
and 4 province-level schools on the pre-2025 tree until 2024; from the reform year, the associations
of the new communes its villages moved into. A commune's people are its registry's active households
(registry.demo) times 3.9, less up to 5% (about 309,000 for the province, the seed article's order of
size), so its yearly base of households is about what its registry holds; members about a fifth. A few
communes keep their lists of branches and boards from 2019 (registry.demo_network_units), from which
their counts come. Generated data, not a user's change: no audit rows. A second run adds nothing.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from areas.demo import DEMO_FIRST_YEAR, DEMO_PROVINCE_CODE, demo_communes
from areas.models import AdministrativeUnit, Level, Tree, VillagePlacement
from core.numbers import apportion

from .demo_network_units import build_demo_units
from .models import (
    AreaYear,
    Association,
    AssociationLevel,
    AssociationYear,
    Clan,
    Household,
    Organisation,
    UnitKind,
)

PROVINCE_SCHOOLS = [
    "Trường Cao đẳng Bắc Kạn",
    "Trường THPT Chuyên Bắc Kạn",
    "Trường PT Dân tộc Nội trú tỉnh",
    "Trường Cao đẳng Nghề Dân tộc nội trú",
]
PEOPLE_PER_HOUSEHOLD = 3.9  # the seed article's order of size (about 309,000 people, 80,000 households)


@dataclass
class _Communes:
    """The demo's communes of the old tree, with what their yearly figures are drawn from."""

    units: list
    population: dict  # commune id → people in DEMO_FIRST_YEAR
    villages: dict  # (commune id, year) → villages placed there, on both trees
    boards: dict  # commune id → (agency, school, clan) boards

    def people(self, commune_ids, year: int) -> int:
        """People and members grow a little every year."""
        return round(sum(self.population[pk] for pk in commune_ids) * (1 + 0.01 * (year - DEMO_FIRST_YEAR)))


@transaction.atomic
def build_demo_network(*, seed: int = 2018) -> dict:
    province = AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code=DEMO_PROVINCE_CODE)
    if Association.objects.filter(area=province).exists():
        return {"associations": 0, "association_years": 0, "area_years": 0}
    rng = random.Random(seed)
    reform_year = settings.KHUYENHOC_REFORM_YEAR
    units = demo_communes()
    districts = list(AdministrativeUnit.objects.filter(parent=province).order_by("code"))
    villages = _villages_per_commune_and_year(units, reform_year)
    households = _registered_households(units)
    population = {c.pk: round(households.get(c.pk, 0) * PEOPLE_PER_HOUSEHOLD * rng.uniform(0.95, 1.0)) for c in units}
    communes = _Communes(units, population, villages, _boards_per_commune(units))
    associations = _associations(province, districts, units)
    association_years, area_years = _old_tree_years(associations, communes, reform_year, rng)
    _match_the_seed_article(association_years, associations, area_years)
    reformed_years, reformed_bases = _new_tree_year(associations, communes, reform_year, rng)
    association_years += reformed_years
    area_years += reformed_bases
    build_demo_units(
        associations=associations,
        association_years=association_years,
        new_communes=_new_communes(units, reform_year),
        reform_year=reform_year,
        seed=seed,
    )
    AssociationYear.objects.bulk_create(association_years, batch_size=2000)
    AreaYear.objects.bulk_create(area_years, batch_size=2000)
    return {
        "associations": len(associations),
        "association_years": len(association_years),
        "area_years": len(area_years),
    }


def _associations(province, districts, communes) -> dict:
    """(level, area id, name) → the association, created: the province's, its districts', its schools' and
    its communes'."""
    associations = {}
    for level, area, name in [
        (AssociationLevel.PROVINCE, province, _association_name(province)),
        *((AssociationLevel.DISTRICT, d, _association_name(d)) for d in districts),
        *((AssociationLevel.PROVINCE_SCHOOL, province, f"Hội Khuyến học {school}") for school in PROVINCE_SCHOOLS),
        *((AssociationLevel.COMMUNE, c, _association_name(c)) for c in communes),
    ]:
        associations[(level, area.pk, name)] = Association(level=level, area=area, name=name)
    Association.objects.bulk_create(associations.values())
    return associations


def _old_tree_years(associations, communes: _Communes, reform_year, rng) -> tuple[list, list]:
    """Every association's yearly report and every commune's yearly base, for each year before the reform."""
    association_years, area_years = [], []
    for year in range(DEMO_FIRST_YEAR, reform_year):
        for (level, area_id, _name), association in associations.items():
            figures = _report_figures(level, area_id, year, communes, rng)
            association_years.append(AssociationYear(association=association, year=year, **figures))
        for commune in communes.units:
            area_years.append(_area_year(rng, commune, year, communes.people([commune.pk], year)))
    return association_years, area_years


def _report_figures(level, area_id, year, communes: _Communes, rng) -> dict:
    """A yearly report by the association's level: a commune's members about a fifth of its people."""
    if level == AssociationLevel.COMMUNE:
        agency, school, clan = communes.boards[area_id]
        return {
            "members": round(communes.people([area_id], year) * rng.uniform(0.18, 0.27)),
            "village_branches": communes.villages[(area_id, year)],
            "agency_branches": rng.randint(1, 4),
            "agency_boards": agency,
            "school_boards": school,
            "clan_boards": clan,
        }
    if level == AssociationLevel.DISTRICT:
        return {
            "members": rng.randint(40, 160),
            "agency_branches": rng.randint(5, 15),
            "agency_boards": rng.randint(3, 9),
        }
    if level == AssociationLevel.PROVINCE:
        return {"members": rng.randint(60, 150), "agency_boards": rng.randint(38, 46)}
    return {"members": rng.randint(80, 400)}


def _new_tree_year(associations, communes: _Communes, reform_year, rng) -> tuple[list, list]:
    """The associations of the new communes the demo's villages moved into (added to `associations`), with
    their report and base of the reform year: people and boards those of the old communes summed."""
    association_years, area_years = [], []
    for new_commune, old in _new_communes(communes.units, reform_year).items():
        people = communes.people([c.pk for c in old], reform_year)
        association = Association(level=AssociationLevel.COMMUNE, area=new_commune, name=_association_name(new_commune))
        associations[(AssociationLevel.COMMUNE, new_commune.pk, association.name)] = association
        association.save()
        agency, school, clan = (sum(communes.boards[c.pk][i] for c in old) for i in range(3))
        association_years.append(
            AssociationYear(
                association=association,
                year=reform_year,
                members=round(people * rng.uniform(0.18, 0.27)),
                village_branches=communes.villages[(new_commune.pk, reform_year)],
                agency_branches=rng.randint(2, 8),
                agency_boards=agency,
                school_boards=school,
                clan_boards=clan,
            )
        )
        area_years.append(_area_year(rng, new_commune, reform_year, people))
    return association_years, area_years


# The seed article's network at the end of 2018: 44 boards in province-level bodies, 190 clan boards
# and 71,000 members (23% of the population). The demo's 2018 records are scaled to add up to them.
SEED_YEAR = 2018
SEED_PROVINCE_BOARDS = 44
SEED_CLAN_BOARDS = 190
SEED_MEMBERS = 71_000
SEED_POPULATION = round(SEED_MEMBERS / 0.23)  # "71,000 members, 23% of the population": about 309,000 people


def _match_the_seed_article(association_years, associations, area_years) -> None:

    seed_bases = [a for a in area_years if a.year == SEED_YEAR]
    people = apportion(SEED_POPULATION, {i: Decimal(a.population) for i, a in enumerate(seed_bases)})
    for i, base in enumerate(seed_bases):
        base.population, base.households = people[i], round(people[i] / PEOPLE_PER_HOUSEHOLD)

    level_of = {id(a): level for (level, _area, _name), a in associations.items()}
    seed_year = [y for y in association_years if y.year == SEED_YEAR]
    if not seed_year:
        return
    communes = [y for y in seed_year if level_of[id(y.association)] == AssociationLevel.COMMUNE]
    for record in seed_year:
        if level_of[id(record.association)] == AssociationLevel.PROVINCE:
            record.agency_boards = SEED_PROVINCE_BOARDS
    others = [y for y in seed_year if y not in communes]
    for field, total in (("clan_boards", SEED_CLAN_BOARDS), ("members", SEED_MEMBERS - sum(y.members for y in others))):
        parts = apportion(total, {i: Decimal(getattr(y, field) + 1) for i, y in enumerate(communes)})
        for i, record in enumerate(communes):
            setattr(record, field, parts[i])


def _association_name(area) -> str:
    """“Hội Khuyến học xã Đức Xuân”: the unit's name with its kind in lower case, as it is written."""
    return f"Hội Khuyến học {area.name[:1].lower()}{area.name[1:]}"


def _area_year(rng, area, year, people) -> AreaYear:
    scholarships = rng.randint(10, 80)
    return AreaYear(
        area=area,
        year=year,
        population=people,
        households=round(people / PEOPLE_PER_HOUSEHOLD),
        fund_vnd=rng.randint(20, 200) * 1_000_000,
        scholarships=scholarships,
        scholarships_vnd=scholarships * rng.randint(3, 10) * 100_000,
    )


def _villages_per_commune_and_year(communes, reform_year) -> dict:
    """(commune id, year) → villages placed there that year, on both trees."""
    counts = defaultdict(int)
    placements = VillagePlacement.objects.filter(commune__level=Level.COMMUNE).values_list(
        "commune_id", "from_year", "to_year"
    )
    for commune_id, from_year, to_year in placements:
        for year in range(max(from_year, DEMO_FIRST_YEAR), min(to_year or reform_year, reform_year) + 1):
            counts[(commune_id, year)] += 1
    return counts


def _registered_households(communes) -> dict:
    """Commune id → the active households of the registry in its villages in DEMO_FIRST_YEAR."""
    placed = VillagePlacement.objects.covering(DEMO_FIRST_YEAR).filter(commune__in=communes)
    commune_of = dict(placed.values_list("village_id", "commune_id"))
    counts = defaultdict(int)
    active = Household.objects.filter(village_id__in=commune_of, is_active=True)
    for village_id in active.values_list("village_id", flat=True):
        counts[commune_of[village_id]] += 1
    return counts


def _boards_per_commune(communes) -> dict:
    """Commune id → (agency, school, clan) boards: one per agency and school unit, one per clan with a board."""
    boards = {c.pk: [0, 0, 0] for c in communes}
    for area_id, kind in Organisation.objects.filter(area__in=communes).values_list("area_id", "kind"):
        boards[area_id][1 if kind == UnitKind.SCHOOL else 0] += 1
    for commune_id in Clan.objects.filter(commune__in=communes, has_board=True).values_list("commune_id", flat=True):
        boards[commune_id][2] += 1
    return {pk: tuple(values) for pk, values in boards.items()}


def _new_communes(communes, reform_year) -> dict:
    """New commune → the demo's old communes whose villages moved into it in the reform year."""
    moved = defaultdict(set)
    old_of_village = dict(VillagePlacement.objects.filter(commune__in=communes).values_list("village_id", "commune_id"))
    by_pk = {c.pk: c for c in communes}
    for placement in VillagePlacement.objects.filter(from_year=reform_year, commune__tree=Tree.Y2025).select_related(
        "commune"
    ):
        old = old_of_village.get(placement.village_id)
        if old is not None:
            moved[placement.commune].add(by_pk[old])
    return dict(moved)

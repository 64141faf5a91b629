"""The national generator's clans, units and study-promotion network, on the communes that hold its villages."""

from collections import defaultdict
from dataclasses import dataclass

from areas.models import AdministrativeUnit, Tree
from core.text import fold, sort_key
from registry import services as registry_services
from registry.demo import SURNAMES
from registry.models import AreaYear, Association, AssociationLevel, AssociationYear, Clan, Organisation

from .generator_rows import CHUNK, PEOPLE_PER_HOUSEHOLD, Villages, growth, write_rows

ASSOCIATION_YEAR_COLUMNS = [
    "association",
    "year",
    "members",
    "village_branches",
    "agency_branches",
    "agency_boards",
    "school_boards",
    "clan_boards",
]


def clans_and_units(villages: Villages, rng) -> dict:
    """Two clans, a school and an agency in every commune that holds generated villages."""
    communes = AdministrativeUnit.objects.filter(pk__in=set(villages.communes)).order_by("code")
    communes = list(communes.only("pk", "code", "name", "short_name"))
    return {"clans": _clans(communes, villages, rng), "units": _units(communes)}


def _clans(communes, villages: Villages, rng) -> int:
    """Two clans of surnames drawn at random in each commune, each tied to one of its villages."""
    in_commune = defaultdict(list)
    for village_id, commune_id in zip(villages.ids, villages.communes, strict=True):
        in_commune[commune_id].append(village_id)
    codes = registry_services.issue_codes({f"{c.code}-DH": 2 for c in communes})
    clans, clan_villages = [], []
    for commune in communes:
        for surname in rng.sample(SURNAMES, 2):
            name = f"Họ {surname}"
            clans.append(
                Clan(
                    code=next(codes[f"{commune.code}-DH"]),
                    name=name,
                    commune_id=commune.pk,
                    head_name=f"{surname} Văn Tộc",
                    member_households=rng.randint(8, 90),
                    has_board=rng.random() < 0.6,
                    search_name=fold(name),
                    sort_key=sort_key(name),
                )
            )
            clan_villages.append(rng.choice(in_commune[commune.pk]))
    Clan.objects.bulk_create(clans, batch_size=CHUNK)
    Clan.villages.through.objects.bulk_create(
        [
            Clan.villages.through(clan_id=clan.pk, village_id=village_id)
            for clan, village_id in zip(clans, clan_villages, strict=True)
        ],
        batch_size=CHUNK,
    )
    return len(clans)


def _units(communes) -> int:
    """A primary school and a health station in each commune, managed by the commune."""
    codes = registry_services.issue_codes({f"{c.code}-DV": 2 for c in communes})
    organisations = [
        Organisation(
            code=next(codes[f"{commune.code}-DV"]),
            name=name,
            kind=kind,
            managing_level="commune",
            area_id=commune.pk,
            search_name=fold(name),
            sort_key=sort_key(name),
        )
        for commune in communes
        for name, kind in [
            (f"Trường Tiểu học {commune.short_name}", "school"),
            (f"Trạm Y tế {commune.name}", "agency"),
        ]
    ]
    Organisation.objects.bulk_create(organisations, batch_size=CHUNK)
    return len(organisations)


@dataclass
class _Areas:
    """The communes holding generated villages, on either tree, and the districts above the old ones."""

    communes: dict[int, AdministrativeUnit]
    districts: dict[int, AdministrativeUnit]
    households: dict[int, list[int]]  # commune → [households, villages]
    people_per_household: dict[int, float]

    def tree(self, area_id: int) -> str:
        return (self.communes.get(area_id) or self.districts[area_id]).tree


def network(villages: Villages, years, evaluated_year, reform_year, rng) -> dict:
    """An association per commune and district holding generated villages, on the tree of each
    year, with its yearly report; each commune's population and household base per year."""
    areas = _areas(villages, rng)
    associations = _associations(areas)
    trees = {year: Tree.Y2025 if year >= reform_year else Tree.PRE_2025 for year in sorted(years)}
    association_years = _association_years(areas, associations, trees, evaluated_year, rng)
    area_years = _area_years(areas, trees, evaluated_year)
    write_rows(AssociationYear, ASSOCIATION_YEAR_COLUMNS, association_years)
    write_rows(AreaYear, ["area", "year", "population", "households"], area_years)
    return {
        "associations": len(associations),
        "association_years": len(association_years),
        "area_years": len(area_years),
    }


def _areas(villages: Villages, rng) -> _Areas:
    households = defaultdict(lambda: [0, 0])
    for old, new, count in zip(villages.communes, villages.successors, villages.households, strict=True):
        for commune in {old, new} - {None}:
            households[commune][0] += count
            households[commune][1] += 1
    communes = AdministrativeUnit.objects.filter(pk__in=list(households)).only("pk", "name", "parent_id", "tree")
    communes = {u.pk: u for u in communes}
    districts = AdministrativeUnit.objects.filter(
        pk__in={c.parent_id for c in communes.values() if c.tree == Tree.PRE_2025}
    ).only("pk", "name", "tree")
    people_per_household = {pk: rng.uniform(*PEOPLE_PER_HOUSEHOLD) for pk in sorted(communes)}
    return _Areas(communes, {u.pk: u for u in districts}, households, people_per_household)


def _associations(areas: _Areas) -> list[tuple[int, int, str]]:
    """Creates the associations missing; returns (association, area, level) of every one of the areas."""
    wanted = [(AssociationLevel.COMMUNE, commune) for commune in areas.communes.values()]
    wanted += [(AssociationLevel.DISTRICT, district) for district in areas.districts.values()]
    in_areas = Association.objects.filter(area__in=[*areas.communes, *areas.districts])
    have = set(in_areas.values_list("area_id", "level"))
    Association.objects.bulk_create(
        [
            Association(level=level, area=area, name=f"Hội Khuyến học {area.name[:1].lower()}{area.name[1:]}")
            for level, area in wanted
            if (area.pk, level) not in have
        ],
        batch_size=CHUNK,
    )
    in_areas = in_areas.filter(level__in=[AssociationLevel.COMMUNE, AssociationLevel.DISTRICT])
    return list(in_areas.values_list("pk", "area_id", "level"))


def _association_years(areas: _Areas, associations, trees: dict, evaluated_year, rng) -> list[tuple]:
    """Each association's report for the years its area is on the tree, unless it has one already:
    a commune's members about a fifth of its people, a district's a few dozen."""
    reported = AssociationYear.objects.filter(association__in=[a[0] for a in associations])
    reported = set(reported.values_list("association_id", "year"))
    rows = []
    for year, tree in trees.items():
        for association_id, area_id, level in associations:
            if (association_id, year) in reported or areas.tree(area_id) != tree:
                continue
            if level == AssociationLevel.COMMUNE:
                households, villages = areas.households[area_id]
                people = households * areas.people_per_household[area_id] * growth(year, evaluated_year)
                figures = (
                    round(people * rng.uniform(0.18, 0.27)),
                    villages,
                    rng.randint(1, 4),
                    rng.randint(1, 4),
                    rng.randint(1, 3),
                    rng.randint(0, 2),
                )
            else:
                figures = (rng.randint(40, 160), 0, rng.randint(5, 15), rng.randint(3, 9), 0, 0)
            rows.append((association_id, year, *figures))
    return rows


def _area_years(areas: _Areas, trees: dict, evaluated_year) -> list[tuple]:
    """Each commune's population and households for the years it is on the tree, unless entered already."""
    based = set(AreaYear.objects.filter(area__in=list(areas.communes)).values_list("area_id", "year"))
    rows = []
    for year, tree in trees.items():
        for area_id, area in sorted(areas.communes.items()):
            if area.tree != tree or (area_id, year) in based:
                continue
            households = round(areas.households[area_id][0] * growth(year, evaluated_year))
            rows.append((area_id, year, round(households * areas.people_per_household[area_id]), households))
    return rows

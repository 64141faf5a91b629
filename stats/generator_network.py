"""The national generator's clans, units and study-promotion network, on the communes that hold its villages."""

from collections import defaultdict

from areas.models import AdministrativeUnit, Tree
from core.text import fold, sort_key
from registry import services as registry_services
from registry.demo import SURNAMES
from registry.models import AreaYear, Association, AssociationLevel, AssociationYear, Clan, Organisation

from .generator_rows import CHUNK, PEOPLE_PER_HOUSEHOLD, Villages, growth, write_rows


def clans_and_units(villages: Villages, rng) -> dict:
    """Two clans, a school and an agency in every commune that holds generated villages."""
    communes = AdministrativeUnit.objects.filter(pk__in=set(villages.communes)).order_by("code")
    communes = list(communes.only("pk", "code", "name", "short_name"))
    in_commune = defaultdict(list)
    for village_id, commune_id in zip(villages.ids, villages.communes, strict=True):
        in_commune[commune_id].append(village_id)
    clan_codes = registry_services.issue_codes({f"{c.code}-DH": 2 for c in communes})
    unit_codes = registry_services.issue_codes({f"{c.code}-DV": 2 for c in communes})
    clans, organisations, clan_villages = [], [], []
    for commune in communes:
        for surname in rng.sample(SURNAMES, 2):
            name = f"Họ {surname}"
            clans.append(
                Clan(
                    code=next(clan_codes[f"{commune.code}-DH"]),
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
        for name, kind in [
            (f"Trường Tiểu học {commune.short_name}", "school"),
            (f"Trạm Y tế {commune.name}", "agency"),
        ]:
            organisations.append(
                Organisation(
                    code=next(unit_codes[f"{commune.code}-DV"]),
                    name=name,
                    kind=kind,
                    managing_level="commune",
                    area_id=commune.pk,
                    search_name=fold(name),
                    sort_key=sort_key(name),
                )
            )
    Clan.objects.bulk_create(clans, batch_size=CHUNK)
    Clan.villages.through.objects.bulk_create(
        [
            Clan.villages.through(clan_id=clan.pk, village_id=village_id)
            for clan, village_id in zip(clans, clan_villages, strict=True)
        ],
        batch_size=CHUNK,
    )
    Organisation.objects.bulk_create(organisations, batch_size=CHUNK)
    return {"clans": len(clans), "units": len(organisations)}


def network(villages: Villages, years, evaluated_year, reform_year, rng) -> dict:
    """An association per commune and district holding generated villages, on the tree of each
    year, with its yearly report; each commune's population and household base per year."""
    households = defaultdict(lambda: [0, 0])  # commune → (households, villages), on either tree
    for old, new, count in zip(villages.communes, villages.successors, villages.households, strict=True):
        for commune in {old, new} - {None}:
            households[commune][0] += count
            households[commune][1] += 1
    areas = {
        u.pk: u
        for u in AdministrativeUnit.objects.filter(pk__in=list(households)).only("pk", "name", "parent_id", "tree")
    }
    districts = {
        u.pk: u
        for u in AdministrativeUnit.objects.filter(
            pk__in={a.parent_id for a in areas.values() if a.tree == Tree.PRE_2025}
        ).only("pk", "name")
    }
    wanted = [(AssociationLevel.COMMUNE, area) for area in areas.values()]
    wanted += [(AssociationLevel.DISTRICT, district) for district in districts.values()]
    have = set(Association.objects.filter(area__in=[*areas, *districts]).values_list("area_id", "level"))
    Association.objects.bulk_create(
        [
            Association(level=level, area=area, name=f"Hội Khuyến học {area.name[:1].lower()}{area.name[1:]}")
            for level, area in wanted
            if (area.pk, level) not in have
        ],
        batch_size=CHUNK,
    )
    associations = Association.objects.filter(
        area__in=[*areas, *districts], level__in=[AssociationLevel.COMMUNE, AssociationLevel.DISTRICT]
    )
    associations = list(associations.values_list("pk", "area_id", "level"))
    reported = set(
        AssociationYear.objects.filter(association__in=[a[0] for a in associations]).values_list(
            "association_id", "year"
        )
    )
    based = set(AreaYear.objects.filter(area__in=list(areas)).values_list("area_id", "year"))
    population_per_household = {pk: rng.uniform(*PEOPLE_PER_HOUSEHOLD) for pk in sorted(areas)}
    association_years, area_years = [], []
    for year in sorted(years):
        tree = Tree.Y2025 if year >= reform_year else Tree.PRE_2025
        for association_id, area_id, level in associations:
            area = areas.get(area_id)
            if (association_id, year) in reported or (area or districts[area_id]).tree != tree:
                continue
            if level == AssociationLevel.COMMUNE:
                people = households[area_id][0] * population_per_household[area_id] * growth(year, evaluated_year)
                figures = (
                    round(people * rng.uniform(0.18, 0.27)),
                    households[area_id][1],
                    rng.randint(1, 4),
                    rng.randint(1, 4),
                    rng.randint(1, 3),
                    rng.randint(0, 2),
                )
            else:
                figures = (rng.randint(40, 160), 0, rng.randint(5, 15), rng.randint(3, 9), 0, 0)
            association_years.append((association_id, year, *figures))
        for area_id, area in sorted(areas.items()):
            if area.tree != tree or (area_id, year) in based:
                continue
            base = round(households[area_id][0] * growth(year, evaluated_year))
            area_years.append((area_id, year, round(base * population_per_household[area_id]), base))
    write_rows(
        AssociationYear,
        [
            "association",
            "year",
            "members",
            "village_branches",
            "agency_branches",
            "agency_boards",
            "school_boards",
            "clan_boards",
        ],
        association_years,
    )
    write_rows(AreaYear, ["area", "year", "population", "households"], area_years)
    return {
        "associations": len(associations),
        "association_years": len(association_years),
        "area_years": len(area_years),
    }

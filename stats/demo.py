"""The demo province's figures from before the system: the seed article's 2016–2018 review, as
totals entered at its communes and, where the package's units cannot carry them, at the province.

The article gives three-year totals (155.235 household recognitions, 106 clan, 2.797 village and
950 unit recognitions) and the network at the end of 2018 (134 associations: 8 district, 4
province-level school and 122 commune). Its split over the years and the communes is invented for
the demo (about a third a year, growing; communes by their households, villages, clans and units),
and so are the registered numbers. The package lists the 108 communes left after the 2020 mergers,
not 2018's 122: the 122 commune associations and the 122 communes are entered at the province.
Clans and units have no years in the registry, so their base is entered per old commune and year from
the registry (those brought over to a new commune in the reform year counted at the old one).
Generated data, not users' changes: no audit rows. A second run adds nothing.
"""

import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from areas.demo import DEMO_FIRST_YEAR, DEMO_PROVINCE_CODE, demo_communes
from areas.models import AdministrativeUnit, Tree, VillagePlacement
from core.numbers import apportion
from criteria.models import Title
from evaluations.models import Evaluation
from registry.models import AreaYear, Clan, Organisation

from .models import NETWORK, EnteredAggregate, Measure
from .rebuild import rebuild_all

SEED_YEARS = [2016, 2017, 2018]
SEED_RECOGNITIONS = {Title.HOUSEHOLD: 155_235, Title.CLAN: 106, Title.VILLAGE: 2_797, Title.UNIT: 950}
YEAR_WEIGHTS = [Decimal(31), Decimal(33), Decimal(36)]
SEED_COMMUNES_2018 = 122
SEED_NOTE = "Số liệu minh hoạ theo bài tổng kết 2016–2018 (demo)"
REGISTRY_NOTE = "Theo sổ đăng ký hiện nay (demo)"
ARTICLE = "Bài tổng kết 3 năm 2016–2018, Cổng thông tin tỉnh Bắc Kạn, 29/11/2018"


@transaction.atomic
def build_demo_history(*, actor, seed: int = 2018) -> dict:
    province = AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code=DEMO_PROVINCE_CODE)
    if EnteredAggregate.objects.filter(unit=province).exists():
        return {"aggregates": 0, "facts": 0}
    communes = demo_communes()
    recognitions, seed_bases = _seed_recognitions(communes, random.Random(seed))
    rows = [
        EnteredAggregate(
            unit=unit, path=unit.path, year=year, title=title, measure=measure, value=value, note=note, entered_by=actor
        )
        for unit, year, title, measure, value, note in [
            *recognitions,
            *_clan_and_unit_bases(communes, seed_bases),
            *_province_figures(province),
        ]
    ]
    EnteredAggregate.objects.bulk_create(rows, batch_size=2000)
    facts = sum(rebuild_all().values())
    return {"aggregates": len(rows), "facts": facts}


def _seed_recognitions(communes, rng) -> tuple[list, dict]:
    """The article's recognitions of each title split over its years and the communes, each with the
    households or entities registered: (unit, year, title, measure, value, note) to enter, and the
    clans and units registered per (title, year, commune id)."""
    bases = _bases(communes)
    weights = _weights(communes, bases)
    entries, seed_bases = [], {}
    for title, total in SEED_RECOGNITIONS.items():
        per_year = apportion(total, dict(enumerate(YEAR_WEIGHTS)))
        for index, year in enumerate(SEED_YEARS):
            parts = apportion(per_year[index], {c.pk: weights[(title, year)][c.pk] for c in communes})
            for commune in communes:
                recognised = parts[commune.pk]
                registered = recognised + rng.randint(0, max(1, recognised // 12))
                if title in (Title.HOUSEHOLD, Title.VILLAGE):  # bases from the yearly figures and the tree
                    registered = min(registered, bases[(title, year)][commune.pk])
                else:  # the province had more clans and units than today's registry lists
                    seed_bases[(title, year, commune.pk)] = registered
                entries.append((commune, year, title, Measure.RECOGNISED, recognised, SEED_NOTE))
                entries.append((commune, year, title, Measure.REGISTERED, registered, SEED_NOTE))
    return entries, seed_bases


def _clan_and_unit_bases(communes, seed_bases) -> list[tuple]:
    """Each commune's clans and units per year before the reform: today's registry, or the article's
    registered ones where they were more."""
    clans, units = _registry_counts(communes)
    entries = []
    for year in range(DEMO_FIRST_YEAR, settings.KHUYENHOC_REFORM_YEAR):
        for commune in communes:
            for title, counts in ((Title.CLAN, clans), (Title.UNIT, units)):
                registered = seed_bases.get((title, year, commune.pk), 0)
                if registered > counts.get(commune.pk, 0):
                    entries.append((commune, year, title, Measure.BASE, registered, SEED_NOTE))
                else:
                    entries.append((commune, year, title, Measure.BASE, counts.get(commune.pk, 0), REGISTRY_NOTE))
    return entries


def _province_figures(province) -> list[tuple]:
    """2018's communes and commune associations, which the package's units cannot carry (see above)."""
    entries = [(province, year, Title.COMMUNE, Measure.BASE, SEED_COMMUNES_2018, ARTICLE) for year in SEED_YEARS]
    entries.append((province, 2018, NETWORK, Measure.ASSOCIATIONS_COMMUNE, SEED_COMMUNES_2018, ARTICLE))
    return entries


def _weights(communes, bases) -> dict:
    """(title, year) → commune id → weight: households and villages by their base, clans and units by
    the registry (at least 1, so every commune can have some)."""
    weights = {}
    households = {
        (a, y): h for a, y, h in AreaYear.objects.filter(area__in=communes).values_list("area_id", "year", "households")
    }
    clans, units = _registry_counts(communes)
    for year in SEED_YEARS:
        weights[(Title.HOUSEHOLD, year)] = {c.pk: Decimal(households.get((c.pk, year)) or 1) for c in communes}
        weights[(Title.VILLAGE, year)] = {pk: Decimal(count) for pk, count in bases[(Title.VILLAGE, year)].items()}
        weights[(Title.CLAN, year)] = {c.pk: Decimal(clans.get(c.pk, 0) + 1) for c in communes}
        weights[(Title.UNIT, year)] = {c.pk: Decimal(units.get(c.pk, 0) + 1) for c in communes}
    return weights


def _bases(communes) -> dict:
    """(title, year) → commune id → the base the recognitions must stay within: households from the
    yearly figures, villages placed there that year."""
    bases = {}
    households = dict(
        ((a, y), h or 0)
        for a, y, h in AreaYear.objects.filter(area__in=communes).values_list("area_id", "year", "households")
    )
    for year in SEED_YEARS:
        placed = VillagePlacement.objects.covering(year).filter(commune__in=communes)
        villages = {}
        for commune_id in placed.values_list("commune_id", flat=True):
            villages[commune_id] = villages.get(commune_id, 0) + 1
        bases[(Title.HOUSEHOLD, year)] = {c.pk: households.get((c.pk, year), 0) for c in communes}
        bases[(Title.VILLAGE, year)] = {c.pk: villages.get(c.pk, 0) for c in communes}
    return bases


def _registry_counts(communes) -> tuple[dict, dict]:
    """Commune id → the clans, and the units, registered at each old commune before the reform: those
    still there, and those brought over to a new commune since (evaluated at the old one before)."""
    before_reform = settings.KHUYENHOC_REFORM_YEAR - 1
    counts = []
    for model, field, title in ((Clan, "commune_id", Title.CLAN), (Organisation, "area_id", Title.UNIT)):
        old_commune = dict(model.objects.filter(**{f"{field[:-3]}__in": communes}).values_list("pk", field))
        subject = "clan_id" if title == Title.CLAN else "organisation_id"
        evaluated = Evaluation.objects.filter(title=title, year=before_reform, area__in=communes)
        for pk, area_id in evaluated.values_list(subject, "area_id"):
            old_commune.setdefault(pk, area_id)
        per_commune = {}
        for commune_id in old_commune.values():
            per_commune[commune_id] = per_commune.get(commune_id, 0) + 1
        counts.append(per_commune)
    return counts[0], counts[1]

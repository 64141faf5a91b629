"""Demo villages on the real units of Bắc Kạn (pre-2025 code 06), moved onto the 2025 tree.

Names are generated from a fixed seed, so every run builds the same demo; what exists is kept.
"""

import random

from django.conf import settings
from django.db import transaction

from . import services
from .models import AdministrativeUnit, AreaClass, Level, Tree, UnitKind, Village, VillageKind, VillagePlacement

DEMO_PROVINCE_CODE = "06"
DEMO_FIRST_YEAR = 2016
FIRST_SYLLABLES = [
    "Nà",
    "Khuổi",
    "Pác",
    "Cốc",
    "Phiêng",
    "Khau",
    "Lủng",
    "Nặm",
    "Bó",
    "Thôm",
    "Pù",
    "Vằng",
    "Cà",
    "Nà Làng",
    "Bản",
]
SECOND_SYLLABLES = [
    "Pài",
    "Mòn",
    "Lạn",
    "Cuồng",
    "Hin",
    "Slậu",
    "Thẳm",
    "Mặn",
    "Phầy",
    "Lẹng",
    "Duồng",
    "Nưa",
    "Chang",
    "Đăng",
    "Vài",
    "Quang",
    "Mới",
    "Đồn",
    "Thượng",
    "Hạ",
    "Tàu",
    "Khét",
    "Án",
    "Ỏ",
    "Ngần",
]


def demo_communes():
    province = AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code=DEMO_PROVINCE_CODE)
    return list(AdministrativeUnit.objects.under(province).filter(level=Level.COMMUNE).order_by("code"))


def planned_villages(communes, seed: int):
    """(commune, name, kind) for 5–20 villages per commune, the same for the same seed."""
    rng = random.Random(seed)
    plan = []
    for commune in communes:
        count = rng.randint(5, 20)
        names = []
        if commune.kind in {UnitKind.WARD, UnitKind.TOWN}:
            names = [(f"Tổ dân phố {n}", VillageKind.RESIDENTIAL_GROUP) for n in range(1, count + 1)]
        else:
            while len(names) < count:
                kind = rng.choice([VillageKind.VILLAGE, VillageKind.HAMLET])
                word = "Thôn" if kind == VillageKind.VILLAGE else "Bản"
                name = f"{word} {rng.choice(FIRST_SYLLABLES)} {rng.choice(SECOND_SYLLABLES)}"
                if all(name.casefold() != existing.casefold() for existing, _ in names):
                    names.append((name, kind))
        plan.extend((commune, name, kind) for name, kind in names)
    return plan


@transaction.atomic
def build_demo_villages(*, actor, seed: int = 2018) -> dict:
    communes = demo_communes()
    reform_year = settings.KHUYENHOC_REFORM_YEAR
    # A commune that already has villages was built by an earlier run (or by its officers): keep it.
    populated = set(VillagePlacement.objects.filter(commune__in=communes).values_list("commune_id", flat=True))
    created = 0
    for commune, name, kind in planned_villages(communes, seed):
        if commune.pk in populated:
            continue
        services.village_create(actor=actor, commune=commune, name=name, kind=kind, from_year=DEMO_FIRST_YEAR)
        created += 1
    moved = 0
    for commune in communes:
        target = services.default_successor(commune)
        villages = Village.objects.in_commune(commune)
        moved += services.villages_move(
            actor=actor, villages=villages, commune=target, from_year=reform_year, rename_clashes=True
        )
    mountainous = AreaClass.objects.get(code="mountainous")
    new_communes = AdministrativeUnit.objects.filter(
        successions__isnull=True, tree=Tree.Y2025, predecessions__predecessor__in=communes
    ).distinct()
    classes = 0
    for year in range(DEMO_FIRST_YEAR, reform_year):
        classes += services.area_class_memberships_add(actor=actor, area_class=mountainous, year=year, units=communes)
    classes += services.area_class_memberships_add(
        actor=actor, area_class=mountainous, year=reform_year, units=new_communes
    )
    return {"villages_created": created, "villages_moved": moved, "area_class_rows": classes}

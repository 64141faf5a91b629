"""Demo registries for Bắc Kạn: households in every demo village, clans and units in every commune.

44–76 households a village (about 80,000 for the province's 1,339 villages, the seed article's order
of size), so the yearly base the network derives from them (registry.demo_network) is the registry's.

Generated from a fixed seed and written in bulk like an import; a second run adds nothing.
"""

import random
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from areas.demo import demo_communes
from areas.models import Village
from core.bulk import insert
from core.text import fold, sort_key

from . import services
from .importing import HOUSEHOLD_WRITE_COLUMNS
from .models import Household

HOUSEHOLDS_PER_VILLAGE = (44, 76)
SURNAMES = ["Hoàng", "Nông", "Triệu", "Ma", "Lý", "Hà", "Lục", "Bế", "Đinh", "Nguyễn", "Trần", "Đặng", "Lường", "Dương"]
MIDDLE = ["Văn", "Thị", "Đức", "Thị Thu", "Văn Minh", "Quốc", "Thị Hồng"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hải",
    "Hoa",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Thắng",
    "Thu",
    "Tuấn",
    "Vân",
    "Yến",
]


@transaction.atomic
def build_demo_registries(*, actor, seed: int = 2018) -> dict:
    communes = demo_communes()
    villages = list(Village.objects.filter(placements__commune__in=communes).distinct().order_by("code"))
    if Household.objects.filter(village__in=villages).exists():
        return {"households": 0, "clans": 0, "units": 0}
    rng = random.Random(seed)
    plan = []
    for village in villages:
        for _ in range(rng.randint(*HOUSEHOLDS_PER_VILLAGE)):
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            plan.append((village, name, rng.randint(2, 8), rng.random() > 0.03))
    codes = services.issue_codes(Counter(village.code for village, *_ in plan))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (next(codes[v.code]), v.pk, name, members, active, fold(name), sort_key(name), now, now)
        for v, name, members, active in plan
    ]
    insert(Household, HOUSEHOLD_WRITE_COLUMNS, rows)

    clans = units = 0
    for commune in communes:
        commune_villages = list(Village.objects.in_commune(commune))
        for surname in rng.sample(SURNAMES, rng.randint(1, 3)):
            services.clan_save(
                actor=actor,
                clan=None,
                commune=commune,
                name=f"Họ {surname}",
                head_name=f"{surname} Văn Tộc",
                member_households=rng.randint(8, 90),
                has_board=rng.random() < 0.6,
                villages=rng.sample(commune_villages, min(len(commune_villages), rng.randint(1, 3))),
            )
            clans += 1
        for name, kind in [
            (f"Trường Tiểu học {commune.short_name}", "school"),
            (f"Trường Trung học cơ sở {commune.short_name}", "school"),
            (f"Trạm Y tế {commune.name}", "agency"),
        ]:
            services.organisation_save(
                actor=actor, organisation=None, name=name, kind=kind, managing_level="commune", area=commune
            )
            units += 1
    return {"households": len(rows), "clans": clans, "units": units}

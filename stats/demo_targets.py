"""The demo province's own 2020 targets, from the seed article (rules.md §3): higher than the
national ones for clans and units, and one for communes, which no national decision sets. Entered
through the service as a user's change would be, so they show in the history; a second run changes
nothing."""

from areas.demo import DEMO_PROVINCE_CODE
from areas.models import AdministrativeUnit, Tree

from .models import Target
from .targets import target_save

SEED_YEAR = 2020
SEED_SOURCE = "Chỉ tiêu của tỉnh Bắc Kạn đến năm 2020 (bài viết nguồn)"
SEED_TARGETS = {"household": 70, "clan": 80, "village": 60, "unit": 90, "commune": 97}


def build_demo_targets(actor) -> int:
    """Set the targets as overrides of the pre-2025 province; returns how many there are."""
    province = AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code=DEMO_PROVINCE_CODE)
    for title, percent in SEED_TARGETS.items():
        # A second run changes the targets as it finds them (the same values: nothing is written).
        seen = Target.objects.filter(title=title, year=SEED_YEAR, area=province).values_list("version", flat=True)
        target_save(
            actor=actor,
            title=title,
            year=SEED_YEAR,
            percent=percent,
            area=province,
            source=SEED_SOURCE,
            version=seen.first(),
        )
    return len(SEED_TARGETS)

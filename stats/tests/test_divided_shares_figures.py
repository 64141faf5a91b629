"""Divided communes' shares (issue 15, item 4) as the figures read them: entered through the service
(areas.shares), they split an old commune's years at once, exactly, and what is split is the figure
read at the old commune, so an entered total there replaces its records' sum rather than adding to it."""

from decimal import Decimal

import pytest

from areas import services as area_services
from areas import shares
from areas.models import UnitSuccession
from conftest import unit
from criteria.tests.helpers import completed_household_set
from evaluations import services as evaluation_services
from registry import services as registry_services
from stats import figures, mapping, services

pytestmark = pytest.mark.django_db

OLD_YEAR = 2018
# Old Phường Cống Vị (Hà Nội) went partly to new Phường Giảng Võ, partly to new Phường Ngọc Hà (its default).
OLD, SMALL, LARGE = "00007", "00025", "00008"


def mapped(code, title="household", measure="registered"):
    """What the old commune brings to a new commune (nothing is entered or recorded at the others)."""
    return figures.for_unit(unit("2025", code), OLD_YEAR, "2025").value(title, measure) or 0


@pytest.fixture
def cong_vi(admin_user):
    """The old commune with three households registered in 2018 from the records."""
    old = unit("pre2025", OLD)
    village = area_services.village_create(
        actor=admin_user, commune=old, name="Tổ 1", kind="residential_group", from_year=2016
    )
    household_set = completed_household_set(admin_user)
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        household = registry_services.household_create(actor=admin_user, village=village, head_name=name, members=3)
        evaluation_services.evaluation_register(
            actor=admin_user, title="household", year=OLD_YEAR, subject=household, criteria_set=household_set
        )
    return old


def test_the_mapping_is_the_official_one():
    pieces = {
        s.successor.code: s.is_default
        for s in UnitSuccession.objects.filter(predecessor__code=OLD, predecessor__tree="pre2025")
    }
    assert pieces == {SMALL: False, LARGE: True}


def test_one_to_two_of_1001_gives_334_and_667_at_once(admin_user, cong_vi):
    services.aggregate_save(
        actor=admin_user, unit=cong_vi, year=OLD_YEAR, title="household", measure="registered", value=1001
    )
    assert (mapped(SMALL), mapped(LARGE)) == (0, 1001)  # no shares: all to the default
    shares.divided_shares_save(
        actor=admin_user, old_commune=cong_vi, basis="households", whole=3000, counts={SMALL: 1000, LARGE: 2000}
    )
    # The entered total (1.001) replaces the three registered in the records: 1.004 would give 335 and 669.
    assert (mapped(SMALL), mapped(LARGE)) == (334, 667)
    shares.divided_shares_clear(actor=admin_user, old_commune=cong_vi)
    assert (mapped(SMALL), mapped(LARGE)) == (0, 1001)


def test_without_an_entered_total_the_records_are_split(admin_user, cong_vi):
    shares.divided_shares_save(
        actor=admin_user, old_commune=cong_vi, basis="population", whole=9, counts={SMALL: 2, LARGE: 7}
    )
    assert (mapped(SMALL), mapped(LARGE)) == (1, 2)  # 3 × 2/9 = 0,67 → 1; 3 × 7/9 = 2,33 → 2


def test_the_new_province_and_the_country_keep_their_totals(admin_user, cong_vi):
    services.aggregate_save(
        actor=admin_user, unit=cong_vi, year=OLD_YEAR, title="household", measure="registered", value=1001
    )
    shares.divided_shares_save(
        actor=admin_user, old_commune=cong_vi, basis="households", whole=3, counts={SMALL: 1, LARGE: 2}
    )
    hanoi = figures.for_unit(unit("2025", "01"), OLD_YEAR, "2025").value("household", "registered")
    assert hanoi == 1001
    assert figures.national(OLD_YEAR, "2025").value("household", "registered") == figures.national(
        OLD_YEAR, "pre2025"
    ).value("household", "registered")
    rule = next(p for p in mapping.mapping_rules(unit("2025", SMALL)) if p.old_unit == cong_vi)
    assert round(rule.share, 4) == Decimal("0.3333")

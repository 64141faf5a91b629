import pytest
from django.core.cache import cache

from conftest import unit
from criteria.tests.helpers import completed_household_set
from evaluations import decisions as evaluation_decisions
from registry import services as registry_services
from stats import services as stats_services
from stats.tests.conftest import approved, published

HEAD = "Hoàng Thị Nhàn"
CLAN_HEAD = "Lục Văn Khởi"
SIGNER = "Nguyễn Văn Bình"
DRAFT_NUMBER = "77/QĐ-NHÁP"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Kept pages are keyed by the newest audit entry, which a rolled-back test may write again."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal_world(personas, villages, admin_user, reform_year):
    """Phường Bắc Kạn (2025:01843) with a household recognised by a published decision in the reform
    year, a clan whose head is named, a draft decision, and the seed's entered total for old Bắc Kạn
    province (pre2025:06) in 2017."""
    officer = personas["commune_officer"]
    commune = unit("2025", "01843")
    household = registry_services.household_create(
        actor=officer, village=villages["song_cau_1"], head_name=HEAD, members=4
    )
    registry_services.clan_save(
        actor=officer,
        clan=None,
        commune=commune,
        name="Dòng họ Lục",
        head_name=CLAN_HEAD,
        member_households=12,
        has_board=True,
        villages=[],
    )
    criteria_set = completed_household_set(admin_user)
    evaluation = approved(officer, criteria_set, household, reform_year)
    decision = published(officer, [evaluation], year=reform_year, area=("2025", "01843"))
    second = registry_services.household_create(
        actor=officer, village=villages["song_cau_1"], head_name="Đinh Văn Sáu", members=3
    )
    draft = evaluation_decisions.decision_create(
        actor=officer,
        title="household",
        year=reform_year,
        issuing_area=commune,
        number=DRAFT_NUMBER,
        date=decision.date,
        issuing_body="UBND phường",
        signer=SIGNER,
        legal_basis="",
        evaluations=[approved(officer, criteria_set, second, reform_year)],
    )
    entered = stats_services.aggregate_save(
        actor=personas["old_province_officer"],
        year=2017,
        title="household",
        measure="recognised",
        value=23456,
        unit=unit("pre2025", "06"),
    )
    return {"commune": commune, "decision": decision, "draft": draft, "entered": entered, "year": reform_year}

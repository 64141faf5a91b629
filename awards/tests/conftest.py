import datetime

import pytest

from accounts.models import User
from accounts.roles import Role
from areas.models import AdministrativeUnit, Tree
from awards import decisions, services
from awards.models import AwardKind
from conftest import PASSWORD
from registry import services as registry_services
from registry.network import association_create

DISTRICT_KIND = "Giấy khen của Hội Khuyến học cấp huyện"


@pytest.fixture
def ban_thi_officer(db):
    """A commune officer of old Xã Bản Thi (Chợ Đồn district, Bắc Kạn, pre-2025 tree)."""
    return User.objects.create_user(
        "c.banthi",
        password=PASSWORD,
        role=Role.COMMUNE_OFFICER,
        unit=AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code="02035"),
        full_name="Cán bộ Bản Thi",
    )


@pytest.fixture
def district_kind(db):
    return AwardKind.objects.get(name=DISTRICT_KIND)


@pytest.fixture
def ban_thi(db):
    return AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code="02035")


@pytest.fixture
def family(admin_user, villages):
    return registry_services.household_create(
        actor=admin_user, village=villages["ban_thi"], head_name="Hoàng Văn Thắng", members=5
    )


@pytest.fixture
def association(admin_user, ban_thi):
    return association_create(actor=admin_user, level="commune", area=ban_thi, name="Hội Khuyến học xã Bản Thi")


@pytest.fixture
def nominate(ban_thi_officer, ban_thi, district_kind):
    """A nomination by Bản Thi for the district's certificate of merit (household by default)."""

    def make(record=None, *, recipient="household", person_name="", person_village=None, actor=None, **extra):
        values = {
            "kind": district_kind,
            "recipient": recipient,
            "record": record,
            "person_name": person_name,
            "person_village": person_village,
            "first_year": 2016,
            "last_year": 2018,
            "reason": "Có thành tích xuất sắc trong phong trào khuyến học",
            "achievements": "Ba năm liền đạt danh hiệu Gia đình học tập; con đỗ đại học.",
            **extra,
        }
        return services.nomination_create(actor=actor or ban_thi_officer, area=ban_thi, **values)

    return make


@pytest.fixture
def published(nominate, family, association, villages, personas):
    """A published decision of Chợ Đồn's association awarding a family, an association and a person."""
    district = personas["district_officer"]
    chosen = [
        nominate(family),
        nominate(association, recipient="association"),
        nominate(recipient="person", person_name="Nông Thị Mỹ Dung", person_village=villages["ban_thi"]),
    ]
    for nomination in chosen:
        services.nomination_submit(nomination=nomination, actor=nomination.created_by)
        services.nomination_select(nomination=nomination, actor=district)
    decision = decisions.award_decision_create(
        actor=district,
        kind=chosen[0].kind,
        issuing_area=chosen[0].awarding_area,
        nominations=chosen,
        number="15/QĐ-HKH",
        date=datetime.date(2018, 11, 28),
        issuing_body="Hội Khuyến học huyện Chợ Đồn",
        signer="Ma Văn Tường",
        signer_title="Chủ tịch",
    )
    return decisions.award_decision_publish(actor=district, decision=decision)

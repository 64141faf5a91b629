"""Fixtures of the documents made from a recognition decision: the personas on the shared villages, a
ward's household decision and a province's decision recognising a commune."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import User
from accounts.roles import Role
from conftest import PASSWORD, unit
from criteria.models import CriteriaSet, Node, NodeKind, ResultRule, Scoring, Title
from criteria.tests.helpers import completed_household_set
from evaluations import decisions, services
from registry import services as registry_services

from .helpers import LEAVES, MARKS, RECOGNISED, VILLAGE_OF


def _account(username, role, *, tree=None, code=None, village=None):
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit(tree, code) if code else None, village=village
    )


@pytest.fixture
def people(db, villages):
    """The suite's personas (conftest.py) on the shared villages (documents' conftest has its own on the demo)."""
    return {
        "province_officer": _account("p.thainguyen", Role.PROVINCE_OFFICER, tree="2025", code="19"),
        "commune_officer": _account("c.backan", Role.COMMUNE_OFFICER, tree="2025", code="01843"),
        "other_commune_officer": _account("c.ducxuan", Role.COMMUNE_OFFICER, tree="2025", code="01840"),
        "village_officer": _account("v.songcau1", Role.VILLAGE_OFFICER, village=villages["song_cau_1"]),
        "viewer": _account("viewer.thainguyen", Role.VIEWER, tree="2025", code="19"),
    }


def _evaluate(actor, title, year, subject, criteria_set, marks, *, approver=None, adjust=None):
    evaluation = services.evaluation_register(
        actor=actor, title=title, year=year, subject=subject, criteria_set=criteria_set
    )
    evaluation = services.evaluation_marks_save(
        actor=actor, evaluation=evaluation, version=evaluation.version, marks=marks
    )
    evaluation = services.evaluation_submit(actor=actor, evaluation=evaluation, version=evaluation.version)
    approver = approver or actor
    if adjust:
        evaluation = services.evaluation_adjust(
            actor=approver, evaluation=evaluation, version=evaluation.version, marks=adjust, reason="Thiếu minh chứng"
        )
    return services.evaluation_approve(actor=approver, evaluation=evaluation, version=evaluation.version)


@pytest.fixture
def households_decision(people, villages, admin_user, reform_year):
    """Five households of Phường Bắc Kạn's two villages scored; four recognised by the ward's decision
    12/QĐ-UBND (a draft), one not achieved."""
    officer = people["commune_officer"]
    household_set = completed_household_set(admin_user)
    evaluations = {}
    for name, marks in MARKS.items():
        household = registry_services.household_create(
            actor=admin_user, village=villages[VILLAGE_OF[name]], head_name=name, members=4
        )
        evaluations[name] = _evaluate(
            officer, "household", reform_year, household, household_set, dict(zip(LEAVES, marks, strict=True))
        )
    decision = decisions.decision_create(
        actor=officer,
        title="household",
        year=reform_year,
        issuing_area=unit("2025", "01843"),
        number="12/QĐ-UBND",
        date=datetime.date(reform_year + 1, 3, 20),
        issuing_body="UBND Phường Bắc Kạn",
        signer="Nguyễn Văn Bình",
        legal_basis="Luật Tổ chức chính quyền địa phương năm 2025\nQuyết định 448/QĐ-KHVN",
        evaluations=[evaluations[name] for name in RECOGNISED],
    )
    return decision, evaluations


@pytest.fixture
def commune_decision(people, reform_year):
    """Phường Bắc Kạn's self-assessment against a small illustration set (a standard of two criteria
    and a criterion of its own), one mark lowered by the province, recognised by the province's draft."""
    criteria_set = CriteriaSet.objects.create(
        title=Title.COMMUNE,
        name="Cộng đồng học tập cấp xã (minh hoạ)",
        legal_number="QĐ 1234/QĐ-minh-hoạ",
        valid_from=2015,
        rule=ResultRule.THRESHOLD,
        pass_total=Decimal(60),
        recognised_results=["achieved"],
        is_illustration=True,
    )
    standard = Node.objects.create(
        criteria_set=criteria_set,
        position=0,
        kind=NodeKind.STANDARD,
        code="1",
        name="Tiêu chuẩn về học tập",
        scoring=Scoring.GROUP,
    )
    for position, (code, name, most) in enumerate(
        [("1.1", "Tỷ lệ gia đình học tập", 30), ("1.2", "Tỷ lệ dòng họ học tập", 20)]
    ):
        Node.objects.create(
            criteria_set=criteria_set,
            parent=standard,
            position=position,
            kind=NodeKind.CRITERION,
            code=code,
            name=name,
            scoring=Scoring.POINTS,
            max_points=most,
        )
    Node.objects.create(
        criteria_set=criteria_set,
        position=1,
        kind=NodeKind.CRITERION,
        code="2",
        name="Trung tâm học tập cộng đồng",
        scoring=Scoring.POINTS,
        max_points=50,
    )
    evaluation = _evaluate(
        people["commune_officer"],
        Title.COMMUNE,
        reform_year,
        unit("2025", "01843"),
        criteria_set,
        {"1.1": 25, "1.2": 15, "2": 40},
        approver=people["province_officer"],
        adjust={"1.2": 12},
    )
    decision = decisions.decision_create(
        actor=people["province_officer"],
        title=Title.COMMUNE,
        year=reform_year,
        issuing_area=unit("2025", "19"),
        number="45/QĐ-UBND",
        date=datetime.date(reform_year + 1, 4, 2),
        issuing_body="Ủy ban nhân dân Tỉnh Thái Nguyên",
        signer="Trần Thị Hoa",
        legal_basis="",
        evaluations=[evaluation],
    )
    return decision, evaluation

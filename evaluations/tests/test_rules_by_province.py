"""Rules owned by an area: a province's approving levels and deadlines apply in that province only,
over the national defaults, which only a system administrator changes. A province officer changing a
default gets their province's own rule; they can neither change the default nor see or change another
province's rule (page: 403/404, nothing changed); removing the province's rule falls back to the default."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from areas import services as area_services
from areas.models import AdministrativeUnit, Level, Tree
from audit.models import AuditEntry
from evaluations import access, rules, services
from evaluations.models import ApproverRule, Deadline, Evaluation
from evaluations.rule_scope import deadlines_for, province_path
from registry import services as registry_services

pytestmark = pytest.mark.django_db


def national(title, tree, from_year):
    return ApproverRule.objects.get(title=title, tree=tree, from_year=from_year, area=None)


@pytest.fixture
def thai_nguyen(personas):
    return personas["province_officer"].unit


@pytest.fixture
def ha_noi():
    return AdministrativeUnit.objects.get(tree=Tree.Y2025, level=Level.PROVINCE, code="01")


@pytest.fixture
def ha_noi_officer(ha_noi):
    return User.objects.create_user("p.hanoi", password="x", role=Role.PROVINCE_OFFICER, unit=ha_noi)


@pytest.fixture
def two_evaluations(admin_user, personas, villages, household_set, reform_year, ha_noi):
    """A household evaluated in the reform year in Thái Nguyên (Phường Bắc Kạn), and one in Hà Nội."""
    commune = AdministrativeUnit.objects.filter(tree=Tree.Y2025, level=Level.COMMUNE, path__startswith=ha_noi.path)
    village = area_services.village_create(
        actor=admin_user,
        commune=commune.order_by("path").first(),
        name="Thôn Một",
        kind="village",
        from_year=reform_year,
    )
    made = {}
    for name, place in (("thai_nguyen", villages["song_cau_1"]), ("ha_noi", village)):
        household = registry_services.household_create(actor=admin_user, village=place, head_name=name, members=4)
        made[name] = services.evaluation_register(
            actor=admin_user, title="household", year=reform_year, subject=household, criteria_set=household_set
        )
    return made


def level_of(evaluation):
    return services.approver_level(
        evaluation.title, evaluation.year, evaluation.area.tree, province_path(evaluation.area)
    )


def test_a_province_rule_routes_its_own_evaluations_and_not_another_province(
    personas, thai_nguyen, two_evaluations, reform_year
):
    default = national("household", "2025", 2025)
    assert level_of(two_evaluations["thai_nguyen"]) == level_of(two_evaluations["ha_noi"]) == default.level == 3
    own = rules.approver_rule_save(
        actor=personas["province_officer"],
        rule=default,  # changing the default from a province copies it for the province
        version=default.version,
        area=thai_nguyen,
        title="household",
        tree="2025",
        from_year=reform_year,
        to_year=None,
        level=1,
    )
    assert own.pk != default.pk and own.area == thai_nguyen
    assert national("household", "2025", 2025).level == 3  # the default is as it was
    assert level_of(two_evaluations["thai_nguyen"]) == 1
    assert level_of(two_evaluations["ha_noi"]) == 3
    approvable = access.approvable(personas["province_officer"], Evaluation.objects.all())
    assert list(approvable) == [two_evaluations["thai_nguyen"]]
    assert services.can_approve(personas["province_officer"], two_evaluations["thai_nguyen"])
    assert not services.can_approve(personas["commune_officer"], two_evaluations["thai_nguyen"])


def test_removing_the_province_rule_falls_back_to_the_default(personas, thai_nguyen, two_evaluations, reform_year):
    officer = personas["province_officer"]
    own = rules.approver_rule_save(
        actor=officer, area=thai_nguyen, title="household", tree="2025", from_year=reform_year, to_year=None, level=1
    )
    rules.approver_rule_delete(actor=officer, rule=own, version=own.version)
    assert level_of(two_evaluations["thai_nguyen"]) == 3
    assert list(AuditEntry.objects.filter(actor=officer).order_by("id").values_list("action", flat=True)) == [
        "approver_rule.save",
        "approver_rule.delete",
    ]


def test_a_province_officer_cannot_change_the_default_nor_another_provinces_rule(
    personas, thai_nguyen, ha_noi, ha_noi_officer, reform_year
):
    officer = personas["province_officer"]
    values = {"title": "household", "tree": "2025", "from_year": reform_year, "to_year": None, "level": 1}
    with pytest.raises(PermissionDenied):
        rules.approver_rule_save(actor=officer, rule=national("household", "2025", 2025), version=1, **values)
    with pytest.raises(PermissionDenied):
        rules.approver_rule_delete(actor=officer, rule=national("household", "2025", 2025), version=1)
    theirs = rules.approver_rule_save(actor=ha_noi_officer, area=ha_noi, **values)
    with pytest.raises(PermissionDenied):
        rules.approver_rule_save(
            actor=officer, rule=theirs, version=theirs.version, area=ha_noi, **{**values, "level": 3}
        )
    with pytest.raises(PermissionDenied):
        rules.approver_rule_delete(actor=officer, rule=theirs, version=theirs.version)
    assert national("household", "2025", 2025).level == 3
    assert ApproverRule.objects.get(pk=theirs.pk).level == 1


def test_the_pages_keep_a_province_to_its_own_rules(
    personas, client_for, thai_nguyen, ha_noi, ha_noi_officer, reform_year
):
    default = national("household", "2025", 2025)
    theirs = rules.approver_rule_save(
        actor=ha_noi_officer, area=ha_noi, title="household", tree="2025", from_year=reform_year, to_year=None, level=3
    )
    their_deadline = rules.deadline_save(
        actor=ha_noi_officer,
        area=ha_noi,
        title="household",
        year=reform_year,
        kind="registration",
        due=date(reform_year, 1, 31),
    )
    client = client_for(personas["province_officer"])
    page = client.get(reverse("evaluations:rules")).content.decode()
    assert "Mặc định toàn quốc" in page
    assert reverse("evaluations:approver_rule", args=[theirs.pk]) not in page
    assert reverse("evaluations:approver_rule_delete", args=[default.pk]) not in page
    data = {"title": "household", "tree": "2025", "from_year": reform_year, "to_year": "", "level": 1}
    assert client.get(reverse("evaluations:approver_rule", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("evaluations:approver_rule", args=[theirs.pk]), data).status_code == 404
    assert client.post(reverse("evaluations:approver_rule_delete", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("evaluations:deadline_delete", args=[their_deadline.pk])).status_code == 404
    assert client.post(reverse("evaluations:approver_rule_delete", args=[default.pk])).status_code == 403
    # Changing the default from the page copies it for Thái Nguyên.
    copied = client.post(reverse("evaluations:approver_rule", args=[default.pk]), {**data, "version": default.version})
    assert copied.status_code == 302, copied.context["form"].errors
    assert national("household", "2025", 2025).level == 3
    own = ApproverRule.objects.get(area=thai_nguyen)
    assert own.level == 1 and ApproverRule.objects.get(pk=theirs.pk).level == 3
    page = client.get(reverse("evaluations:rules")).content.decode()
    assert f"Riêng của {thai_nguyen.name}" in page
    delete = reverse("evaluations:approver_rule_delete", args=[own.pk])
    assert client.post(delete, {"version": own.version}).status_code == 302
    assert not ApproverRule.objects.filter(area=thai_nguyen).exists()


def test_a_system_administrator_changes_the_default_and_any_provinces_rule(admin_user, client_for, ha_noi, reform_year):
    client = client_for(admin_user)
    default = national("household", "2025", 2025)
    data = {"title": "household", "tree": "2025", "from_year": 2025, "to_year": "", "level": 1}
    edit = reverse("evaluations:approver_rule", args=[default.pk])
    assert client.post(edit, {**data, "version": default.version}).status_code == 302
    assert national("household", "2025", 2025).level == 1
    added = client.post(reverse("evaluations:approver_rule_create"), {**data, "level": 3, "area": ha_noi.pk})
    assert added.status_code == 302 and ApproverRule.objects.get(area=ha_noi).level == 3


def test_a_province_deadline_applies_there_and_the_default_elsewhere(
    admin_user, personas, thai_nguyen, two_evaluations, reform_year
):
    default = rules.deadline_save(
        actor=admin_user,
        title="household",
        year=reform_year,
        kind="registration",
        due=date(reform_year, 1, 31),
    )
    own = rules.deadline_save(
        actor=personas["province_officer"],
        deadline=default,
        version=default.version,
        area=thai_nguyen,
        title="household",
        year=reform_year,
        kind="registration",
        due=date(reform_year, 2, 15),
    )
    assert Deadline.objects.get(pk=default.pk).due == date(reform_year, 1, 31)
    tn, hn = two_evaluations["thai_nguyen"], two_evaluations["ha_noi"]
    assert deadlines_for(tn.title, tn.year, tn.area) == [own]
    assert deadlines_for(hn.title, hn.year, hn.area) == [default]
    rules.deadline_delete(actor=personas["province_officer"], deadline=own, version=own.version)
    assert deadlines_for(tn.title, tn.year, tn.area) == [default]

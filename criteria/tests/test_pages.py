"""Criteria sets on their pages: everyone signed in reads them and sees what each lacks; a
province officer copies a shipped set and completes the copy; nobody else changes anything; a
shipped default is never edited; a set an approved evaluation used changes only as a new version, and
what evaluations use or have marked keeps its meaning (the evaluations services record those facts:
evaluations/tests/test_criteria_facts.py)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from criteria import editing, services
from criteria.models import CriteriaSet
from criteria.validation import NodeValues
from criteria.yaml_io import set_to_yaml

from .conftest import shipped
from .helpers import codes_in_order, node_form, set_form

pytestmark = pytest.mark.django_db

TT44, TT25, QD448, TT22 = "44/2014/TT-BGDĐT", "25/2023/TT-BGDĐT", "448/QĐ-KHVN", "22/2020/TT-BGDĐT"
QD677 = "677/QĐ-TTg"  # learning citizens: three competences shipped empty


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_shipped_sets_are_listed_by_title_with_what_each_still_lacks(client_for, personas):
    response = english(client_for(personas["viewer"])).get(reverse("criteria:list"))
    assert response.status_code == 200
    listed = {s.legal_number: s for _label, sets in response.context["groups"] for s in sets}
    assert set(listed) == {TT44, TT25, QD448, TT22, QD677}
    assert all(s.is_default and s.missing_count > 0 for s in listed.values())
    assert "incomplete: " in response.content.decode() and "shipped default" in response.content.decode()
    with translation.override("en"):
        tt44 = services.criteria_set_missing(shipped(TT44))
        assert "The ratings and their thresholds are not entered." in tt44
        assert "15 has no text." in tt44
        assert "The total needed for the title is not entered." in services.criteria_set_missing(shipped(QD448))


def test_a_set_page_shows_its_tree_its_rule_and_what_is_missing(client_for, personas):
    tt25 = shipped(TT25)
    response = english(client_for(personas["commune_officer"])).get(reverse("criteria:detail", args=[tt25.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r["node"].code, r["depth"]) for r in rows][:4] == [("1", 0), ("1.1", 1), ("1.2", 1), ("1.3", 1)]
    assert [r["node"].code for r in rows if r["depth"] == 0] == ["1", "2", "3", "4", "5"]
    page = response.content.decode()
    assert "A level is reached when every indicator needed up to that level passes." in page
    assert "3 has no indicators." in page
    assert "Make a copy" not in page and "Edit the set" not in page


def test_the_list_and_pages_need_a_signed_in_user(client_for):
    response = client_for(None).get(reverse("criteria:list"))
    assert response.status_code == 302 and "login" in response.url


def test_a_province_officer_copies_a_shipped_set_and_completes_the_copy(client_for, personas):
    client = client_for(personas["province_officer"])
    original = shipped(QD448)
    response = client.post(reverse("criteria:copy", args=[original.pk]), {"name": "GĐHT tỉnh Thái Nguyên"})
    copy = CriteriaSet.objects.get(name="GĐHT tỉnh Thái Nguyên")
    assert response.url == reverse("criteria:detail", args=[copy.pk])
    assert (copy.is_default, copy.based_on, copy.version) == (False, original, 1)
    assert services.criteria_set_missing(copy)

    response = client.post(reverse("criteria:edit", args=[copy.pk]), set_form(copy, pass_total="70", valid_to=""))
    assert response.status_code == 302, response.context["form"].errors
    for code in ("2.2", "3", "4"):
        node = copy.nodes.get(code=code)
        response = client.post(reverse("criteria:node", args=[copy.pk, node.pk]), node_form(node, max_points="20"))
        assert response.url == reverse("criteria:detail", args=[copy.pk])

    copy.refresh_from_db()
    assert services.criteria_set_missing(copy) == []
    assert (copy.pass_total, copy.valid_to) == (Decimal(70), None)
    assert services.criteria_set_missing(original) != [] and original.nodes.get(code="3").max_points is None
    actions = AuditEntry.objects.filter(object_type="criteria.criteriaset", object_id=str(copy.pk))
    assert sorted(actions.values_list("action", flat=True)) == [
        "criteria_node.save",
        "criteria_node.save",
        "criteria_node.save",
        "criteria_set.copy",
        "criteria_set.update",
    ]


@pytest.mark.parametrize("persona", ["commune_officer", "district_officer", "village_officer", "viewer"])
def test_only_criteria_managers_change_sets(client_for, personas, admin_user, persona):
    copy = editing.criteria_set_copy(actor=admin_user, criteria_set=shipped(TT22), name="ĐVHT")
    node, band = copy.nodes.get(code="1.1"), copy.bands.first()
    client = client_for(personas[persona])
    assert client.get(reverse("criteria:detail", args=[copy.pk])).status_code == 200
    refused = [
        client.get(reverse("criteria:edit", args=[copy.pk])),
        client.post(reverse("criteria:edit", args=[copy.pk]), set_form(copy, name="Khác")),
        client.post(reverse("criteria:copy", args=[copy.pk]), {"name": "Bản sao"}),
        client.post(reverse("criteria:node", args=[copy.pk, node.pk]), node_form(node, name="Khác")),
        client.post(reverse("criteria:node_create", args=[copy.pk]), node_form(node, code="9")),
        client.post(reverse("criteria:node_move", args=[copy.pk, node.pk]), {"direction": "down"}),
        client.post(reverse("criteria:node_delete", args=[copy.pk, node.pk])),
        client.post(reverse("criteria:band", args=[copy.pk, band.pk]), {"code": "x", "label": "X", "min_total": 1}),
        client.post(reverse("criteria:band_delete", args=[copy.pk, band.pk])),
        client.get(reverse("imports:new", args=["criteria_set"])),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    copy.refresh_from_db()
    assert copy.name == "ĐVHT" and codes_in_order(copy)[:2] == ["1", "1.1"] and copy.bands.count() == 3
    assert CriteriaSet.objects.count() == 6
    with pytest.raises(Exception) as error:
        editing.node_delete(actor=personas[persona], criteria_set=copy, node=node)
    assert error.type.__name__ == "PermissionDenied"


def test_a_shipped_default_is_never_edited(client_for, personas):
    default = shipped(QD448)
    client = client_for(personas["province_officer"])
    node = default.nodes.get(code="3")
    response = client.post(reverse("criteria:node", args=[default.pk, node.pk]), node_form(node, max_points="20"))
    assert response.url == reverse("criteria:detail", args=[default.pk])
    response = client.post(reverse("criteria:edit", args=[default.pk]), set_form(default, pass_total="70"))
    assert response.url == reverse("criteria:detail", args=[default.pk])
    default.refresh_from_db()
    assert default.pass_total is None and default.nodes.get(code="3").max_points is None
    with pytest.raises(ValidationError) as error:
        editing.criteria_set_update(actor=personas["province_officer"], criteria_set=default, pass_total=70)
    assert error.value.code == "default"
    values = NodeValues("3", "", "criterion", "x", "points", Decimal(20))
    with pytest.raises(ValidationError) as error:
        editing.node_change(actor=personas["province_officer"], criteria_set=default, node=node, values=values)
    assert error.value.code == "default"
    assert CriteriaSet.objects.filter(based_on=default).count() == 0


def test_a_frozen_set_changes_only_in_a_new_version_that_holds_none_of_its_facts(client_for, personas, frozen_set):
    version_1 = frozen_set
    services.criteria_marked(version_1.nodes.filter(code__in=["1.1", "3"]))
    client = english(client_for(personas["province_officer"]))
    page = client.get(reverse("criteria:detail", args=[version_1.pk])).content.decode()
    assert "a change you make here creates version 2" in page and "Evaluations; one has been approved" in page
    node = version_1.nodes.get(code="4")
    response = client.post(
        reverse("criteria:node", args=[version_1.pk, node.pk]), node_form(node, max_points="25"), follow=True
    )
    version_2 = CriteriaSet.objects.get(based_on=version_1, version=2)
    assert response.redirect_chain[-1][0] == reverse("criteria:detail", args=[version_2.pk])
    assert "No evaluation yet" in response.content.decode()
    assert version_2.nodes.get(code="4").max_points == 25 and version_1.nodes.get(code="4").max_points == 20

    # No evaluation uses the new version: it is changed in place, its title and criteria included.
    assert (version_2.in_use, version_2.frozen, version_2.nodes.filter(marked=True).count()) == (False, False, 0)
    version_1.refresh_from_db()
    assert (version_1.in_use, version_1.frozen, version_1.nodes.filter(marked=True).count()) == (True, True, 2)
    officer = personas["province_officer"]
    assert editing.node_delete(actor=officer, criteria_set=version_2, node=version_2.nodes.get(code="3")) == version_2
    assert editing.criteria_set_update(actor=officer, criteria_set=version_2, title="clan").title == "clan"
    assert CriteriaSet.objects.filter(based_on=version_1).count() == 1


CHANGES = {
    "fields": lambda actor, s: editing.criteria_set_update(actor=actor, criteria_set=s, pass_total=Decimal(75)),
    "add": lambda actor, s: (
        editing.node_change(
            actor=actor, criteria_set=s, node=None, values=NodeValues("5", "", "criterion", "Mới", "points", Decimal(5))
        ).criteria_set
    ),
    "move": lambda actor, s: editing.node_move(actor=actor, criteria_set=s, node=s.nodes.get(code="4"), step=-1),
    "delete": lambda actor, s: editing.node_delete(actor=actor, criteria_set=s, node=s.nodes.get(code="4")),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_kind_of_change_to_a_frozen_set_goes_to_its_new_version(personas, frozen_set, change):
    before = set_to_yaml(frozen_set)
    target = CHANGES[change](personas["province_officer"], frozen_set)
    assert (target.version, target.based_on, target.is_default) == (2, frozen_set, False)
    assert set_to_yaml(frozen_set) == before and set_to_yaml(target) != before


def test_criteria_are_added_moved_and_deleted_in_reading_order(client_for, personas, admin_user):
    copy = editing.criteria_set_copy(actor=personas["province_officer"], criteria_set=shipped(QD448), name="GĐHT")
    client = client_for(personas["province_officer"])
    three = copy.nodes.get(code="3")
    response = client.post(
        reverse("criteria:node_create", args=[copy.pk]),
        {
            "code": "3.1",
            "parent_code": "3",
            "kind": "indicator",
            "name": "Góc học tập",
            "scoring": "points",
            "max_points": "10",
        },
    )
    assert response.status_code == 302
    three.refresh_from_db()
    assert three.scoring == "group"  # given a part, it is the sum of its parts
    assert codes_in_order(copy) == ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "3", "3.1", "4"]

    client.post(reverse("criteria:node_move", args=[copy.pk, copy.nodes.get(code="4").pk]), {"direction": "up"})
    assert codes_in_order(copy) == ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "4", "3", "3.1"]
    client.post(reverse("criteria:node_move", args=[copy.pk, copy.nodes.get(code="1").pk]), {"direction": "down"})
    assert codes_in_order(copy) == ["2", "2.1", "2.2", "1", "1.1", "1.2", "1.3", "4", "3", "3.1"]

    page = client.get(reverse("criteria:node_delete", args=[copy.pk, three.pk]))
    assert page.context["parts"] == 1
    client.post(reverse("criteria:node_delete", args=[copy.pk, three.pk]))
    assert codes_in_order(copy) == ["2", "2.1", "2.2", "1", "1.1", "1.2", "1.3", "4"]
    assert list(copy.nodes.order_by("position").values_list("position", flat=True)) == list(range(8))


def test_a_criterion_cannot_be_put_inside_itself_or_get_a_taken_number(client_for, personas, admin_user):
    copy = editing.criteria_set_copy(actor=personas["province_officer"], criteria_set=shipped(QD448), name="GĐHT")
    client = client_for(personas["province_officer"])
    one = copy.nodes.get(code="1")
    response = client.post(reverse("criteria:node", args=[copy.pk, one.pk]), node_form(one, parent_code="1.2"))
    assert response.status_code == 200 and "parent_code" in response.context["form"].errors
    officer = personas["province_officer"]
    with pytest.raises(ValidationError) as error:
        editing.node_change(
            actor=officer, criteria_set=copy, node=one, values=NodeValues("1", "1.2", "criterion", "x", "group")
        )
    assert error.value.error_list[0].code == "loop"
    response = client.post(reverse("criteria:node_create", args=[copy.pk]), node_form(one, code="2", parent_code=""))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    with pytest.raises(ValidationError) as error:
        editing.node_change(
            actor=officer, criteria_set=copy, node=None, values=NodeValues("2", "", "criterion", "x", "points")
        )
    assert error.value.error_list[0].code == "duplicate"
    assert copy.nodes.count() == 9


def test_ratings_stay_best_first_and_recognised_results_follow_their_codes(client_for, personas, admin_user):
    copy = editing.criteria_set_copy(actor=personas["province_officer"], criteria_set=shipped(TT22), name="ĐVHT")
    client = client_for(personas["province_officer"])
    response = client.post(reverse("criteria:edit", args=[copy.pk]), set_form(copy, recognised_results=["tot", "kha"]))
    assert response.status_code == 302
    response = client.post(
        reverse("criteria:band_create", args=[copy.pk]), {"code": "xuat_sac", "label": "Xuất sắc", "min_total": "95"}
    )
    assert response.status_code == 302
    assert list(copy.bands.order_by("position").values_list("code", flat=True)) == [
        "xuat_sac",
        "tot",
        "kha",
        "trung_binh",
    ]
    tot = copy.bands.get(code="tot")
    client.post(reverse("criteria:band", args=[copy.pk, tot.pk]), {"code": "gioi", "label": "Giỏi", "min_total": "85"})
    copy.refresh_from_db()
    assert copy.recognised_results == ["gioi", "kha"]
    client.post(reverse("criteria:band_delete", args=[copy.pk, copy.bands.get(code="kha").pk]))
    copy.refresh_from_db()
    assert copy.recognised_results == ["gioi"] and copy.bands.count() == 3
    response = client.post(
        reverse("criteria:band_create", args=[copy.pk]), {"code": "khac", "label": "Khác", "min_total": "85"}
    )
    assert response.status_code == 200 and copy.bands.count() == 3


def test_a_set_in_use_keeps_its_title_and_a_marked_criterion_is_not_deleted_nor_rescored(personas, household_set):
    officer = personas["province_officer"]
    services.criteria_set_used(household_set)
    services.criteria_marked(household_set.nodes.filter(code__in=["1.2", "3"]))
    with pytest.raises(ValidationError) as error:
        editing.criteria_set_update(actor=officer, criteria_set=household_set, title="clan")
    assert error.value.code == "title_in_use"
    for code in ("3", "1"):  # marked itself, or one of its parts
        with pytest.raises(ValidationError) as error:
            editing.node_delete(actor=officer, criteria_set=household_set, node=household_set.nodes.get(code=code))
        assert error.value.code == "marked"
    three = household_set.nodes.get(code="3")
    for node, values in [
        (three, NodeValues("3", "", "criterion", three.name, "pass_fail")),
        (None, NodeValues("3.1", "3", "indicator", "Góc học tập", "points", Decimal(10))),  # 3 would become a sum
    ]:
        with pytest.raises(ValidationError) as error:
            editing.node_change(actor=officer, criteria_set=household_set, node=node, values=values)
        assert error.value.code == "marked"
    assert household_set.nodes.filter(code="3", scoring="points").exists() and household_set.nodes.count() == 9

    # Neither fact freezes the set: what evaluations have not marked still changes in place.
    target = editing.node_delete(actor=officer, criteria_set=household_set, node=household_set.nodes.get(code="4"))
    target = editing.criteria_set_update(actor=officer, criteria_set=target, name="GĐHT tỉnh")
    assert target == household_set and target.name == "GĐHT tỉnh" and codes_in_order(target)[-1] == "3"

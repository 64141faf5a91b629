"""The facts the evaluations services record on the criteria sets, in the transaction of the change
that makes them true: registering with a set records that evaluations use it (its title no longer
changes), the first mark or evidence for a criterion records it as marked (it is neither rescored
nor deleted), and the first approval freezes the set (a change then makes a new version) for good:
returning or unlocking an evaluation does not thaw it. Criteria's editing reads these facts only."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import AdministrativeUnit, Tree
from criteria import editing
from criteria.models import CriteriaSet, Node
from criteria.tests.helpers import codes_in_order, completed_household_set, node_form, set_form
from criteria.validation import NodeValues
from criteria.yaml_io import set_to_yaml
from evaluations import batch, services
from evaluations.demo import build_demo_evaluations
from evaluations.models import Evaluation, EvaluationState, Evidence, Mark

from .conftest import FULL_MARKS

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def household_set(personas):
    """The province officer's own completed household set (of Thái Nguyên, where the households
    are): the set they change here."""
    officer = personas["province_officer"]
    return completed_household_set(officer, area=officer.unit)


@pytest.fixture
def marked(personas, household, household_set, reform_year):
    """An evaluation of `household_set` with every mark given, not yet submitted."""
    officer = personas["village_officer"]
    evaluation = services.evaluation_register(
        actor=officer,
        title="household",
        year=reform_year,
        subject=household("Hoàng Văn An"),
        criteria_set=household_set,
    )
    return services.evaluation_marks_save(
        actor=officer, evaluation=evaluation, version=evaluation.version, marks=FULL_MARKS
    )


@pytest.fixture
def approved(personas, marked):
    """`marked`, submitted and approved by the commune: its set is frozen."""
    evaluation = services.evaluation_submit(
        actor=personas["village_officer"], evaluation=marked, version=marked.version
    )
    return services.evaluation_approve(
        actor=personas["commune_officer"], evaluation=evaluation, version=evaluation.version
    )


def facts(criteria_set: CriteriaSet) -> tuple[bool, bool, list[str]]:
    """(in use, frozen, codes of the marked criteria) as recorded on the set."""
    criteria_set = CriteriaSet.objects.get(pk=criteria_set.pk)
    marked = criteria_set.nodes.filter(marked=True).order_by("position")
    return criteria_set.in_use, criteria_set.frozen, list(marked.values_list("code", flat=True))


def assert_facts_are_those_of_the_evaluations() -> None:
    """Every set and criterion records exactly what the evaluations hold."""
    for criteria_set in CriteriaSet.objects.all():
        using = Evaluation.objects.filter(criteria_set=criteria_set)
        assert criteria_set.in_use == using.exists(), criteria_set
        assert criteria_set.frozen == using.filter(approved_at__isnull=False).exists(), criteria_set
    held = set(Mark.objects.values_list("node", flat=True)) | set(Evidence.objects.values_list("node", flat=True))
    assert set(Node.objects.filter(marked=True).values_list("pk", flat=True)) == held


def criteria_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "criteria_')]


def test_registering_records_that_evaluations_use_the_set_and_its_title_no_longer_changes(
    client_for, personas, household, household_set, reform_year
):
    assert facts(household_set) == (False, False, [])
    services.evaluation_register(
        actor=personas["village_officer"],
        title="household",
        year=reform_year,
        subject=household("Hoàng Văn An"),
        criteria_set=household_set,
    )
    assert facts(household_set) == (True, False, [])
    page = english(client_for(personas["viewer"])).get(reverse("criteria:detail", args=[household_set.pk]))
    assert "Evaluations, none approved yet" in page.content.decode() and not page.context["frozen"]
    with pytest.raises(ValidationError) as error:
        editing.criteria_set_update(actor=personas["province_officer"], criteria_set=household_set, title="clan")
    assert error.value.code == "title_in_use"
    renamed = editing.criteria_set_update(actor=personas["province_officer"], criteria_set=household_set, name="GĐHT")
    assert renamed == household_set  # not frozen: changed in place
    assert_facts_are_those_of_the_evaluations()


def test_the_first_mark_or_evidence_for_a_criterion_records_it_as_marked(
    personas, household, household_set, reform_year
):
    officer = personas["village_officer"]
    evaluation = services.evaluation_register(
        actor=officer,
        title="household",
        year=reform_year,
        subject=household("Hoàng Văn An"),
        criteria_set=household_set,
    )
    evaluation = services.evaluation_marks_save(
        actor=officer, evaluation=evaluation, version=evaluation.version, marks={"1.1": 10, "3": 20, "4": None}
    )
    assert facts(household_set) == (True, False, ["1.1", "3"])
    services.evidence_add(
        actor=officer,
        evaluation=evaluation,
        version=evaluation.version,
        node=household_set.nodes.get(code="2.1"),
        file=SimpleUploadedFile("biên bản.pdf", b"%PDF-1.4 minh chung"),
    )
    assert facts(household_set) == (True, False, ["1.1", "2.1", "3"])
    assert_facts_are_those_of_the_evaluations()
    with pytest.raises(ValidationError) as error:
        editing.node_delete(
            actor=personas["province_officer"],
            criteria_set=household_set,
            node=evaluation.marks.get(node__code="1.1").node,
        )
    assert error.value.code == "marked"
    editing.node_delete(
        actor=personas["province_officer"], criteria_set=household_set, node=household_set.nodes.get(code="4")
    )
    assert codes_in_order(household_set)[-1] == "3"


def test_the_first_approval_freezes_the_set_and_neither_return_nor_unlock_thaws_it(
    personas, household, household_set, reform_year
):
    village, commune = personas["village_officer"], personas["commune_officer"]
    evaluation = services.evaluation_register(
        actor=village,
        title="household",
        year=reform_year,
        subject=household("Hoàng Văn An"),
        criteria_set=household_set,
    )
    evaluation = services.evaluation_marks_save(
        actor=village, evaluation=evaluation, version=evaluation.version, marks=FULL_MARKS
    )
    evaluation = services.evaluation_submit(actor=village, evaluation=evaluation, version=evaluation.version)
    evaluation = services.evaluation_return(
        actor=commune, evaluation=evaluation, version=evaluation.version, reason="Thiếu biên bản"
    )
    assert facts(household_set)[:2] == (True, False)
    evaluation = services.evaluation_submit(actor=village, evaluation=evaluation, version=evaluation.version)
    evaluation = services.evaluation_approve(actor=commune, evaluation=evaluation, version=evaluation.version)
    assert facts(household_set)[:2] == (True, True)
    services.evaluation_unlock(actor=commune, evaluation=evaluation, version=evaluation.version, reason="Chấm lại")
    assert facts(household_set)[:2] == (True, True)
    assert_facts_are_those_of_the_evaluations()
    target = editing.criteria_set_update(actor=personas["province_officer"], criteria_set=household_set, note="Sửa")
    assert (target.version, target.based_on) == (2, household_set)
    assert facts(target) == (False, False, [])


def test_a_village_meeting_and_a_bulk_approval_record_each_fact_with_one_write(
    personas, household, household_set, reform_year
):
    households = [household(name) for name in ("Hoàng Văn An", "Đinh Thị Bình", "Ma Thị Lan")]
    rows = [(h, None, FULL_MARKS) for h in households]
    with CaptureQueriesContext(connection) as queries:
        counts = batch.evaluations_mark_many(
            actor=personas["village_officer"],
            year=reform_year,
            criteria_set=household_set,
            rows=rows,
            submit_complete=True,
        )
    assert counts == {"registered": 3, "saved": 3, "submitted": 3}
    assert len(criteria_writes(queries)) == 2  # the set in use, then its criteria marked, once each
    assert facts(household_set) == (True, False, sorted(FULL_MARKS, key=codes_in_order(household_set).index))
    items = [(e, e.version) for e in Evaluation.objects.filter(criteria_set=household_set)]
    with CaptureQueriesContext(connection) as queries:
        batch.evaluations_decide(actor=personas["commune_officer"], items=items, approve=True)
    assert len(criteria_writes(queries)) == 1 and facts(household_set)[:2] == (True, True)
    assert_facts_are_those_of_the_evaluations()


def test_the_demo_records_what_the_services_would(admin_user, villages, reform_year):
    build_demo_evaluations(
        actor=admin_user, communes=[AdministrativeUnit.objects.get(tree=Tree.PRE_2025, code="01837")]
    )
    assert Evaluation.objects.filter(state=EvaluationState.APPROVED).exists() and Mark.objects.exists()
    assert_facts_are_those_of_the_evaluations()


def test_the_migration_records_the_facts_of_the_evaluations_made_before(personas, approved, household, household_set):
    other = services.evaluation_register(
        actor=personas["village_officer"],
        title="household",
        year=approved.year,
        subject=household("Đinh Thị Bình"),
        criteria_set=household_set,
    )
    services.evaluation_unlock(
        actor=personas["commune_officer"], evaluation=approved, version=approved.version, reason="Chấm lại"
    )
    assert other.state == EvaluationState.REGISTERED
    CriteriaSet.objects.update(in_use=False, frozen=False)
    Node.objects.update(marked=False)
    migration = importlib.import_module("evaluations.migrations.0005_record_criteria_facts")
    migration.record(apps, None)
    assert facts(household_set) == (True, True, list(FULL_MARKS))
    assert_facts_are_those_of_the_evaluations()


# Criteria's editing, with the facts recorded by real evaluations --------------------------------


def test_a_set_used_by_an_approved_evaluation_changes_only_in_a_new_version(client_for, personas, approved):
    version_1 = approved.criteria_set
    client = english(client_for(personas["province_officer"]))
    page = client.get(reverse("criteria:detail", args=[version_1.pk])).content.decode()
    assert "a change you make here creates version 2" in page
    node = version_1.nodes.get(code="3")
    response = client.post(
        reverse("criteria:node", args=[version_1.pk, node.pk]), node_form(node, max_points="25"), follow=True
    )
    version_2 = CriteriaSet.objects.get(based_on=version_1, version=2)
    assert response.redirect_chain[-1][0] == reverse("criteria:detail", args=[version_2.pk])
    assert "change was made in a new version, version 2; version 1 stays as it was" in response.content.decode()
    assert version_2.nodes.get(code="3").max_points == 25 and version_2.name == version_1.name
    assert version_1.nodes.get(code="3").max_points == 20 and codes_in_order(version_2) == codes_in_order(version_1)
    approved.refresh_from_db()
    assert approved.criteria_set == version_1 and approved.total == 100

    # Version 1 is history now: its page points at version 2, and a change to it is refused.
    page = client.get(reverse("criteria:detail", args=[version_1.pk]))
    assert page.context["newest"] == version_2 and not page.context["can_edit"]
    response = client.post(reverse("criteria:node", args=[version_1.pk, node.pk]), node_form(node, max_points="5"))
    assert response.url == reverse("criteria:detail", args=[version_2.pk])
    with pytest.raises(ValidationError) as error:
        editing.node_delete(actor=personas["province_officer"], criteria_set=version_1, node=node)
    assert error.value.code == "superseded"
    assert CriteriaSet.objects.filter(based_on=version_1).count() == 1

    # Version 2 is used by nothing approved: it is changed in place.
    response = client.post(reverse("criteria:edit", args=[version_2.pk]), set_form(version_2, pass_total="75"))
    assert response.url == reverse("criteria:detail", args=[version_2.pk])
    version_2.refresh_from_db()
    assert version_2.pass_total == 75 and version_1.pass_total == 70


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
def test_every_kind_of_change_to_a_frozen_set_goes_to_its_new_version(personas, approved, change):
    version_1 = approved.criteria_set
    before = set_to_yaml(version_1)
    target = CHANGES[change](personas["province_officer"], version_1)
    assert (target.version, target.based_on, target.is_default) == (2, version_1, False)
    assert set_to_yaml(version_1) == before and set_to_yaml(target) != before


def test_a_criterion_evaluations_have_marked_is_not_deleted_nor_rescored(personas, marked):
    criteria_set, officer = marked.criteria_set, personas["province_officer"]
    node = criteria_set.nodes.get(code="3")
    with pytest.raises(ValidationError) as error:
        editing.node_delete(actor=officer, criteria_set=criteria_set, node=node)
    assert error.value.code == "marked"
    with pytest.raises(ValidationError) as error:
        editing.node_change(
            actor=officer,
            criteria_set=criteria_set,
            node=node,
            values=NodeValues("3", "", "criterion", node.name, "pass_fail"),
        )
    assert error.value.code == "marked"
    assert criteria_set.nodes.filter(code="3", scoring="points").exists()

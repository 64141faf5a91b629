"""Learning citizens counted: registered and recognised per year at their village and every unit above
it, lượt over years and distinct persons from the recognition patterns, kept current by the
services and equal to a rebuild from the records; their evaluations seen only by those who see persons."""

import datetime

import pytest

from conftest import unit
from criteria.models import Title
from criteria.services import criteria_set_missing
from evaluations import decisions, services
from evaluations.demo_sets import build_illustration_sets
from evaluations.models import Evaluation
from registry.citizens import citizen_create
from stats.figures import distinct_recognised
from stats.models import Fact
from stats.patterns import computed_patterns, stored_patterns
from stats.rebuild import rebuild_all

from .test_facts import snapshot, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_set(admin_user):
    return build_illustration_sets(actor=admin_user)[0]["citizen"]


@pytest.fixture
def persons(admin_user, villages):
    def make(name, village):
        return citizen_create(actor=admin_user, village=villages[village], full_name=name, birth_year=1980, sex="Nữ")

    return {
        "mai": make("Hoàng Thị Mai", "song_cau_1"),
        "lan": make("Đinh Thị Lan", "song_cau_2"),
        "hoa": make("Lý Thị Hoa", "ban_thi"),
    }


def approved(actor, criteria_set, person, year, points=10):
    evaluation = services.evaluation_register(
        actor=actor, title=Title.CITIZEN, year=year, subject=person, criteria_set=criteria_set
    )
    marks = {node.code: points for node in criteria_set.nodes.filter(children=None)}
    evaluation = services.evaluation_marks_save(
        actor=actor, evaluation=evaluation, version=evaluation.version, marks=marks
    )
    evaluation = services.evaluation_submit(actor=actor, evaluation=evaluation, version=evaluation.version)
    return services.evaluation_approve(actor=actor, evaluation=evaluation, version=evaluation.version)


def published(actor, evaluations, *, year, area):
    decision = decisions.decision_create(
        actor=actor,
        title=Title.CITIZEN,
        year=year,
        issuing_area=unit(*area),
        number=f"{len(evaluations)}/QĐ-UBND",
        date=datetime.date(year, 12, 20),
        issuing_body="UBND",
        signer="Nguyễn Văn Bình",
        legal_basis="",
        evaluations=evaluations,
    )
    return decisions.decision_publish(actor=actor, decision=decision)


def test_the_shipped_set_has_the_known_structure_and_the_illustration_is_complete(citizen_set):
    shipped = citizen_set.based_on
    assert shipped.is_default and shipped.legal_number == "677/QĐ-TTg"
    competences = list(shipped.nodes.order_by("position"))
    assert [(n.code, n.kind, n.name, n.max_points) for n in competences] == [
        ("1", "standard", "", None),
        ("2", "standard", "", None),
        ("3", "standard", "", None),
    ]
    assert "10 tiêu chí, thang 100 điểm" in shipped.note and shipped.pass_total is None
    assert criteria_set_missing(shipped)  # the unknowns are said, not invented
    assert citizen_set.is_illustration and citizen_set.name.endswith("(minh hoạ)")
    assert criteria_set_missing(citizen_set) == []
    criteria = citizen_set.nodes.exclude(parent=None)
    assert criteria.count() == 10 and sum(n.max_points for n in criteria) == 100


def test_registered_and_recognised_reach_every_ancestor_and_equal_a_rebuild(
    admin_user, citizen_set, persons, reform_year
):
    before = reform_year - 1
    mai_before = approved(admin_user, citizen_set, persons["mai"], before)
    hoa_before = approved(admin_user, citizen_set, persons["hoa"], before)
    mai_now = approved(admin_user, citizen_set, persons["mai"], reform_year)
    lan_now = approved(admin_user, citizen_set, persons["lan"], reform_year, points=3)  # 30 of 100: not achieved
    published(admin_user, [mai_before], year=before, area=("pre2025", "01837"))
    published(admin_user, [hoa_before], year=before, area=("pre2025", "02035"))
    published(admin_user, [mai_now], year=reform_year, area=("2025", "01843"))
    assert lan_now.result == "not_achieved"

    old_province, new_commune, new_province = unit("pre2025", "06"), unit("2025", "01843"), unit("2025", "19")
    assert value(unit("pre2025", "01837"), before, "citizen", "registered") == 1
    assert value(old_province, before, "citizen", "registered") == 2
    assert value(old_province, before, "citizen", "recognised") == 2
    assert value(new_commune, reform_year, "citizen", "registered") == 2
    assert value(new_province, reform_year, "citizen", "recognised") == 1
    # Persons are counted at their village, as households are (test_citizen_villages_and_base.py).
    mai_village = persons["mai"].village
    assert Fact.objects.get(village=mai_village, year=before, title="citizen", measure="recognised").value == 1
    # Lượt over the two years on the old tree's province: two in the earlier year; distinct on the new
    # commune over both years: Mai once, though recognised by the old commune and by the new one.
    assert distinct_recognised(old_province, "citizen", [before], "pre2025") == 2
    assert distinct_recognised(new_commune, "citizen", [reform_year], "2025") == 1

    incremental, patterns = snapshot(), stored_patterns()
    assert patterns == computed_patterns()
    rebuild_all()
    assert snapshot() == incremental and stored_patterns() == patterns

    decisions.decision_revoke(
        actor=admin_user,
        decision=mai_now.decisions.get(),
        reason="Sai danh sách",
    )
    assert value(new_province, reform_year, "citizen", "recognised") == 0
    assert stored_patterns() == computed_patterns()
    incremental = snapshot()
    rebuild_all()
    assert snapshot() == incremental


def test_evaluations_of_persons_are_seen_by_those_who_see_persons_in_scope(
    admin_user, personas, citizen_set, persons, reform_year
):
    mine = services.evaluation_register(
        actor=admin_user, title=Title.CITIZEN, year=reform_year, subject=persons["mai"], criteria_set=citizen_set
    )
    other = services.evaluation_register(
        actor=admin_user, title=Title.CITIZEN, year=reform_year, subject=persons["lan"], criteria_set=citizen_set
    )

    def seen(persona):
        return set(Evaluation.objects.visible_to(personas[persona]).values_list("pk", flat=True))

    assert seen("commune_officer") == {mine.pk, other.pk}
    assert seen("village_officer") == {mine.pk}
    assert seen("other_commune_officer") == set()
    assert seen("viewer") == set()  # figures yes, persons' names no

"""No lost update between two real database connections: two officers read the same version of an
evaluation and save different marks at the same moment; PostgreSQL's row lock makes the second
writer wait for the first, then the version check refuses it.

The test commits for real (each thread has its own connection and sees only committed rows), so its
database is emptied when it ends, like the browser journeys': it builds everything it needs itself.
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts.models import User
from accounts.roles import Role
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree
from audit.models import AuditEntry
from criteria.models import CriteriaSet, Node, NodeKind, ResultRule, Scoring, Title
from evaluations import services
from evaluations.models import Evaluation

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two writers need PostgreSQL's row locks"),
]

MARKS = {"first": {"1": Decimal(40), "2": Decimal(30)}, "second": {"1": Decimal(10), "2": Decimal(20)}}


@pytest.fixture
def commune_evaluation(reform_year):
    """A commune's registered evaluation against a small illustration set, and two of its officers."""
    if not AdministrativeUnit.objects.exists():
        load_administrative_units()
    commune = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843")
    officers = [
        User.objects.create_user(f"c.backan.{n}", password="x", role=Role.COMMUNE_OFFICER, unit=commune) for n in (1, 2)
    ]
    criteria_set = CriteriaSet.objects.create(
        title=Title.COMMUNE,
        name="Hai tiêu chí (minh hoạ)",
        valid_from=2015,
        rule=ResultRule.THRESHOLD,
        pass_total=Decimal(50),
        recognised_results=["achieved"],
        is_illustration=True,
    )
    for position, code in enumerate(("1", "2")):
        Node.objects.create(
            criteria_set=criteria_set,
            position=position,
            kind=NodeKind.CRITERION,
            code=code,
            name=f"Tiêu chí {code} (minh hoạ)",
            scoring=Scoring.POINTS,
            max_points=50,
        )
    evaluation = services.evaluation_register(
        actor=officers[0], title=Title.COMMUNE, year=reform_year, subject=commune, criteria_set=criteria_set
    )
    return evaluation, officers


def _at_once(work, keys) -> dict:
    """`work(key, ready)` for each key on a thread of its own (its own connection); `ready` is a barrier
    all of them reach before writing. key → "saved", the refusal's code, or the unexpected error."""
    ready = threading.Barrier(len(keys), timeout=30)
    outcome = {}

    def run(key):
        try:
            work(key, ready)
            outcome[key] = "saved"
        except ValidationError as error:
            outcome[key] = error.code
        except Exception as error:  # reported by the assertions rather than lost in the thread
            outcome[key] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcome


def test_two_officers_saving_the_same_version_at_once_one_wins_and_nothing_is_lost(commune_evaluation):
    evaluation, officers = commune_evaluation
    officer_of = dict(zip(MARKS, officers, strict=True))

    def save(name, both_have_read):
        officer = User.objects.get(pk=officer_of[name].pk)
        seen = Evaluation.objects.get(pk=evaluation.pk)  # version N, read on this thread's own connection
        both_have_read.wait()
        services.evaluation_marks_save(actor=officer, evaluation=seen, version=seen.version, marks=MARKS[name])

    outcome = _at_once(save, list(MARKS))
    assert sorted(outcome.values()) == ["saved", "stale"], outcome
    winner = next(name for name, result in outcome.items() if result == "saved")
    evaluation.refresh_from_db()
    stored = {mark.node.code: mark.points for mark in evaluation.marks.select_related("node")}
    assert stored == MARKS[winner]
    assert evaluation.version == 2 and evaluation.total == sum(MARKS[winner].values())
    saves = AuditEntry.objects.filter(action="evaluation.marks", object_id=str(evaluation.pk))
    assert saves.count() == 1


def test_two_officers_registering_one_subject_at_once_one_is_told_it_is_registered(commune_evaluation, reform_year):
    """Both find no evaluation of the commune for the year and insert one (a double click on “Register”):
    the second waits on the first's row, then is told, as when it had found it, not shown an error page."""
    evaluation, officers = commune_evaluation
    criteria_set, commune = evaluation.criteria_set, evaluation.area
    Evaluation.objects.filter(pk=evaluation.pk).delete()  # test data: the race starts from no evaluation

    def register(officer_pk, both_ready):
        officer = User.objects.get(pk=officer_pk)
        both_ready.wait()
        services.evaluation_register(
            actor=officer, title=Title.COMMUNE, year=reform_year, subject=commune, criteria_set=criteria_set
        )

    outcome = _at_once(register, [officer.pk for officer in officers])
    assert sorted(outcome.values()) == ["duplicate", "saved"], outcome
    assert Evaluation.objects.filter(commune=commune, year=reform_year).count() == 1

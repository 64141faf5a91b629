"""No lost update of an approving level or a deadline between real database connections: twenty
system administrators read the same version of a national rule and change it at the same moment; one
change lands, the others are told and write nothing, and the one history entry's “before” is what all
of them saw.

The test commits for real (each thread has its own connection), so its database is emptied when it
ends: it builds everything it needs itself."""

from datetime import date

import pytest
from django.db import connection

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry
from evaluations import rules
from evaluations.models import ApproverRule, Deadline
from registry.tests.test_concurrency import WRITERS, _race

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="writers in parallel need PostgreSQL's row locks"),
]


@pytest.fixture
def administrator():
    return User.objects.create_user("admin.race", password="x", role=Role.SYSTEM_ADMIN)


def test_twenty_parallel_changes_of_a_national_approving_level_one_wins(administrator):
    ApproverRule.objects.filter(title="clan", tree="2025").delete()  # the migration's defaults, if the flush left them
    first = rules.approver_rule_save(
        actor=administrator, title="clan", tree="2025", from_year=2030, to_year=None, level=3
    )

    def save(n):
        rules.approver_rule_save(
            actor=User.objects.get(pk=administrator.pk),
            rule=ApproverRule.objects.get(pk=first.pk),
            version=first.version,
            title="clan",
            tree="2025",
            from_year=2030 + n,
            to_year=None,
            level=3,
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] + ["stale"] * (WRITERS - 1), outcome
    winner = next(n for n, result in outcome.items() if result == "saved")
    rule = ApproverRule.objects.get(pk=first.pk)
    assert (rule.from_year, rule.version) == (2030 + winner, 2)
    saves = AuditEntry.objects.filter(action="approver_rule.save", object_id=str(first.pk)).order_by("id")
    assert [(entry.before or {}).get("from_year") for entry in saves] == [None, 2030]


def test_twenty_parallel_changes_of_a_national_deadline_one_wins(administrator):
    first = rules.deadline_save(
        actor=administrator, title="clan", year=2030, kind="registration", due=date(2030, 1, 31)
    )

    def save(n):
        rules.deadline_save(
            actor=User.objects.get(pk=administrator.pk),
            deadline=Deadline.objects.get(pk=first.pk),
            version=first.version,
            title="clan",
            year=2030,
            kind="registration",
            due=date(2030, 2, 1 + n),
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] + ["stale"] * (WRITERS - 1), outcome
    winner = next(n for n, result in outcome.items() if result == "saved")
    deadline = Deadline.objects.get(pk=first.pk)
    assert (deadline.due, deadline.version) == (date(2030, 2, 1 + winner), 2)
    saves = AuditEntry.objects.filter(action="deadline.save", object_id=str(first.pk)).order_by("id")
    assert [(entry.before or {}).get("due") for entry in saves] == [None, "2030-01-31"]


def test_one_new_deadline_saved_twenty_times_at_once_is_saved_once_and_the_others_are_told(administrator):
    """A new deadline has no row to lock: the unique rule lets one through, the others hear why."""

    def save(n):
        rules.deadline_save(
            actor=User.objects.get(pk=administrator.pk),
            title="clan",
            year=2031,
            kind="registration",
            due=date(2031, 1, 31),
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["kind"] * (WRITERS - 1) + ["saved"], outcome
    assert Deadline.objects.filter(title="clan", year=2031, area=None).count() == 1

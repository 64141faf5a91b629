"""No lost update of a target between real database connections: twenty officers of one province read
the same version of its own target and save different percentages at the same moment. PostgreSQL's row
lock makes each writer wait for the one before; the version check then refuses all but the first, and
the history's “before” is the value everyone saw. Twenty first targets of the same title and year at
once: one is saved, the others are told (the unique constraint, not a 500).

The test commits for real (each thread has its own connection), so its database is emptied when it
ends: it builds everything it needs itself."""

from decimal import Decimal

import pytest
from django.db import connection

from accounts.models import User
from accounts.roles import Role
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Level, Tree
from audit.models import AuditEntry
from registry.tests.test_concurrency import WRITERS, _race
from stats.models import Target
from stats.targets import target_save

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="writers in parallel need PostgreSQL's row locks"),
]


@pytest.fixture
def officer():
    if not AdministrativeUnit.objects.exists():
        load_administrative_units()
    province = AdministrativeUnit.objects.get(tree=Tree.Y2025, level=Level.PROVINCE, code="19")
    return User.objects.create_user("p.thainguyen.race", password="x", role=Role.PROVINCE_OFFICER, unit=province)


def test_twenty_parallel_changes_of_a_target_one_wins_the_others_are_told(officer):
    first = target_save(actor=officer, title="clan", year=2030, percent=70, area=officer.unit, source="KH")

    def save(n):
        target_save(
            actor=User.objects.get(pk=officer.pk),
            title="clan",
            year=2030,
            percent=Decimal(71 + n),
            area=officer.unit,
            source="KH",
            version=first.version,
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] + ["stale"] * (WRITERS - 1), outcome
    winner = next(n for n, result in outcome.items() if result == "saved")
    target = Target.objects.get(pk=first.pk)
    assert (target.percent, target.version) == (Decimal(71 + winner), 2)
    saves = AuditEntry.objects.filter(action="target.save", object_id=str(first.pk)).order_by("id")
    assert [(entry.before or {}).get("percent") for entry in saves] == [None, "70.00"]


def test_twenty_first_targets_of_the_same_title_and_year_one_is_saved(officer):
    def save(n):
        target_save(
            actor=User.objects.get(pk=officer.pk), title="unit", year=2030, percent=Decimal(50 + n), area=officer.unit
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] + ["stale"] * (WRITERS - 1), outcome
    assert Target.objects.filter(area=officer.unit, title="unit", year=2030).count() == 1
    assert AuditEntry.objects.filter(action="target.save").count() == 1

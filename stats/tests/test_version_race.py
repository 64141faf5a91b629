"""No lost update of an entered total between real database connections: twenty officers read the same
version of a commune's total and save different values at the same moment. PostgreSQL's row lock makes
each writer wait for the one before; the version check then refuses all but the first, and the history's
“before” is the value everyone saw.

The test commits for real (each thread has its own connection), so its database is emptied when it
ends: it builds everything it needs itself."""

import pytest
from django.db import connection

from accounts.models import User
from accounts.roles import Role
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree
from audit.models import AuditEntry
from registry.tests.test_concurrency import WRITERS, _race
from stats import services
from stats.models import EnteredAggregate

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="writers in parallel need PostgreSQL's row locks"),
]


@pytest.fixture
def officer(reform_year):
    if not AdministrativeUnit.objects.exists():
        load_administrative_units()
    commune = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843")
    return User.objects.create_user("c.backan.total", password="x", role=Role.COMMUNE_OFFICER, unit=commune)


def test_twenty_parallel_changes_of_an_entered_total_one_wins_the_others_are_told(officer, reform_year):
    figure = {"year": reform_year, "title": "household", "measure": "registered"}
    first = services.aggregate_save(actor=officer, unit=officer.unit, value=100, **figure)

    def save(n):
        services.aggregate_save(
            actor=User.objects.get(pk=officer.pk), unit=officer.unit, value=200 + n, version=first.version, **figure
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] + ["stale"] * (WRITERS - 1), outcome
    winner = next(n for n, result in outcome.items() if result == "saved")
    total = EnteredAggregate.objects.get(pk=first.pk)
    assert (total.value, total.version) == (200 + winner, 2)
    saves = AuditEntry.objects.filter(action="aggregate.save", object_id=str(first.pk)).order_by("id")
    assert [(entry.before or {}).get("value") for entry in saves] == [None, 100]

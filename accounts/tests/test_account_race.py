"""One account created twice at once (a double click on “Create”): the user name's uniqueness lets one
through and the other is told the name is taken, not shown an error page. Real connections: the
database is emptied when the test ends, so it builds what it needs itself."""

import pytest
from django.db import connection

from accounts import services
from accounts.models import User
from accounts.roles import Role
from areas.loader import load_administrative_units
from areas.models import AdministrativeUnit, Tree
from registry.tests.test_concurrency import WRITERS, _race

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="writers in parallel need PostgreSQL"),
]


def test_one_account_created_twice_at_once_is_created_once_and_the_second_is_told():
    if not AdministrativeUnit.objects.exists():
        load_administrative_units()
    commune = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="01843")
    admin = User.objects.create_user("admin.race", password="x", role=Role.SYSTEM_ADMIN)

    def save(n):
        services.account_create(
            actor=User.objects.get(pk=admin.pk),
            username="can.bo.xa",
            full_name="Cán bộ xã",
            role=Role.COMMUNE_OFFICER,
            unit=commune,
        )

    outcome = _race(save)
    assert sorted(outcome.values()) == ["saved"] + ["unique"] * (WRITERS - 1), outcome
    assert User.objects.filter(username="can.bo.xa").count() == 1

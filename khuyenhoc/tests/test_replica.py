"""Reads of figures from a replica, writes to the primary, and read-your-writes (issue 17).

The suite's "replica" alias is a second connection mirroring the test database (settings_test.py), so
a test sees which connection each query took."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import Role
from areas.loader import load_administrative_units
from conftest import PASSWORD
from core.routing import PRIMARY, REPLICA, ReplicaRouter, replica_reads
from khuyenhoc.replica import PIN_COOKIE
from stats.models import Fact

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def officer(settings):
    settings.KHUYENHOC_READ_REPLICA = True
    if not User.objects.exists():
        load_administrative_units()
    return User.objects.create_user("tinh.backan", password=PASSWORD, role=Role.SYSTEM_ADMIN)


def fact_reads(context):
    return [q["sql"] for q in context.captured_queries if Fact._meta.db_table in q["sql"]]


def statistics(client):
    with CaptureQueriesContext(connections[PRIMARY]) as primary, CaptureQueriesContext(connections[REPLICA]) as replica:
        response = client.get("/statistics/", {"area": "pre2025:06", "year": 2018})
    assert response.status_code == 200
    return fact_reads(primary), fact_reads(replica)


def test_the_router_reads_from_the_replica_only_when_the_request_may_and_always_writes_to_the_primary():
    router = ReplicaRouter()
    assert router.db_for_read(Fact) == PRIMARY
    token = replica_reads.set(True)
    try:
        assert router.db_for_read(Fact) == REPLICA
        assert router.db_for_write(Fact) == PRIMARY
    finally:
        replica_reads.reset(token)
    assert router.allow_migrate(PRIMARY, "stats") and not router.allow_migrate(REPLICA, "stats")


def test_a_page_of_figures_reads_them_from_the_replica(client, officer):
    client.force_login(officer)
    on_primary, on_replica = statistics(client)
    assert on_replica and not on_primary


def test_whoever_just_saved_reads_from_the_primary(client, officer):
    """Logging in writes the session: the next page of figures must not miss it on a lagging replica."""
    response = client.post("/accounts/login/", {"username": "tinh.backan", "password": PASSWORD})
    assert response.status_code == 302 and PIN_COOKIE in response.cookies
    on_primary, on_replica = statistics(client)
    assert on_primary and not on_replica


def test_pages_that_are_not_figures_read_from_the_primary(client, officer):
    client.force_login(officer)
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert client.get("/registry/households/").status_code == 200
    assert replica.captured_queries == []


def test_without_a_replica_nothing_changes(client, officer, settings):
    settings.KHUYENHOC_READ_REPLICA = False
    client.force_login(officer)
    on_primary, on_replica = statistics(client)
    assert on_primary and not on_replica
    assert PIN_COOKIE not in client.post("/accounts/login/", {"username": "x", "password": "y"}).cookies

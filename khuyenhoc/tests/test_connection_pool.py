"""Connections (issue 17, item 4): with DATABASE_POOL_MAX_SIZE a PostgreSQL server's threads share a pool
of that many connections (Django's own pool), which then replaces persistent connections; SQLite, and a
server without the setting, are left as they were."""

import runpy

import pytest
from django.conf import settings
from django.db import connections

from khuyenhoc.tests.test_production_settings import SERVER, SETTINGS

POSTGRES = "postgres://khuyenhoc@db.example:5432/khuyenhoc"


def databases(monkeypatch, **environment) -> dict:
    for name in ("DATABASE_POOL_MAX_SIZE", "DATABASE_POOL_TIMEOUT", "DATABASE_REPLICA_URL", "DATABASE_CONN_MAX_AGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**SERVER, **environment}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))["DATABASES"]


def test_a_pool_of_the_size_given_replaces_persistent_connections_on_the_primary_and_the_replica(monkeypatch):
    found = databases(
        monkeypatch,
        DATABASE_URL=POSTGRES,
        DATABASE_REPLICA_URL=POSTGRES.replace("db.", "replica."),
        DATABASE_POOL_MAX_SIZE="8",
        DATABASE_POOL_TIMEOUT="5",
    )
    for alias in ("default", "replica"):
        assert found[alias]["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 5}
        assert found[alias]["CONN_MAX_AGE"] == 0  # Django refuses a pool beside persistent connections


def test_without_the_setting_each_thread_keeps_its_connection(monkeypatch):
    found = databases(monkeypatch, DATABASE_URL=POSTGRES)
    assert "pool" not in found["default"].get("OPTIONS", {})
    assert found["default"]["CONN_MAX_AGE"] == 60


def test_sqlite_has_no_pool(monkeypatch, tmp_path):
    found = databases(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", DATABASE_POOL_MAX_SIZE="8")
    assert "pool" not in found["default"]["OPTIONS"]


@pytest.mark.postgres_only
@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql", reason="PostgreSQL")
@pytest.mark.django_db
def test_a_pooled_connection_answers_queries():
    """The pool's package is installed and Django opens its connections from it."""
    default = connections["default"]
    pooled = {**default.settings_dict, "CONN_MAX_AGE": 0, "OPTIONS": {"pool": {"min_size": 1, "max_size": 2}}}
    wrapper = default.__class__(pooled, alias="pooled")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        assert wrapper.pool is not None
    finally:
        wrapper.close()
        wrapper.close_pool()

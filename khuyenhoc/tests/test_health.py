"""The health route: what a load balancer and the deploy units ask before sending work."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone

from khuyenhoc.management.commands.run_worker import beat
from khuyenhoc.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def health(client):
    response = client.get("/health/")
    return response.status_code, json.loads(response.content)


def test_a_recent_heartbeat_and_a_database_are_healthy(client):
    now = timezone.now()
    WorkerHeartbeat.objects.create(name="web1:42", started_at=now, beat_at=now)
    status, body = health(client)
    assert status == 200
    assert body["status"] == body["database"] == body["worker"] == "ok"
    assert "no-cache" in client.get("/health/")["Cache-Control"]


def test_no_worker_or_a_late_one_is_unavailable_and_says_which(client, settings):
    status, body = health(client)
    assert (status, body["worker"], body["database"]) == (503, "unavailable", "ok")
    late = timezone.now() - timedelta(seconds=settings.KHUYENHOC_WORKER_STALE_SECONDS + 5)
    WorkerHeartbeat.objects.create(name="web1:42", started_at=late, beat_at=late)
    status, body = health(client)
    assert (status, body["worker"]) == (503, "unavailable")
    assert body["worker_beat_age_seconds"] > settings.KHUYENHOC_WORKER_STALE_SECONDS


def test_a_database_that_does_not_answer_is_unavailable(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken)
    status, body = health(client)
    assert (status, body["database"], body["worker"]) == (503, "unavailable", "unavailable")


def test_only_get_is_answered(client):
    assert client.post("/health/").status_code == 405


def test_a_beat_creates_then_moves_the_workers_row():
    started = timezone.now() - timedelta(minutes=5)
    beat("web1:42", started)
    first = WorkerHeartbeat.objects.get(name="web1:42").beat_at
    beat("web1:42", started)
    row = WorkerHeartbeat.objects.get(name="web1:42")
    assert row.beat_at >= first and row.started_at == started


@pytest.mark.django_db(transaction=True)  # the worker closes its connections as a real one does
def test_a_worker_forgets_long_dead_ones_and_takes_its_own_row_away_when_it_stops(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as on a server
    long_ago = timezone.now() - timedelta(days=2)
    WorkerHeartbeat.objects.create(name="gone:1", started_at=long_ago, beat_at=long_ago)
    recent = timezone.now() - timedelta(minutes=1)
    WorkerHeartbeat.objects.create(name="other:2", started_at=recent, beat_at=recent)
    call_command("run_worker", "--batch", "--interval", "0.1", stdout=io.StringIO(), stderr=io.StringIO())
    assert list(WorkerHeartbeat.objects.values_list("name", flat=True)) == ["other:2"]

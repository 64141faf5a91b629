"""The background worker as the deploy units and `scripts/serve` run it: django-tasks' `db_worker` on every
queue, with a heartbeat beside it that the health route reads (`/health/`)."""

import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from accounts.credentials import credentials_sweep
from khuyenhoc.models import WorkerHeartbeat

# A worker that has not beaten for a day is gone for good; its row only clutters the table.
FORGET_AFTER = timedelta(days=1)
# How often the worker clears what is kept only for a while (imports' temporary passwords).
HOUSEKEEPING_EVERY = timedelta(hours=1)


def beat(name: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"started_at": started_at, "beat_at": timezone.now()})


def _beat_forever(name: str, started_at, stop: threading.Event) -> None:
    """Beats every KHUYENHOC_WORKER_BEAT_SECONDS on its own connection. A failed beat (the database busy
    or restarting) is retried at the next one rather than stopping the worker: the health route will say
    the worker is late if it lasts."""
    kept_until = timezone.now() + HOUSEKEEPING_EVERY
    while not stop.wait(settings.KHUYENHOC_WORKER_BEAT_SECONDS):
        try:
            close_old_connections()
            beat(name, started_at)
        except DatabaseError:
            pass
        if timezone.now() >= kept_until:
            credentials_sweep()
            kept_until = timezone.now() + HOUSEKEEPING_EVERY
    connection.close()


class Command(BaseCommand):
    help = "Run the background worker (imports, documents) with a heartbeat for the health route."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*")
        parser.add_argument("--interval", type=float, default=1)
        parser.add_argument("--batch", action="store_true", help="Run what is waiting, then stop.")

    def handle(self, *args, queue_name, interval, batch, **options):
        name = f"{socket.gethostname()}:{os.getpid()}"
        started_at = timezone.now()
        WorkerHeartbeat.objects.filter(beat_at__lt=started_at - FORGET_AFTER).delete()
        credentials_sweep()
        beat(name, started_at)
        stop = threading.Event()
        beater = threading.Thread(target=_beat_forever, args=(name, started_at, stop), daemon=True)
        beater.start()
        try:
            call_command("db_worker", queue_name=queue_name, interval=interval, batch=batch, reload=False)
        finally:
            stop.set()
            beater.join(timeout=5)
            # A worker that stops cleanly says so at once instead of letting its heartbeat age.
            WorkerHeartbeat.objects.filter(name=name).delete()

from datetime import timedelta

from django.core.management.base import BaseCommand

from imports.services import import_jobs_sweep


class Command(BaseCommand):
    help = (
        "Mark failed every import job whose worker stopped while checking or saving it (its heartbeat is "
        "old). --alone: no worker is running now (a worker about to start is the only one), so every "
        "job a worker had started is abandoned, however recent its heartbeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--alone", action="store_true")

    def handle(self, *args, alone=False, **options):
        swept = import_jobs_sweep(older_than=timedelta(0)) if alone else import_jobs_sweep()
        self.stdout.write(f"{swept} abandoned import job(s) marked failed.")

import time

from django.core.management.base import BaseCommand
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from areas.loader import load_administrative_units


class Command(BaseCommand):
    help = "Load both administrative trees and the 2025 old → new mapping from the vietnamadminunits package."

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = load_administrative_units()
        self.stdout.write(
            _(
                "Administrative units: %(created)d created, %(updated)d updated, %(unchanged)d unchanged; "
                "successions: %(s_created)d created, %(s_updated)d updated (%(seconds)s s)."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "s_created": result.successions_created,
                "s_updated": result.successions_updated,
                "seconds": number_format(time.perf_counter() - started, decimal_pos=1),
            }
        )

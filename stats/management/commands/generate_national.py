from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from stats.generator import AlreadyPopulated, generate


class Command(BaseCommand):
    help = (
        "Generate a national-size dataset for benchmarks (about 100,000 villages and 27 million households and "
        "evaluations at size 1.0) on the loaded units, then rebuild the facts. For benchmark databases only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=float, default=1.0, help="Share of the national size (1.0: all of it).")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--year", type=int, default=2024, help="The year of household evaluations.")
        parser.add_argument("--force", action="store_true", help="Generate even if the database holds households.")

    def handle(self, *args, size, seed, year, force, **options):
        if size <= 0:
            raise CommandError(_("The size must be above zero."))
        try:
            written = generate(size=size, seed=seed, year=year, force=force, report=self.stdout.write)
        except AlreadyPopulated as error:
            raise CommandError(
                _("This database already holds households: generated data is for benchmark databases. Use --force.")
            ) from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        counts = (f"{name}: {number_format(count, force_grouping=True)}" for name, count in written.items())
        self.stdout.write(", ".join(counts))

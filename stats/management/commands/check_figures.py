from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stats.verify import verify


class Command(BaseCommand):
    help = "Check every year's figures: each is its own records plus its children, and equals a rebuild."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int)

    def handle(self, *args, years, **options):
        results = verify(years or None)
        failed = 0
        patterns = results.pop("patterns")
        for year, problems in sorted(results.items()):
            if problems:
                failed += 1
                self.stdout.write(_("%(year)d: %(count)d problems") % {"year": year, "count": len(problems)})
                for problem in problems[:20]:
                    self.stdout.write(f"  {problem}")
            else:
                self.stdout.write(_("%(year)d: every figure adds up and equals a rebuild.") % {"year": year})
        if patterns:
            failed += 1
            for problem in patterns[:20]:
                self.stdout.write(f"  {problem}")
        else:
            self.stdout.write(_("Recognition patterns equal a rebuild."))
        if failed:
            raise CommandError(_("%(count)d checks found problems.") % {"count": failed})

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD, build_demo_accounts, demo_logins, ensure_demo_admin
from areas.demo import build_demo_villages
from areas.models import AdministrativeUnit
from evaluations.demo import build_demo_evaluations
from evaluations.demo_citizens import build_demo_citizens
from registry.demo import build_demo_registries
from registry.demo_network import build_demo_network
from stats.demo import build_demo_history
from stats.demo_targets import build_demo_targets


class Command(BaseCommand):
    help = "Build the demo province (Bắc Kạn) and its accounts. Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--logins-only", action="store_true", help="Only print the demo logins.")

    def handle(self, *args, seed, logins_only, **options):
        if logins_only:
            self._print_logins(demo_logins())
            return
        if not AdministrativeUnit.objects.exists():
            call_command("load_admin_units", stdout=self.stdout)
        admin = ensure_demo_admin()
        counts = build_demo_villages(actor=admin, seed=seed)
        self.stdout.write(
            _("Demo villages: %(villages_created)d created, %(villages_moved)d moved to the 2025 tree.") % counts
        )
        registries = build_demo_registries(actor=admin, seed=seed)
        self.stdout.write(
            _("Demo registries: %(households)d households, %(clans)d clans, %(units)d units added.") % registries
        )
        network = build_demo_network(seed=seed)
        self.stdout.write(
            _(
                "Demo network: %(associations)d associations, %(association_years)d yearly reports, "
                "%(area_years)d yearly bases added."
            )
            % network
        )
        evaluations = build_demo_evaluations(actor=admin, seed=seed)
        self.stdout.write(
            _(
                "Demo evaluations: %(sets)d illustration criteria sets, %(evaluations)d evaluations, %(marks)d marks, "
                "%(decisions)d decisions, %(deadlines)d deadlines added."
            )
            % evaluations
        )
        # The demo's rows were written in bulk: PostgreSQL's planner must learn their size before the
        # decision services query them, or it keeps the plans of a nearly empty database (minutes, not
        # milliseconds). ANALYZE inside the transaction counts its own new rows.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        citizens = build_demo_citizens(actor=admin, seed=seed)
        self.stdout.write(
            _(
                "Demo learning citizens: %(citizens)d persons, %(evaluations)d evaluations with the illustration "
                "set, %(decisions)d decisions added."
            )
            % citizens
        )
        history = build_demo_history(actor=admin, seed=seed)
        history["targets"] = build_demo_targets(admin)
        self.stdout.write(
            _(
                "Demo statistics: %(aggregates)d entered totals for 2016–2018, %(facts)d figures computed, "
                "%(targets)d provincial targets for 2020."
            )
            % history
        )
        build_demo_accounts(admin)
        self._print_logins(demo_logins())

    def _print_logins(self, logins):
        self.stdout.write(_("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        for username, role, area in logins:
            self.stdout.write(f"  {username:<18} {role:<28} {area}")

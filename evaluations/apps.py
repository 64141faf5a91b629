from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations and recognition")

    def ready(self):
        from core.changes import subscribe
        from registry.changes import HouseholdsMoved

        from .household_villages import households_moved
        from .wording import describe

        describe()
        subscribe(HouseholdsMoved, households_moved)

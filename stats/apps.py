from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    # "stats", not "statistics": a top-level package of that name would hide Python's own module.
    name = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        from .changes import subscribe_all
        from .wording import describe

        subscribe_all()
        describe()

"""What the project itself keeps: the background worker's heartbeat, read by the health route."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running worker process, written every few seconds while it runs (idle or busy).

    A job's own heartbeat (imports) only beats while a job runs; this one says that a worker is there to
    take the next job, which is what a load balancer or a monitor needs to know."""

    name = models.CharField(_("worker"), max_length=200, unique=True)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.name

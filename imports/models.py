"""An import is a job row: upload → preview (nothing written) → commit (all or nothing)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .kinds import kind_label


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting to be checked")
    PREVIEWING = "previewing", _("Checking")
    PREVIEWED = "previewed", _("Checked: ready to commit")
    INVALID = "invalid", _("Has errors: nothing was changed")
    COMMITTING = "committing", _("Saving")
    COMMITTED = "committed", _("Saved")
    FAILED = "failed", _("Failed: nothing was changed")


RUNNING = {JobStatus.UPLOADED, JobStatus.PREVIEWING, JobStatus.COMMITTING}


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        from accounts.scope import scope_for

        if scope_for(user).everything:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user)


class ImportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Written by the worker every few seconds while it checks or saves the file: a job still "checking" or
    # "saving" whose heartbeat has stopped lost its worker. Empty while the job waits for a worker.
    heartbeat_at = models.DateTimeField(_("worker's heartbeat"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    samples = models.JSONField(default=dict, blank=True)
    # Rows the check let through but the officer must confirm before saving (sheet, row, column, message).
    warnings = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.original_name}"

    @property
    def is_running(self):
        return self.status in RUNNING

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def audit_source(self) -> str:
        """The `source` of the audit entries of the records this import changed."""
        return f"import:{self.pk}"

    @property
    def audit_reason(self) -> str:
        """The reason those entries give, shown in each record's history."""
        return gettext("Import #%(job)d") % {"job": self.pk}

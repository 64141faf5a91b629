"""Who changed what, when, from what to what: one row per change, written by the service layer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    # An import writes one entry per record it creates or changes (millions for a national file):
    # the table keeps only the indexes its pages read by, a record's history and an import's entries.
    # No constraint in the database: checking it cost an import of 200,000 households 0.7 s at commit
    # (one deferred trigger per entry), more than writing the entries' indexes. Accounts are never
    # deleted while entries name them: Django enforces PROTECT itself, and accounts are deactivated.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object"), max_length=40)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # What made a change that is part of a larger one, e.g. "import:42": the job page lists them, a
    # page at a time in the order they were written (the index on source and id).
    source = models.CharField(_("source"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["source", "id"], name="audit_entry_source_id"),
        ]

    def __str__(self):
        return f"{self.action} {self.object_type}#{self.object_id}"

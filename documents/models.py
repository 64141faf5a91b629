"""A document is a job row: requested (what, where, which years), made by the background worker, kept
with its file and with what it was made from, so that a file can be explained later (design.md §8)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Tree

from .kinds import kind_label, kind_title


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed: no file was made")


RUNNING = {DocumentStatus.QUEUED, DocumentStatus.RUNNING}


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Documents of an area the user sees. A document of the whole country is for those who see
        everything. A village officer sees their commune but only their own village inside it, and a
        commune's document lists every village: they see the documents they asked for themselves."""
        from accounts.scope import scope_for
        from areas.models import AdministrativeUnit

        scope = scope_for(user)
        if scope.everything:
            return self
        if not user.is_authenticated:
            return self.none()
        of_area = self.filter(area__in=AdministrativeUnit.objects.visible_to(user))
        if scope.village_id is not None:
            return of_area.filter(requested_by=user)
        return of_area


class Document(models.Model):
    kind = models.CharField(_("kind"), max_length=20)
    # None: the whole country, on `tree`.
    area = models.ForeignKey(
        "areas.AdministrativeUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tree = models.CharField(_("tree"), max_length=8)
    first_year = models.PositiveSmallIntegerField(_("from year"))
    last_year = models.PositiveSmallIntegerField(_("to year"))
    # Set for the kinds made from one recognition decision (its annex, certificates): the area and
    # years above are then the decision's.
    decision = models.ForeignKey(
        "evaluations.RecognitionDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("decision"),
    )
    # Set for the kinds made from one award decision (its text, its certificates of merit): the area
    # and the year above are then the decision's.
    award_decision = models.ForeignKey(
        "awards.AwardDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("award decision"),
    )
    # None: made from the command line.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # The moment the worker began reading the figures: the file shows the data as it was then.
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written by the worker while it makes the file: a job still "being made" whose heartbeat has
    # stopped lost its worker (the same rule as imports).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Which template made the file: "shipped:<kind>:<version>" until provinces upload their own.
    template_version = models.CharField(_("template"), max_length=60, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(first_year__lte=models.F("last_year")), name="document_years_ordered"),
        ]

    def __str__(self):
        return f"{self.kind} {self.area_id} {self.first_year}-{self.last_year}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def kind_title(self) -> str:
        return kind_title(self.kind)

    @property
    def tree_label(self) -> str:
        return str(Tree(self.tree).label) if self.tree in Tree.values else self.tree

    @property
    def years_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


# The provinces' own Word templates, in their module (registered with the app from here).
from .template_models import DocumentTemplate  # noqa: E402, F401

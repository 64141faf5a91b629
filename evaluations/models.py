"""The yearly evaluation of a household, clan, village, unit or commune against a criteria set,
from registration to approval, and the decisions that recognise the approved ones.

Every change of state goes through `evaluations.services`; rows here only hold what is decided.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from criteria.models import Title

# Who may see persons' records (accounts.roles.Perm.VIEW_CITIZENS), and so their evaluations.
CITIZENS_PERM = "registry.view_citizens"

# The record each title evaluates: the field of Evaluation that points at it.
SUBJECT_FIELD = {
    Title.HOUSEHOLD: "household",
    Title.CLAN: "clan",
    Title.VILLAGE: "village",
    Title.UNIT: "organisation",
    Title.COMMUNE: "commune",
    Title.CITIZEN: "citizen",
}


class EvaluationState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_PROGRESS = "in_progress", _("Self-assessment in progress")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from accounts.scope import scope_for
        from areas.models import AdministrativeUnit

        evaluations = self
        if not user.has_perm(CITIZENS_PERM):
            # Persons are personal data (Nghị định 13/2023/NĐ-CP): their evaluations only for those who see persons.
            evaluations = evaluations.exclude(title=Title.CITIZEN)
        scope = scope_for(user)
        if scope.everything:
            return evaluations
        if scope.village_id is not None:
            return evaluations.filter(
                Q(household__village_id=scope.village_id)
                | Q(village_id=scope.village_id)
                | Q(citizen__village_id=scope.village_id)
            )
        return evaluations.filter(area__in=AdministrativeUnit.objects.visible_to(user))


class Evaluation(models.Model):
    """One subject, one title, one year. `area` is the unit whose officers own the evaluation
    (the commune for households, clans, villages and the commune's units; the unit's own area
    otherwise); scope and statistics read it."""

    title = models.CharField(_("title"), max_length=12, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    criteria_set = models.ForeignKey(
        "criteria.CriteriaSet", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("criteria set")
    )
    # The subjects' and the area's references have no index of their own: each is the first column of
    # an index below (a subject's "one a year" unique index, which holds only the rows naming it, and
    # the area's index by year), which finds its rows as well. An index of each reference alone held
    # an entry for every evaluation, mostly empty ones, and every evaluation written updated all seven.
    area = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("area"),
        db_index=False,
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        db_index=False,
    )
    clan = models.ForeignKey(
        "registry.Clan", on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations", db_index=False
    )
    village = models.ForeignKey(
        "areas.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations", db_index=False
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        db_index=False,
    )
    commune = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commune_evaluations",
        db_index=False,
    )
    citizen = models.ForeignKey(
        "registry.Citizen", on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations", db_index=False
    )
    # A household's evaluation holds the household's village too, kept with it when the household
    # moves (evaluations.household_villages): statistics group a year's 27 million evaluations by
    # village without joining the households. A copy of the household's own reference, which protects
    # the village: no constraint or index of its own, so deleting a village does not scan them all.
    household_village = models.ForeignKey(
        "areas.Village",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    state = models.CharField(
        _("state"), max_length=12, choices=EvaluationState.choices, default=EvaluationState.REGISTERED
    )
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2, null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, blank=True)
    # Optimistic locking: a change states the version it saw, and fails if another landed first.
    version = models.PositiveIntegerField(default=1)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    changes_since_approval = models.PositiveIntegerField(_("changes since the last approval"), default=0)
    # Listed in a published decision: kept by the decision services, so that statistics group
    # evaluations without joining every decision.
    recognised = models.BooleanField(_("recognised"), default=False, db_default=False)
    note = models.TextField(_("note"), blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year", "title", "id"]
        constraints = [
            models.CheckConstraint(
                name="evaluation_one_subject",
                condition=(
                    Q(
                        title=Title.HOUSEHOLD,
                        household__isnull=False,
                        clan=None,
                        village=None,
                        organisation=None,
                        commune=None,
                        citizen=None,
                    )
                    | Q(
                        title=Title.CLAN,
                        clan__isnull=False,
                        household=None,
                        village=None,
                        organisation=None,
                        commune=None,
                        citizen=None,
                    )
                    | Q(
                        title=Title.VILLAGE,
                        village__isnull=False,
                        household=None,
                        clan=None,
                        organisation=None,
                        commune=None,
                        citizen=None,
                    )
                    | Q(
                        title=Title.UNIT,
                        organisation__isnull=False,
                        household=None,
                        clan=None,
                        village=None,
                        commune=None,
                        citizen=None,
                    )
                    | Q(
                        title=Title.COMMUNE,
                        commune__isnull=False,
                        household=None,
                        clan=None,
                        village=None,
                        organisation=None,
                        citizen=None,
                    )
                    | Q(
                        title=Title.CITIZEN,
                        citizen__isnull=False,
                        household=None,
                        clan=None,
                        village=None,
                        organisation=None,
                        commune=None,
                    )
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=[field, "year"],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"evaluation_{field}_year_unique",
                )
                for field in SUBJECT_FIELD.values()
            ),
        ]
        indexes = [
            models.Index(fields=["area", "year", "title"], name="evaluation_area_year"),
            # The list's order: a page of the newest is read from the index, not by sorting every row.
            models.Index(fields=["-year", "title", "id"], name="evaluation_list_order"),
            # Only the approved: what a user's removal asks about (protected), without an entry for
            # every evaluation still waiting.
            models.Index(fields=["approved_by"], condition=Q(approved_by__isnull=False), name="evaluation_approver"),
        ]

    def __str__(self):
        return f"{self.get_title_display()} {self.year}: {self.subject}"

    @property
    def subject(self):
        return getattr(self, SUBJECT_FIELD[self.title])

    @property
    def subject_village(self):
        """The village a household or person lives in, or the village evaluated; None for the others.
        Lists read it with `selectors.SUBJECTS`."""
        if self.household_id:
            return self.household.village
        if self.citizen_id:
            return self.citizen.village
        return self.village


class Mark(models.Model):
    """The mark of one leaf: the self-assessment, and the approver's when they adjust it."""

    # No index of its own: the unique (evaluation, node) index finds an evaluation's marks.
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="marks", db_index=False)
    node = models.ForeignKey("criteria.Node", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    adjusted_points = models.DecimalField(
        _("points after verification"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    adjusted_passed = models.BooleanField(_("passed after verification"), null=True, blank=True)
    adjust_reason = models.TextField(_("reason for the adjustment"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "node"], name="mark_unique")]

    def __str__(self):
        return f"{self.evaluation_id}/{self.node_id}"


def evidence_path(instance, filename):
    return f"evidence/{instance.evaluation.year}/{instance.evaluation_id}/{filename}"


class Evidence(models.Model):
    """A file proving a criterion (minh chứng)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="evidence")
    node = models.ForeignKey("criteria.Node", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.original_name


class ApproverRule(models.Model):
    """Which level approves a title in a span of years on a tree (data: the law changed in 2024 and
    the 2025 reform left it unconfirmed)."""

    title = models.CharField(_("title"), max_length=12, choices=Title.choices)
    tree = models.CharField(_("tree"), max_length=8)
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("approved at level"))
    # None: the national default, changed by system administrators only. Otherwise a province-level
    # unit on the rule's tree: the province's own rule, applying there instead of the default.
    area = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        ordering = ["title", "tree", "from_year"]

    def __str__(self):
        return f"{self.title} {self.tree} {self.from_year}–{self.to_year or ''}: {self.level}"


class DeadlineKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    DOSSIER = "dossier", _("Dossier to the approver")
    DECISION = "decision", _("Decision")


class Deadline(models.Model):
    title = models.CharField(_("title"), max_length=12, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("year evaluated"))
    kind = models.CharField(_("what"), max_length=12, choices=DeadlineKind.choices)
    due = models.DateField(_("by"))
    # None: the national default; otherwise the province-level unit whose own deadline it is.
    area = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        ordering = ["year", "title", "due"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "year", "kind"], condition=Q(area__isnull=True), name="deadline_unique"
            ),
            models.UniqueConstraint(
                fields=["title", "year", "kind", "area"], condition=Q(area__isnull=False), name="deadline_unique_area"
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.year} {self.kind}: {self.due}"


class ClosedYear(models.Model):
    """A title's year closed by an approving unit: its evaluations under that unit change only
    after the unit reopens it."""

    title = models.CharField(_("title"), max_length=12, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey("areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["title", "year", "area"], name="closed_year_unique")]

    def __str__(self):
        return f"{self.title} {self.year} {self.area_id}"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    REVOKED = "revoked", _("Revoked")


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from areas.models import AdministrativeUnit

        return self.filter(issuing_area__in=AdministrativeUnit.objects.visible_to(user))


class RecognitionDecision(models.Model):
    """A decision recognising approved evaluations. Published, its recognitions count; it may be
    revoked with a reason but never deleted."""

    title = models.CharField(_("title"), max_length=12, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number"), max_length=60)
    date = models.DateField(_("date"))
    issuing_area = models.ForeignKey(
        "areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing unit")
    )
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    signer = models.CharField(_("signed by"), max_length=120)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    evaluations = models.ManyToManyField(Evaluation, related_name="decisions", verbose_name=_("recognised"))

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.number} ({self.date:%d/%m/%Y})"


# The certificates printed from published decisions, in their module (registered with the app from here).
from .certificate_models import Certificate  # noqa: E402, F401

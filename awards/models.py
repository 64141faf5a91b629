"""Awards (khen thưởng): nominations of collectives, clans, families and people for a period, their
review by the awarding body, and the award decisions that grant them.

What kinds of award exist, which level issues each and which levels may nominate for it are data
(`AwardKind`), shipped as illustrations ("minh hoạ") because the rules state none of them. Every
change of state goes through `awards.services`; rows here only hold what was decided.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AwardKind(models.Model):
    """A kind of award (Giấy khen, Bằng khen…): the level of the unit that issues it and the levels
    of the units that may nominate for it. Changed by system administrators only (audited)."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    # The certificate's heading, e.g. "GIẤY KHEN".
    heading = models.CharField(_("heading on the certificate"), max_length=60)
    issuer_level = models.PositiveSmallIntegerField(_("issued at level"))
    # Levels (1 province, 2 district, 3 commune) whose units may nominate; the issuing level included or not.
    nominator_levels = models.JSONField(_("nominated by levels"), default=list)
    is_illustration = models.BooleanField(_("illustration"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("kind of award")
        verbose_name_plural = _("kinds of award")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def issuer_level_label(self) -> str:
        from areas.models import Level

        return str(Level(self.issuer_level).label) if self.issuer_level in Level.values else str(self.issuer_level)

    @property
    def nominator_levels_label(self) -> str:
        from areas.models import Level

        return ", ".join(str(Level(v).label) for v in self.nominator_levels or [] if v in Level.values)


class Recipient(models.TextChoices):
    ASSOCIATION = "association", _("Study promotion association")
    VILLAGE = "village", _("Village or residential group")
    UNIT = "unit", _("Unit (agency, school…)")
    CLAN = "clan", _("Clan")
    HOUSEHOLD = "household", _("Family (household)")
    PERSON = "person", _("Individual")


# The field of Nomination holding each kind of recipient (a person is a name and a village).
RECIPIENT_FIELD = {
    Recipient.ASSOCIATION: "association",
    Recipient.VILLAGE: "village",
    Recipient.UNIT: "organisation",
    Recipient.CLAN: "clan",
    Recipient.HOUSEHOLD: "household",
    Recipient.PERSON: "person_village",
}
COLLECTIVES = (Recipient.ASSOCIATION, Recipient.VILLAGE, Recipient.UNIT)


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the awarding body")
    RETURNED = "returned", _("Returned for completion")
    SELECTED = "selected", _("Selected for the award")
    NOT_SELECTED = "not_selected", _("Not selected")


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Nominations made by, or awarded by, a unit the user sees; a village officer sees those of
        their village's people, families and the village itself."""
        from accounts.scope import scope_for
        from areas.models import AdministrativeUnit

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.village_id is not None:
            return self.filter(
                Q(village_id=scope.village_id)
                | Q(household__village_id=scope.village_id)
                | Q(person_village_id=scope.village_id)
            )
        units = AdministrativeUnit.objects.visible_to(user)
        return self.filter(Q(area__in=units) | Q(awarding_area__in=units))


class Nomination(models.Model):
    """A proposal (đề nghị khen thưởng) that one recipient be given a kind of award for a period."""

    kind = models.ForeignKey(AwardKind, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("award"))
    # The unit proposing, and the unit whose body decides (the proposing unit's ancestor at the kind's level).
    area = models.ForeignKey(
        "areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("nominated by")
    )
    awarding_area = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("awarded by"),
        db_index=False,  # nomination_awarding_state starts with it
    )
    recipient = models.CharField(_("recipient"), max_length=12, choices=Recipient.choices)
    association = models.ForeignKey(
        "registry.Association",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("association"),
    )
    village = models.ForeignKey(
        "areas.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    clan = models.ForeignKey(
        "registry.Clan", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("clan")
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("family (household)"),
    )
    # No person registry exists yet: a person is named as written, with the village they live in.
    person_name = models.CharField(_("full name"), max_length=120, blank=True)
    person_village = models.ForeignKey(
        "areas.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lives in village"),
    )
    first_year = models.PositiveSmallIntegerField(_("from year"))
    last_year = models.PositiveSmallIntegerField(_("to year"))
    reason = models.TextField(_("reason"))
    achievements = models.TextField(_("achievements"))
    state = models.CharField(_("state"), max_length=12, choices=NominationState.choices, default=NominationState.DRAFT)
    review_note = models.TextField(_("awarding body's note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(first_year__lte=models.F("last_year")), name="nomination_years_ordered"),
            models.CheckConstraint(
                name="nomination_one_recipient",
                condition=(
                    Q(recipient="association", association__isnull=False)
                    | Q(recipient="village", village__isnull=False)
                    | Q(recipient="unit", organisation__isnull=False)
                    | Q(recipient="clan", clan__isnull=False)
                    | Q(recipient="household", household__isnull=False)
                    | Q(recipient="person", person_village__isnull=False)
                ),
            ),
        ]
        indexes = [models.Index(fields=["awarding_area", "state"], name="nomination_awarding_state")]

    def __str__(self):
        return self.recipient_name

    @property
    def recipient_name(self) -> str:
        """The recipient as a certificate prints it."""
        if self.recipient == Recipient.PERSON:
            return self.person_name
        if self.recipient == Recipient.HOUSEHOLD:
            return _("Family of %(name)s") % {"name": self.household.head_name}
        record = getattr(self, RECIPIENT_FIELD[self.recipient])
        return record.name

    @property
    def recipient_place(self) -> str:
        """Where the recipient is: the village of a family or a person, the area of the others."""
        if self.recipient == Recipient.PERSON:
            return self.person_village.name
        if self.recipient == Recipient.HOUSEHOLD:
            return self.household.village.name
        if self.recipient == Recipient.CLAN:
            return self.clan.commune.name
        if self.recipient in (Recipient.ASSOCIATION, Recipient.UNIT):
            return getattr(self, RECIPIENT_FIELD[self.recipient]).area.name
        return self.area.name

    @property
    def years_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


class AwardDecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    REVOKED = "revoked", _("Revoked")


class AwardDecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Decisions of a unit the user sees, and those awarding a nomination the user sees."""
        from accounts.scope import scope_for
        from areas.models import AdministrativeUnit

        if scope_for(user).everything:
            return self
        seen = Nomination.objects.visible_to(user).values("pk")
        return self.filter(
            Q(issuing_area__in=AdministrativeUnit.objects.visible_to(user)) | Q(nominations__in=seen)
        ).distinct()


class AwardDecision(models.Model):
    """A decision granting one kind of award to the nominations it lists (its recipients). Published,
    the awards stand; revoked with a reason, they no longer do, and the list stays for the record."""

    kind = models.ForeignKey(AwardKind, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("award"))
    issuing_area = models.ForeignKey(
        "areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing unit")
    )
    number = models.CharField(_("number"), max_length=60)
    date = models.DateField(_("date"))
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    signer = models.CharField(_("signed by"), max_length=120)
    signer_title = models.CharField(_("signer's position"), max_length=120)
    status = models.CharField(
        _("status"), max_length=10, choices=AwardDecisionStatus.choices, default=AwardDecisionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    nominations = models.ManyToManyField(Nomination, related_name="decisions", verbose_name=_("recipients"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AwardDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.number} ({self.date:%d/%m/%Y})"

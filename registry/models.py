"""The records every later figure counts. Households first; clans, units and the network follow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        from areas.models import Village

        return self.filter(village__in=Village.objects.visible_to(user))


class Household(models.Model):
    """A household of a village. Its code is issued by the system and never changes: re-imports
    match on it, so a file exported last year updates the same households this year."""

    code = models.CharField(_("household code"), max_length=24, unique=True)
    village = models.ForeignKey(
        "areas.Village", on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    head_name = models.CharField(_("head of household"), max_length=120)
    members = models.PositiveSmallIntegerField(_("number of members"))
    is_active = models.BooleanField(_("still living here"), default=True)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    sort_key = models.CharField(max_length=400, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village__code", "sort_key", "code"]

    def __str__(self):
        return f"{self.head_name} ({self.code})"


class CodeCounter(models.Model):
    """The last number issued under a code prefix (a village for households, a commune's clans…),
    so that codes are issued without scanning the registry (a national table holds 27 million
    households) and never reused."""

    prefix = models.CharField(max_length=32, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.prefix}: {self.last_number}"


class ClanQuerySet(models.QuerySet):
    def visible_to(self, user):
        from areas.models import AdministrativeUnit

        return self.filter(commune__in=AdministrativeUnit.objects.visible_to(user))


class Clan(models.Model):
    """A clan (dòng họ): registered at one commune, it may span villages of several communes."""

    code = models.CharField(_("clan code"), max_length=24, unique=True)
    name = models.CharField(_("clan name"), max_length=120)
    commune = models.ForeignKey(
        "areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="clans", verbose_name=_("registered at")
    )
    villages = models.ManyToManyField("areas.Village", blank=True, related_name="clans", verbose_name=_("villages"))
    head_name = models.CharField(_("head of the clan"), max_length=120, blank=True)
    member_households = models.PositiveIntegerField(_("member households"))
    has_board = models.BooleanField(_("has a study-promotion board"), default=False)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    sort_key = models.CharField(max_length=400, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ClanQuerySet.as_manager()

    class Meta:
        verbose_name = _("clan")
        verbose_name_plural = _("clans")
        ordering = ["sort_key", "code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class UnitKind(models.TextChoices):
    AGENCY = "agency", _("Agency")
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")
    ARMED_FORCES = "armed_forces", _("Armed forces unit")
    OTHER = "other", _("Other")


class ManagingLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from areas.models import AdministrativeUnit

        return self.filter(area__in=AdministrativeUnit.objects.visible_to(user))


class Organisation(models.Model):
    """A unit (đơn vị) that may become a learning unit: an agency, school, enterprise, armed-forces unit."""

    code = models.CharField(_("unit code"), max_length=24, unique=True)
    name = models.CharField(_("unit name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    managing_level = models.CharField(_("managed at"), max_length=10, choices=ManagingLevel.choices)
    area = models.ForeignKey(
        "areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="organisations", verbose_name=_("area")
    )
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    sort_key = models.CharField(max_length=600, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_key", "code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

"""The records every later figure counts. Households first; clans, units and the network follow."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def where_set(field: str, name: str) -> models.Index:
    """An index of an optional reference holding only the rows that name something: who merged into a
    household, the persons of a household. A plain one holds an entry for every row, almost all empty,
    which each of millions of imported rows would write too."""
    return models.Index(fields=[field], condition=Q(**{f"{field}__isnull": False}), name=name)


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        from areas.models import Village

        return self.filter(village__in=Village.objects.visible_to(user))


class Household(models.Model):
    """A household of a village. Its code is issued by the system and never changes: re-imports
    match on it, so a file exported last year updates the same households this year."""

    code = models.CharField(_("household code"), max_length=24)
    # Indexed by (village, sort_key) below, whose leading column serves every lookup by village.
    village = models.ForeignKey(
        "areas.Village", on_delete=models.PROTECT, related_name="households", verbose_name=_("village"), db_index=False
    )
    head_name = models.CharField(_("head of household"), max_length=120)
    members = models.PositiveSmallIntegerField(_("number of members"))
    is_active = models.BooleanField(_("still living here"), default=True)
    # Searched with "contains", which no B-tree index serves: unindexed, so that imports of
    # millions of rows maintain fewer indexes. Lists are ordered within a village: one index.
    search_name = models.CharField(max_length=120, editable=False)
    sort_key = models.CharField(max_length=400, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)
    # A duplicate merged into another household (registry.merging): kept, so its code still resolves.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
        db_index=False,  # where_set, in Meta
    )

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village__code", "sort_key", "code"]
        indexes = [
            models.Index(fields=["village", "sort_key"], name="household_village_order"),
            where_set("merged_into", "household_merged_into"),
        ]
        # A constraint, not unique=True: on PostgreSQL that would add a second index for LIKE
        # queries nobody makes, which every imported row would also have to update.
        constraints = [models.UniqueConstraint(fields=["code"], name="household_code_unique")]

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


class AreaScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        from areas.models import AdministrativeUnit

        return self.filter(area__in=AdministrativeUnit.objects.visible_to(user))


class ClanQuerySet(models.QuerySet):
    def visible_to(self, user):
        from areas.models import AdministrativeUnit
        from areas.scope import scope_of

        village_id = scope_of(user).village_id
        if village_id is not None:
            # A clan spans villages, and its head is a person: a village officer sees the clans
            # their village belongs to, not every clan of the commune (its totals are figures).
            return self.filter(villages=village_id)
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
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)
    # A duplicate merged into another clan (registry.merging): kept, so its code still resolves.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
        db_index=False,  # where_set, in Meta
    )

    objects = ClanQuerySet.as_manager()

    class Meta:
        verbose_name = _("clan")
        verbose_name_plural = _("clans")
        ordering = ["sort_key", "code"]
        indexes = [where_set("merged_into", "clan_merged_into")]

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
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_key", "code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class AssociationLevel(models.TextChoices):
    PROVINCE = "province", _("Province association")
    DISTRICT = "district", _("District association")
    COMMUNE = "commune", _("Commune association")
    PROVINCE_SCHOOL = "province_school", _("Association of a province-level school")


class Association(models.Model):
    """A study promotion association (Hội Khuyến học) at a level of the tree, or of a province-level school."""

    level = models.CharField(_("level"), max_length=16, choices=AssociationLevel.choices)
    area = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="associations",
        verbose_name=_("area"),
        db_index=False,
    )
    name = models.CharField(_("name"), max_length=200)
    # Closed (dissolved, or its area abolished in the reform): the last year it reports; none after it.
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("study promotion association")
        verbose_name_plural = _("study promotion associations")
        ordering = ["level", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "level", "name"], name="association_unique")]

    def __str__(self):
        return self.name


class AssociationYear(models.Model):
    """What an association reports for a year: its members, branches and boards by kind."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="years", db_index=False)
    year = models.PositiveSmallIntegerField(_("year"))
    members = models.PositiveIntegerField(_("members"), default=0)
    village_branches = models.PositiveIntegerField(_("village branches"), default=0)
    agency_branches = models.PositiveIntegerField(_("agency branches"), default=0)
    agency_boards = models.PositiveIntegerField(_("boards in agencies"), default=0)
    school_boards = models.PositiveIntegerField(_("boards in schools"), default=0)
    clan_boards = models.PositiveIntegerField(_("boards in clans"), default=0)
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        ordering = ["association", "-year"]
        constraints = [models.UniqueConstraint(fields=["association", "year"], name="association_year_unique")]

    def __str__(self):
        return f"{self.association} {self.year}"


class NetworkUnitKind(models.TextChoices):
    """What a network unit is; each kind is counted in one of an association year's figures."""

    VILLAGE_BRANCH = "village_branch", _("Village branch")
    AGENCY_BRANCH = "agency_branch", _("Agency branch")
    AGENCY_BOARD = "agency_board", _("Study promotion board in an agency")
    SCHOOL_BOARD = "school_board", _("Study promotion board in a school")
    CLAN_BOARD = "clan_board", _("Study promotion board in a clan")


class NetworkUnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(association__in=Association.objects.visible_to(user))


class NetworkUnit(models.Model):
    """A branch (chi hội) of an association in a village or an agency, or a study promotion board
    (ban khuyến học) in an agency, a school or a clan: where an association keeps this list, its
    yearly counts of that kind are computed from it (registry.network_units)."""

    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("association"),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NetworkUnitKind.choices)
    name = models.CharField(_("name"), max_length=200)
    village = models.ForeignKey(
        "areas.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_units",
        verbose_name=_("village"),
    )
    clan = models.ForeignKey(
        Clan, on_delete=models.PROTECT, null=True, blank=True, related_name="network_units", verbose_name=_("clan")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_units",
        verbose_name=_("agency or school"),
    )
    head_name = models.CharField(_("head"), max_length=120, blank=True)
    opened_year = models.PositiveSmallIntegerField(_("year opened"))
    # Closed: the last year it works; it is not counted after it.
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = NetworkUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch or board")
        verbose_name_plural = _("branches and boards")
        ordering = ["association", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="network_unit_unique_name"),
            models.CheckConstraint(
                condition=models.Q(last_year__isnull=True) | models.Q(last_year__gte=models.F("opened_year")),
                name="network_unit_years_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def is_open_in(self, year: int) -> bool:
        return self.opened_year <= year and (self.last_year is None or year <= self.last_year)


class NetworkUnitYear(models.Model):
    """A branch's or board's members in a year, where they are known."""

    unit = models.ForeignKey(NetworkUnit, on_delete=models.CASCADE, related_name="years", db_index=False)
    year = models.PositiveSmallIntegerField(_("year"))
    members = models.PositiveIntegerField(_("members"))

    class Meta:
        ordering = ["unit", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="network_unit_year_unique")]

    def __str__(self):
        return f"{self.unit} {self.year}"


class AreaYear(models.Model):
    """An area's base and study-promotion fund for a year: population, households, fund, scholarships."""

    area = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="yearly_figures",
        verbose_name=_("area"),
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households (base)"), null=True, blank=True)
    fund_vnd = models.PositiveBigIntegerField(_("study promotion fund (VND)"), null=True, blank=True)
    scholarships = models.PositiveIntegerField(_("scholarships"), null=True, blank=True)
    scholarships_vnd = models.PositiveBigIntegerField(_("scholarships (VND)"), null=True, blank=True)
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = AreaScopedQuerySet.as_manager()

    class Meta:
        ordering = ["area", "-year"]
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="area_year_unique")]

    def __str__(self):
        return f"{self.area} {self.year}"


class TargetGroup(models.Model):
    """A target group of learning citizens (farmers, workers, intellectual workers… in the 2020 draft):
    data, shipped empty, since the current decision's list is not confirmed (rules.md §1)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class CitizenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person is seen inside the scope of their village only, as a household is: a village
        officer sees their own village's people, a commune officer their commune's."""
        from areas.models import Village

        return self.filter(village__in=Village.objects.visible_to(user))


class Citizen(models.Model):
    """A person registered as a (would-be) learning citizen (Công dân học tập, QĐ 677/QĐ-TTg). Personal
    data under Nghị định 13/2023/NĐ-CP: kept to evaluate and count learning citizens, seen only in scope,
    every list and export logged. Its code is issued by the system and never changes."""

    code = models.CharField(_("citizen code"), max_length=32)
    village = models.ForeignKey(
        "areas.Village", on_delete=models.PROTECT, related_name="citizens", verbose_name=_("village"), db_index=False
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citizens",
        verbose_name=_("household"),
        db_index=False,  # where_set, in Meta
    )
    full_name = models.CharField(_("full name"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citizens",
        verbose_name=_("target group"),
        db_index=False,  # where_set, in Meta
    )
    is_active = models.BooleanField(_("still living here"), default=True)
    search_name = models.CharField(max_length=120, editable=False)
    sort_key = models.CharField(max_length=400, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = CitizenQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning citizen")
        verbose_name_plural = _("learning citizens")
        ordering = ["village__code", "sort_key", "code"]
        indexes = [
            models.Index(fields=["village", "sort_key"], name="citizen_village_order"),
            where_set("household", "citizen_household"),
            where_set("target_group", "citizen_target_group"),
        ]
        constraints = [models.UniqueConstraint(fields=["code"], name="citizen_code_unique")]

    def __str__(self):
        return f"{self.full_name} ({self.code})"

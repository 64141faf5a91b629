"""Figures per area, year, title and measure, kept current by the services that change records.

A `Fact` is one figure of one holder (an administrative unit, or a village) for a year:
`own` counts the records held there, `computed` adds its children's values, `entered` is an
aggregate typed in at that holder, and `value` is what everyone reads: the entered figure when
there is one (it replaces the sum of the children), otherwise the computed one. `entered_count`
says how many entered totals it includes, at the holder or below. Reads never count
raw records: a province's figure is one row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from criteria.models import Title

# The titles that are counted. Learning citizens are held at their village, as households are (a
# village's figures count its people; the scope decides who sees a village's figures).
COUNTED_TITLES = [Title.HOUSEHOLD, Title.CLAN, Title.VILLAGE, Title.UNIT, Title.COMMUNE, Title.CITIZEN]
NETWORK = ""  # the title of figures that belong to no title: population and the network


class Measure(models.TextChoices):
    BASE = "base", _("Total (base)")
    REGISTERED = "registered", _("Registered")
    RECOGNISED = "recognised", _("Recognised")
    # Recognitions granted for the year (lượt): equal to RECOGNISED except under a set that counts a
    # recognition in each year it stays valid (stats.validity).
    GRANTED = "granted", _("Recognitions granted (lượt)")
    POPULATION = "population", _("Population")
    ASSOCIATIONS_PROVINCE = "associations_province", _("Province associations")
    ASSOCIATIONS_DISTRICT = "associations_district", _("District associations")
    ASSOCIATIONS_COMMUNE = "associations_commune", _("Commune associations")
    ASSOCIATIONS_PROVINCE_SCHOOL = "associations_province_school", _("Associations of province-level schools")
    MEMBERS = "members", _("Members")
    VILLAGE_BRANCHES = "village_branches", _("Village branches")
    AGENCY_BRANCHES = "agency_branches", _("Agency branches")
    AGENCY_BOARDS = "agency_boards", _("Boards in agencies")
    SCHOOL_BOARDS = "school_boards", _("Boards in schools")
    CLAN_BOARDS = "clan_boards", _("Boards in clans")
    FUND_VND = "fund_vnd", _("Study promotion fund (VND)")
    SCHOLARSHIPS = "scholarships", _("Scholarships")
    SCHOLARSHIPS_VND = "scholarships_vnd", _("Scholarships (VND)")


TITLE_MEASURES = [Measure.BASE, Measure.REGISTERED, Measure.RECOGNISED]
NETWORK_MEASURES = [m for m in Measure if m not in TITLE_MEASURES and m != Measure.GRANTED]

# Figures entered through an area's yearly record (registry.AreaYear), not as free aggregates.
AREA_YEAR_FIGURES = {
    "population": (NETWORK, Measure.POPULATION),
    "households": (Title.HOUSEHOLD, Measure.BASE),
    "fund_vnd": (NETWORK, Measure.FUND_VND),
    "scholarships": (NETWORK, Measure.SCHOLARSHIPS),
    "scholarships_vnd": (NETWORK, Measure.SCHOLARSHIPS_VND),
}

# The network's figures from the associations' yearly reports (registry.AssociationYear): each
# association counted in the measure of its level, and each reported figure summed per area.
ASSOCIATION_COUNT = {
    "province": Measure.ASSOCIATIONS_PROVINCE,
    "district": Measure.ASSOCIATIONS_DISTRICT,
    "commune": Measure.ASSOCIATIONS_COMMUNE,
    "province_school": Measure.ASSOCIATIONS_PROVINCE_SCHOOL,
}
ASSOCIATION_SUMS = [
    Measure.MEMBERS,
    Measure.VILLAGE_BRANCHES,
    Measure.AGENCY_BRANCHES,
    Measure.AGENCY_BOARDS,
    Measure.SCHOOL_BOARDS,
    Measure.CLAN_BOARDS,
]


def is_valid_figure(title: str, measure: str) -> bool:
    if title == NETWORK:
        return measure in NETWORK_MEASURES
    return title in COUNTED_TITLES and measure in TITLE_MEASURES


class Fact(models.Model):
    # No index of their own: each holder's unique index below begins with it and serves every lookup
    # by unit or village (a strict comparison implies the index's NOT NULL). The two indexes cost a
    # quarter of writing a national year's 450,000 rows (bench/rebuild_bench.py).
    unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    village = models.ForeignKey(
        "areas.Village", on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=12, blank=True)
    measure = models.CharField(max_length=32)
    own = models.BigIntegerField(default=0)
    computed = models.BigIntegerField(default=0)
    entered = models.BigIntegerField(null=True, blank=True)
    value = models.BigIntegerField(default=0)
    # Entered totals at this holder or below it, so that a figure says it includes some without
    # reading the totals themselves.
    entered_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "title", "measure"], condition=Q(unit__isnull=False), name="fact_unit_unique"
            ),
            models.UniqueConstraint(
                fields=["village", "year", "title", "measure"],
                condition=Q(village__isnull=False),
                name="fact_village_unique",
            ),
            models.CheckConstraint(condition=Q(unit__isnull=True) ^ Q(village__isnull=True), name="fact_one_holder"),
        ]
        indexes = [
            # A year's figure of every unit at once (the map of the whole country, a tree's table): the
            # unique index above starts with the unit, so without this such a read scanned every year.
            models.Index(fields=["year", "title", "measure"], condition=Q(unit__isnull=False), name="fact_year_units"),
        ]

    def __str__(self):
        holder = f"unit {self.unit_id}" if self.unit_id else f"village {self.village_id}"
        return f"{holder} {self.year} {self.title}/{self.measure} = {self.value}"


# Bit 0 of a recognition pattern is this year; a 63-bit pattern reaches 2062.
PATTERN_FIRST_YEAR = 2000
PATTERN_LAST_YEAR = PATTERN_FIRST_YEAR + 62


class RecognitionPattern(models.Model):
    """How many entities held at a village or a unit were recognised in exactly a set of years (one
    bit a year). Entities recognised at least once in any period are then counted from a few rows,
    without reading the evaluations: those whose pattern meets the period's years."""

    unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    village = models.ForeignKey(
        "areas.Village", on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    title = models.CharField(max_length=12)
    years = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "title", "years"], condition=Q(unit__isnull=False), name="pattern_unit_unique"
            ),
            models.UniqueConstraint(
                fields=["village", "title", "years"], condition=Q(village__isnull=False), name="pattern_village_unique"
            ),
            models.CheckConstraint(condition=Q(unit__isnull=True) ^ Q(village__isnull=True), name="pattern_one_holder"),
        ]

    def __str__(self):
        return f"{self.unit_id or self.village_id} {self.title} {self.years:b}: {self.count}"


class OpenedYear(models.Model):
    """A year whose structural figures (villages and communes counted from the trees) are built.
    The first record of a new year opens it, so no job has to run when the calendar turns."""

    year = models.PositiveSmallIntegerField(primary_key=True)

    def __str__(self):
        return str(self.year)


class EnteredAggregateQuerySet(models.QuerySet):
    def visible_to(self, user):
        from areas.models import AdministrativeUnit, Village

        return self.filter(
            Q(unit__in=AdministrativeUnit.objects.visible_to(user)) | Q(village__in=Village.objects.visible_to(user))
        )


class EnteredAggregate(models.Model):
    """A total typed in at an area for a year, for history before the system or for places that
    report only totals. It replaces the sum of the area's children for that figure."""

    unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
        db_index=False,
    )
    village = models.ForeignKey(
        "areas.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village"),
        db_index=False,
    )
    # The path of the unit, or of the village's commune that year: "entered below" is a range query.
    path = models.CharField(max_length=16, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=12, blank=True)
    measure = models.CharField(_("figure"), max_length=32, choices=Measure.choices)
    value = models.PositiveBigIntegerField(_("value"))
    note = models.TextField(_("source or note"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = EnteredAggregateQuerySet.as_manager()

    class Meta:
        verbose_name = _("entered aggregate")
        verbose_name_plural = _("entered aggregates")
        ordering = ["-year", "path", "title", "measure"]
        # "Was a total of this figure entered in these years, under this area?" (a period's distinct
        # counts ask it of every title): one index range per title.
        indexes = [models.Index(fields=["title", "measure", "year", "path"], name="aggregate_figure_year_path")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "title", "measure"],
                condition=Q(unit__isnull=False),
                name="aggregate_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["village", "year", "title", "measure"],
                condition=Q(village__isnull=False),
                name="aggregate_village_unique",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=True) ^ Q(village__isnull=True), name="aggregate_one_holder"
            ),
        ]

    def __str__(self):
        return f"{self.unit or self.village} {self.year} {self.title}/{self.measure} = {self.value}"

    @property
    def holder(self):
        return self.unit or self.village


class Target(models.Model):
    """The share of a title's base to be recognised in a year: national (no area), for an area
    class (QĐ 281's lower targets), or a province's or district's own, which applies below it."""

    title = models.CharField(_("title"), max_length=12, choices=Title.choices)
    year = models.PositiveSmallIntegerField(_("target year"))
    percent = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2)
    area = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    area_class = models.ForeignKey(
        "areas.AreaClass",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for areas of class"),
    )
    source = models.CharField(_("legal source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "title", "area", "area_class"]
        constraints = [
            # One target per title and year nationally, per area class, and per overriding area.
            models.UniqueConstraint(
                fields=["title", "year"], condition=Q(area=None, area_class=None), name="target_national_unique"
            ),
            models.UniqueConstraint(
                fields=["title", "year", "area_class"],
                condition=Q(area=None, area_class__isnull=False),
                name="target_class_unique",
            ),
            models.UniqueConstraint(
                fields=["title", "year", "area"], condition=Q(area__isnull=False), name="target_area_unique"
            ),
            models.CheckConstraint(condition=Q(area=None) | Q(area_class=None), name="target_area_or_class"),
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="target_percent_range"),
        ]

    def __str__(self):
        return f"{self.get_title_display()} {self.year}: {self.percent}%"


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for correction")


class YearReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from areas.models import AdministrativeUnit

        return self.filter(commune__in=AdministrativeUnit.objects.visible_to(user))


class YearReport(models.Model):
    """A commune's yearly report: its figures for the year, submitted, then accepted (or returned)
    by the level above."""

    commune = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune"),
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices, default=ReportState.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = YearReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        ordering = ["-year", "commune__sort_key"]
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="year_report_unique")]

    def __str__(self):
        return f"{self.commune} {self.year}: {self.state}"


class ReportDeadline(models.Model):
    """When communes' yearly reports are due."""

    year = models.PositiveSmallIntegerField(_("year reported"), unique=True)
    due = models.DateField(_("due by"))

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.due}"


class CitizenAgeBounds(models.Model):
    """Which persons of the registry make up the learning citizens' base in some years: those whose age
    in the year (the year less their year of birth) lies within the bounds. QĐ 677/QĐ-TTg speaks of
    adults, but the bounds are not confirmed (rules.md §1): data, shipped empty; without bounds for a
    year the base is unknown. A national default (no area), changed by system administrators, or a
    province's own, changed by its officers (criteria.scope), applying there instead."""

    area = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"))
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    source = models.CharField(_("legal source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("age bounds of the learning citizens' base")
        verbose_name_plural = _("age bounds of the learning citizens' base")
        ordering = ["area", "from_year"]

    def __str__(self):
        ages = f"{self.min_age}–{self.max_age}" if self.max_age is not None else f"{self.min_age}+"
        return f"{self.area or '—'} {self.from_year}–{self.to_year or ''}: {ages}"

    def births_admitted(self, year: int) -> tuple[int | None, int]:
        """The years of birth these bounds admit in `year`: (the earliest, None without an upper age;
        the latest)."""
        return (None if self.max_age is None else year - self.max_age), year - self.min_age

    def admits(self, year: int, birth_year: int) -> bool:
        earliest, latest = self.births_admitted(year)
        return (earliest is None or earliest <= birth_year) and birth_year <= latest

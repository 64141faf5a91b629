"""Criteria sets as data: what a title is evaluated against, versioned by legal source and year.

A set is a tree of standards → criteria → indicators; each leaf is scored by points (up to a
maximum) or pass/fail. Its result rule turns the marks into a result: a rating by total, a title
achieved at a total, or a level reached when all of its indicators pass. A value the law does not
publish stays empty (None) until the province that holds the document enters it: a set with empty
values says what is missing and cannot be used.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scope import visible_rules


class Title(models.TextChoices):
    HOUSEHOLD = "household", _("Learning household")
    CLAN = "clan", _("Learning clan")
    VILLAGE = "village", _("Learning community (village)")
    UNIT = "unit", _("Learning unit")
    COMMUNE = "commune", _("Commune learning community")
    CITIZEN = "citizen", _("Learning citizen")


class ResultRule(models.TextChoices):
    RATINGS = "ratings", _("The total gives a rating")
    THRESHOLD = "threshold", _("The title is achieved at a total")
    LEVELS = "levels", _("A level is reached when all its indicators pass")


# Result codes that are not a rating band's own code.
NOT_ACHIEVED = "not_achieved"
ACHIEVED = "achieved"


def level_code(level: int) -> str:
    return f"level_{level}"


class CriteriaSetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The national sets and the own sets of the provinces the user's area lies in (all of them
        for a system administrator): published rules, but another province's are its own business."""
        return visible_rules(self, user) if user.is_authenticated and user.is_active else self.none()

    def usable(self):
        return self.filter(is_default=False)


class CriteriaSet(models.Model):
    title = models.CharField(_("title"), max_length=12, choices=Title.choices)
    name = models.CharField(_("name"), max_length=200)
    legal_number = models.CharField(_("legal source"), max_length=80, blank=True)
    legal_date = models.DateField(_("date of the source"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_from = models.PositiveSmallIntegerField(_("valid from year"))
    valid_to = models.PositiveSmallIntegerField(_("valid to year"), null=True, blank=True)
    rule = models.CharField(_("result rule"), max_length=10, choices=ResultRule.choices)
    pass_total = models.DecimalField(
        _("total needed for the title"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    validity_years = models.PositiveSmallIntegerField(_("a recognition is valid for (years)"), default=1)
    years_at_level_1 = models.PositiveSmallIntegerField(_("years at level 1 before level 2"), null=True, blank=True)
    recognised_results = models.JSONField(_("results counted as recognised"), default=list, blank=True)
    count_each_valid_year = models.BooleanField(_("a recognition counts in each year it is valid"), default=False)
    # Shipped from the law: never edited; a province clones it and completes the copy.
    is_default = models.BooleanField(_("shipped default"), default=False)
    # Values invented for the demo ("minh hoạ"): shown wherever the set or its results appear.
    is_illustration = models.BooleanField(_("illustration"), default=False)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies", verbose_name=_("copied from")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # None: a national set, changed by system administrators only. Otherwise a province-level unit:
    # the province's own set, used by evaluations there instead of the national one (`scope`).
    area = models.ForeignKey(
        "areas.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    note = models.TextField(_("note"), blank=True)
    # Facts the evaluations services record in their own transaction (criteria never asks them):
    # an evaluation uses the set, so its title no longer changes; an evaluation using it was
    # approved, so it is frozen and a change makes a new version. Neither is ever undone: an
    # approval later unlocked still decided results with the set.
    in_use = models.BooleanField(_("used by evaluations"), default=False, db_default=False)
    frozen = models.BooleanField(_("used by an approved evaluation"), default=False, db_default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["title", "-valid_from", "name", "-version"]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    def covers(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


class NodeKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    CRITERION = "criterion", _("Criterion")
    INDICATOR = "indicator", _("Indicator")


class Scoring(models.TextChoices):
    GROUP = "group", _("Sum of its parts")
    POINTS = "points", _("Points")
    PASS_FAIL = "pass_fail", _("Pass or fail")


class Node(models.Model):
    """A standard, criterion or indicator. Leaves are scored; a node with children sums them."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="nodes", db_index=False)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=NodeKind.choices)
    code = models.CharField(_("number"), max_length=12)
    # Empty where the law's text is not public: the set is then incomplete.
    name = models.TextField(_("text"), blank=True)
    scoring = models.CharField(_("scored by"), max_length=10, choices=Scoring.choices)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2, null=True, blank=True)
    min_points = models.DecimalField(
        _("minimum points for the title"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    level = models.PositiveSmallIntegerField(_("needed from level"), null=True, blank=True)
    # Recorded by the evaluations services when they first store a mark or evidence for it: how it
    # is scored no longer changes, and it is not deleted.
    marked = models.BooleanField(_("marked by evaluations"), default=False, db_default=False)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criteria_node_code_unique")]

    def __str__(self):
        return f"{self.code}. {self.name}" if self.name else self.code


class RatingBand(models.Model):
    """A rating a total reaches: e.g. Tốt from 85. Empty `min_total` where the law does not say."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="bands", db_index=False)
    code = models.SlugField(_("code"), max_length=20)
    label = models.CharField(_("rating"), max_length=60)
    min_total = models.DecimalField(_("from a total of"), max_digits=7, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["criteria_set", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criteria_band_code_unique")]

    def __str__(self):
        return self.label

"""Administrative units on two trees, villages with a parent commune per period, area classes.

Neither tree is ever rewritten: the pre-2025 tree keeps its last state, the 2025 tree stands
beside it, and `UnitSuccession` links them so any figure can be shown on either.
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.text import fold, sort_key

from .scope import AreaScope, scope_of


class Tree(models.TextChoices):
    PRE_2025 = "pre2025", _("Before 01/07/2025 (63 provinces)")
    Y2025 = "2025", _("From 01/07/2025 (34 provinces)")


# One digit per tree starts every path, so the two trees never share a prefix.
TREE_PATH_DIGIT = {Tree.PRE_2025: "1", Tree.Y2025: "2"}


def tree_for_year(year: int) -> str:
    """The tree a year's data is recorded on: the cut-over year is a setting."""
    return Tree.Y2025 if year >= settings.KHUYENHOC_REFORM_YEAR else Tree.PRE_2025


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province level")
    DISTRICT = 2, _("District level")
    COMMUNE = 3, _("Commune level")


# National statistics office codes: province 2 digits, district 3, commune 5.
CODE_LENGTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("Centrally-run city")
    DISTRICT = "district", _("District")
    URBAN_DISTRICT = "urban_district", _("Urban district")
    DISTRICT_TOWN = "district_town", _("District-level town")
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    TOWN = "town", _("Town")
    SPECIAL_ZONE = "special_zone", _("Special zone")


def subtree_q(field: str, prefix: str) -> Q:
    """Everything whose path starts with `prefix`, as an indexed range on any collation.

    Paths hold digits only, so `prefix <= path < prefix+1` is the same set as a LIKE
    prefix match, but uses the plain B-tree index on SQLite and PostgreSQL alike.
    """
    upper = str(int(prefix) + 1).rjust(len(prefix), "0")
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def scope_paths_q(scope: AreaScope, field: str) -> Q:
    """The paths under any of the scope's units."""
    if not scope.unit_prefixes:
        return Q(pk__in=[])
    return reduce(or_, (subtree_q(field, prefix) for prefix in scope.unit_prefixes))


class AdministrativeUnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.within(scope_of(user))

    def within(self, scope: AreaScope):
        if scope.everything:
            return self
        if scope.village_id is not None:
            communes = VillagePlacement.objects.filter(village_id=scope.village_id).values("commune_id")
            return self.filter(pk__in=communes)
        return self.filter(scope_paths_q(scope, "path"))

    def under(self, unit):
        return self.filter(subtree_q("path", unit.path)).exclude(pk=unit.pk)


class AdministrativeUnit(models.Model):
    tree = models.CharField(_("tree"), max_length=8, choices=Tree.choices)
    code = models.CharField(_("code"), max_length=5)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(max_length=16, unique=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    sort_key = models.CharField(max_length=400, db_index=True, editable=False)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["sort_key", "code"]
        constraints = [models.UniqueConstraint(fields=["tree", "code"], name="unit_code_unique_per_tree")]

    def __str__(self):
        return self.name

    def ancestors(self):
        """Root first, self excluded: the breadcrumbs."""
        chain = []
        unit = self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return list(reversed(chain))

    def refresh_search_fields(self):
        self.search_name = fold(self.name)
        self.sort_key = sort_key(self.short_name or self.name)


class SuccessionKind(models.TextChoices):
    WHOLE = "whole", _("Merged whole")
    DIVIDED = "divided", _("Divided between several new units")
    ABOLISHED_LEVEL = "abolished_level", _("Level abolished, held by the new province")


class ShareBasis(models.TextChoices):
    HOUSEHOLDS = "households", _("Number of households")
    POPULATION = "population", _("Population")


class UnitSuccession(models.Model):
    """Old unit → new unit, from the official 2025 mapping.

    A divided old commune has one row per new commune; `is_default` marks where its data
    goes unless a `share` is entered (the package gives no area per piece).
    """

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="successions",
        verbose_name=_("old unit"),
        db_index=False,
    )
    successor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="predecessions", verbose_name=_("new unit")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SuccessionKind.choices)
    is_default = models.BooleanField(_("default new unit"), default=True)
    share = models.DecimalField(_("share"), max_digits=5, decimal_places=4, null=True, blank=True)
    # The share as a province entered it (areas.shares): this piece's households or population, out of
    # the old commune's whole; the figures split by these counts exactly (`share` is their rounded
    # fraction, for display).
    share_basis = models.CharField(_("share counted by"), max_length=12, choices=ShareBasis.choices, blank=True)
    share_count = models.PositiveBigIntegerField(_("count of this piece"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique")]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class VillageKind(models.TextChoices):
    VILLAGE = "village", _("Village (thôn)")
    HAMLET = "hamlet", _("Hamlet (bản, ấp, làng)")
    RESIDENTIAL_GROUP = "residential_group", _("Residential group (tổ dân phố)")
    SUB_AREA = "sub_area", _("Sub-area (tiểu khu, khu phố)")


class VillageQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.within(scope_of(user))

    def within(self, scope: AreaScope):
        if scope.everything:
            return self
        if scope.village_id is not None:
            return self.filter(pk=scope.village_id)
        placed = VillagePlacement.objects.filter(scope_paths_q(scope, "commune_path")).values("village_id")
        return self.filter(pk__in=placed)

    def in_commune(self, commune, year=None):
        placements = VillagePlacement.objects.filter(commune=commune)
        if year is not None:
            placements = placements.covering(year)
        return self.filter(pk__in=placements.values("village_id"))


class Village(models.Model):
    """The level below the commune, kept by users. Its code never changes after a move,
    so files exported before a reform still import afterwards."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=VillageKind.choices, default=VillageKind.VILLAGE)
    # Indexed in Meta.indexes, not db_index: on PostgreSQL db_index adds a second, varchar_pattern_ops
    # index for LIKE 'x%' that no query of these needs (equality, ORDER BY, and LIKE '%x%', which no
    # btree serves), and every village the import writes would update it too.
    search_name = models.CharField(max_length=120, editable=False)
    sort_key = models.CharField(max_length=400, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # No lost update: a change names the version it saw (core.versions).
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["sort_key", "code"]
        indexes = [
            models.Index(fields=["search_name"], name="village_search_name"),
            models.Index(fields=["sort_key"], name="village_sort_key"),
        ]

    def __str__(self):
        return self.name

    def refresh_search_fields(self):
        self.search_name = fold(self.name)
        self.sort_key = sort_key(self.name)

    def placement_in(self, year):
        return self.placements.covering(year).select_related("commune").first()


class VillagePlacementQuerySet(models.QuerySet):
    def covering(self, year):
        return self.filter(Q(to_year__isnull=True) | Q(to_year__gte=year), from_year__lte=year)

    def count_by_child(self, unit, year) -> dict[str, int]:
        """Villages in `year` under each child of `unit`, keyed by the child's path: one grouped query."""
        child_level = Level.COMMUNE if unit.tree == Tree.Y2025 or unit.level == Level.DISTRICT else Level.DISTRICT
        child_path_length = len(unit.path) + CODE_LENGTH[child_level]
        rows = (
            self.covering(year)
            .filter(subtree_q("commune_path", unit.path))
            .annotate(child_path=Substr("commune_path", 1, child_path_length))
            .values("child_path")
            .annotate(villages=Count("pk"))
            .order_by()
        )
        return {row["child_path"]: row["villages"] for row in rows}


class VillagePlacement(models.Model):
    """A village's parent commune for a span of years (to_year empty: still current)."""

    # No index of its own: placement_unique_start's begins with the village.
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="placements", db_index=False)
    commune = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="village_placements", verbose_name=_("commune")
    )
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    # The commune's path, copied so that scoping villages is one indexed range query (subtree_q: a
    # range, not LIKE, so no varchar_pattern_ops index beside it; see Village.search_name).
    commune_path = models.CharField(max_length=16, editable=False)

    objects = VillagePlacementQuerySet.as_manager()

    class Meta:
        ordering = ["village", "from_year"]
        indexes = [models.Index(fields=["commune_path"], name="placement_commune_path")]
        constraints = [
            models.UniqueConstraint(fields=["village", "from_year"], name="placement_unique_start"),
            models.CheckConstraint(
                condition=Q(to_year__isnull=True) | Q(to_year__gte=models.F("from_year")),
                name="placement_years_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.village} @ {self.commune} {self.from_year}–{self.to_year or ''}"


class AreaClass(models.Model):
    """A group of areas with their own targets: mountainous, remote, especially disadvantaged."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("area class")
        verbose_name_plural = _("area classes")
        ordering = ["code"]

    def __str__(self):
        if self.name_en and get_language() == "en":
            return self.name_en
        return self.name


class AreaClassMembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit__in=AdministrativeUnit.objects.visible_to(user))


class AreaClassMembership(models.Model):
    area_class = models.ForeignKey(AreaClass, on_delete=models.PROTECT, related_name="memberships", db_index=False)
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="class_memberships")
    year = models.PositiveSmallIntegerField(_("year"))

    objects = AreaClassMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["year", "area_class", "unit__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["area_class", "unit", "year"], name="area_class_membership_unique")
        ]

    def __str__(self):
        return f"{self.year} {self.area_class}: {self.unit}"

"""Targets, and progress towards them.

A target is the share of a title's base to be recognised in a target year (rules.md §3). The one
that applies to an area: a province's or district's own (set by the area or its nearest ancestor)
before the national target for an area class the area or an ancestor belongs to that year (the
lowest when several apply), before the national default. Progress compares it with the latest
actual rate and projects the rate to the target year along a least-squares line through the rates
of the last years (settings.KHUYENHOC_TREND_YEARS), computed in exact fractions.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import AdministrativeUnit, AreaClassMembership, Level
from audit.services import audit_record
from core.access import has_perm
from core.versions import StaleVersion, bump, lock_version, parse_version
from registry.network import clean_year_for

from .facts import opened_years
from .figures import for_units
from .models import COUNTED_TITLES, Measure, Target

SETTING_LEVELS = (Level.PROVINCE, Level.DISTRICT)


# Which target applies ----------------------------------------------------------------------------


class TargetKind:
    OVERRIDE = "override"
    AREA_CLASS = "area_class"
    NATIONAL = "national"


@dataclass(frozen=True)
class ApplicableTarget:
    target: Target
    kind: str
    reason: str

    @property
    def percent(self) -> Decimal:
        return self.target.percent


def ancestor_paths(path: str) -> list[str]:
    """Every prefix of a path: the paths of the unit and all its ancestors are among them."""
    return [path[:length] for length in range(1, len(path) + 1)]


class TargetBook:
    """The targets of one year with the area-class memberships of some areas and their ancestors:
    the lookup for a page of areas in three queries."""

    def __init__(self, year: int, areas):
        self.year = year
        paths = {prefix for area in areas if area is not None for prefix in ancestor_paths(area.path)}
        self._targets = list(Target.objects.filter(year=year).select_related("area", "area_class"))
        self._classes = defaultdict(set)
        memberships = AreaClassMembership.objects.filter(year=year, unit__path__in=paths)
        for path, class_id in memberships.values_list("unit__path", "area_class_id"):
            self._classes[path].add(class_id)

    def applicable(self, area, title: str) -> ApplicableTarget | None:
        """The target that applies to `area` (None: the whole country) for `title`, with the reason."""
        targets = [t for t in self._targets if t.title == title]
        if area is not None:
            chain = ancestor_paths(area.path)
            overrides = [t for t in targets if t.area is not None and t.area_class_id is None and t.area.path in chain]
            if overrides:
                nearest = max(overrides, key=lambda t: len(t.area.path))
                return ApplicableTarget(nearest, TargetKind.OVERRIDE, _("set by %(unit)s") % {"unit": nearest.area})
            classes = set().union(*(self._classes[path] for path in chain))
            for_classes = [t for t in targets if t.area is None and t.area_class_id in classes]
            if for_classes:
                lowest = min(for_classes, key=lambda t: (t.percent, t.area_class.code))
                if len(for_classes) == 1:
                    reason = _("national, for %(class)s") % {"class": lowest.area_class}
                else:
                    reason = _("national, for %(class)s (the lowest of the %(count)d classes the area is in)") % {
                        "class": lowest.area_class,
                        "count": len(for_classes),
                    }
                return ApplicableTarget(lowest, TargetKind.AREA_CLASS, reason)
        default = next((t for t in targets if t.area is None and t.area_class_id is None), None)
        if default is None:
            return None
        return ApplicableTarget(default, TargetKind.NATIONAL, _("national"))


def applicable_target(area, title: str, year: int) -> ApplicableTarget | None:
    return TargetBook(year, [area]).applicable(area, title)


def target_years(area) -> list[int]:
    """The years with a target that may apply to `area`: national ones, or set by it or above it."""
    applies = Q(area__isnull=True)
    if area is not None:
        applies |= Q(area__path__in=ancestor_paths(area.path))
    return sorted(set(Target.objects.filter(applies).values_list("year", flat=True)))


def next_target_year(years: list[int], today_year: int) -> int:
    """The first target year from this year on; the last one when all have passed."""
    upcoming = [year for year in years if year >= today_year]
    if upcoming:
        return min(upcoming)
    return max(years) if years else today_year


# The trend: pure helpers -------------------------------------------------------------------------


def rate(recognised, base) -> Fraction | None:
    """Recognised as a percentage of the base; None when either is missing or the base is 0."""
    if recognised is None or not base:
        return None
    return Fraction(recognised) * 100 / Fraction(base)


class Line(NamedTuple):
    slope: Fraction
    intercept: Fraction

    def at(self, x) -> Fraction:
        return self.intercept + self.slope * Fraction(x)


def least_squares(points) -> Line | None:
    """The line closest to the (x, y) points in the least-squares sense; None without two distinct x."""
    points = [(Fraction(x), Fraction(y)) for x, y in points]
    if len({x for x, _y in points}) < 2:
        return None
    mean_x = sum(x for x, _y in points) / len(points)
    mean_y = sum(y for _x, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _y in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return Line(slope, mean_y - slope * mean_x)


def trend_window(rates: dict[int, Fraction], last_year: int, years: int) -> list[tuple[int, Fraction]]:
    """The (year, rate) points of the `years` calendar years ending at `last_year`."""
    return sorted((year, value) for year, value in rates.items() if last_year - years < year <= last_year)


# Progress ----------------------------------------------------------------------------------------


@dataclass
class Progress:
    title: str
    target_year: int
    applicable: ApplicableTarget | None
    actual_year: int | None = None
    recognised: int | None = None
    base: int | None = None
    actual: Fraction | None = None
    trend: list[tuple[int, Fraction]] = field(default_factory=list)
    slope: Fraction | None = None
    projected: Fraction | None = None
    reaches: bool | None = None

    @property
    def target(self) -> Decimal | None:
        return self.applicable.percent if self.applicable else None

    @property
    def gap(self) -> Fraction | None:
        """Percentage points still to go (negative: beyond the target)."""
        if self.target is None or self.actual is None:
            return None
        return Fraction(self.target) - self.actual

    @property
    def trend_first_year(self) -> int | None:
        return self.trend[0][0] if self.trend else None

    # The rates to two decimals, for the page (its filters round them further).
    @property
    def actual_shown(self):
        return _two_decimals(self.actual)

    @property
    def gap_shown(self):
        return _two_decimals(self.gap)

    @property
    def beyond_shown(self):
        """Percentage points beyond the target, when the actual rate passed it."""
        return _two_decimals(-self.gap) if self.gap is not None and self.gap < 0 else None

    @property
    def projected_shown(self):
        return _two_decimals(self.projected)

    @property
    def slope_shown(self):
        return _two_decimals(self.slope)


def _two_decimals(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def yearly_rates(values: dict[int, dict], title: str) -> dict[int, tuple[int, int, Fraction]]:
    """year → (recognised, base, rate) for the years that have both figures and a base above 0."""
    rates = {}
    for year, figures in values.items():
        recognised, base = figures.get((title, Measure.RECOGNISED)), figures.get((title, Measure.BASE))
        value = rate(recognised, base)
        if value is not None:
            rates[year] = (recognised, base, value)
    return rates


def progress_from_values(title: str, target_year: int, applicable, values: dict[int, dict], *, years: int):
    """Progress of one title from {year: {(title, measure): value}} of the years up to the target year."""
    result = Progress(title=title, target_year=target_year, applicable=applicable)
    rates = {year: row for year, row in yearly_rates(values, title).items() if year <= target_year}
    if not rates:
        return result
    result.actual_year = max(rates)
    result.recognised, result.base, result.actual = rates[result.actual_year]
    result.trend = trend_window({year: row[2] for year, row in rates.items()}, result.actual_year, years)
    line = least_squares(result.trend)
    if line is not None:
        result.slope = line.slope
        # A share of the base stays between 0 and 100 whatever the line says.
        result.projected = min(max(line.at(target_year), Fraction(0)), Fraction(100))
    if result.target is not None:
        if result.actual_year == target_year:
            result.reaches = result.actual >= Fraction(result.target)
        elif result.projected is not None:
            result.reaches = result.projected >= Fraction(result.target)
    return result


def _is_complete(values: dict[int, dict], titles, earliest_loaded: int, years: int) -> bool:
    """Whether the years loaded reach back over the trend window of every title's latest rate."""
    for title in titles:
        rates = yearly_rates(values, title)
        if not rates or max(rates) - years + 1 < earliest_loaded:
            return False
    return True


def _key(area) -> int | None:
    return area.pk if area is not None else None


def _read_year(units, national_from, year: int, tree: str) -> dict:
    """{unit pk: figures} of one year, and under None the whole country as the sum of the provinces
    `national_from` (as `figures.national` adds them), read in the same pass as the units."""
    read = for_units({unit.pk: unit for unit in [*units, *national_from]}.values(), year, tree)
    values = {pk: {} if f.unavailable else {k: fig.value for k, fig in f.figures.items()} for pk, f in read.items()}
    if national_from:
        total = defaultdict(int)
        for province in national_from:
            for key, value in values[province.pk].items():
                total[key] += value or 0
        values[None] = dict(total)
    return values


def load_values(titles_by_area: dict, tree: str, last_year: int, *, years: int) -> dict:
    """{area pk (None: the whole country): {year: {(title, measure): value}}}, reading back from
    `last_year` one window at a time, only as far as the trend of each area's titles needs. Years
    nothing was ever recorded for (not opened) hold no figures and are skipped."""
    units = [area for area in titles_by_area if area is not None]
    national_from = []
    if None in titles_by_area:
        national_from = list(AdministrativeUnit.objects.filter(tree=tree, level=Level.PROVINCE))
    values = {_key(area): {} for area in titles_by_area}
    opened = sorted(opened_years(settings.KHUYENHOC_FIRST_YEAR, last_year), reverse=True)
    for start in range(0, len(opened), years):
        batch = opened[start : start + years]
        for year in batch:
            read = _read_year(units, national_from, year, tree)
            for key, held in values.items():
                held[year] = read[key]
        if all(_is_complete(values[_key(area)], titles, batch[-1], years) for area, titles in titles_by_area.items()):
            break
    return values


def progress_of_areas(titles_by_area: dict, target_year: int, tree: str, *, today_year: int | None = None) -> dict:
    """{(area pk or None, title): Progress} for several areas of one tree (None: the whole country),
    each for its own titles: one read per year for all of them."""
    today_year = today_year or timezone.localdate().year
    years = settings.KHUYENHOC_TREND_YEARS
    values = load_values(titles_by_area, tree, min(target_year, today_year), years=years)
    book = TargetBook(target_year, titles_by_area)
    return {
        (_key(area), title): progress_from_values(
            title, target_year, book.applicable(area, title), values[_key(area)], years=years
        )
        for area, titles in titles_by_area.items()
        for title in titles
    }


def progress(area, title: str, target_year: int, tree: str, *, today_year: int | None = None) -> Progress:
    """Progress of `area` (None: the whole country) towards its target for `title` in `target_year`."""
    return progress_of_areas({area: [title]}, target_year, tree, today_year=today_year)[(_key(area), title)]


# Setting a unit's own targets --------------------------------------------------------------------


def _refusal(user, area) -> Exception | None:
    """Why `user` may not set `area`'s own targets, or None: province and district officers set
    their own unit's, system administrators any province's or district's."""
    if not has_perm(user, Perm.MANAGE_TARGETS):
        return PermissionDenied()
    if area is None or area.level not in SETTING_LEVELS:
        return ValidationError(_("Targets of their own are set by provinces and districts."), code="level")
    if not scope_for(user).everything and user.unit_id != area.pk:
        return ValidationError(_("You can set the targets of your own unit only."), code="own_unit")
    return None


def may_set_targets(user, area) -> bool:
    return _refusal(user, area) is None


def _require_may_set(user, area) -> None:
    refusal = _refusal(user, area)
    if refusal is not None:
        raise refusal


def clean_percent(value) -> Decimal:
    try:
        percent = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(_("Enter a percentage."), code="invalid") from None
    if not percent.is_finite():
        raise ValidationError(_("Enter a percentage."), code="invalid")
    if not 0 <= percent <= 100:
        raise ValidationError(_("A target is a percentage from 0 to 100."), code="range")
    if percent != percent.quantize(Decimal("0.01")):
        raise ValidationError(_("Enter a percentage with at most two decimals."), code="decimals")
    return percent


def _clean_into(errors: dict, name: str, clean, value):
    try:
        return clean(value)
    except ValidationError as error:
        errors.setdefault(name, []).extend(error.error_list)
        return None


def _clean_title(value) -> str:
    if value not in COUNTED_TITLES:
        raise ValidationError(_("Choose a title that is counted."), code="title")
    return value


def _clean_source(value) -> str:
    value = (value or "").strip()
    if len(value) > Target._meta.get_field("source").max_length:
        raise ValidationError(_("The source is too long."), code="source_length")
    return value


def _snapshot(target: Target) -> dict:
    area = target.area
    return {
        "title": target.title,
        "year": target.year,
        "percent": str(target.percent),
        "area": area.code if area else None,
        "tree": area.tree if area else None,
        "source": target.source,
        "note": target.note,
    }


def _check_seen(target: Target | None, version) -> None:
    """Refuse as stale unless the editor saw the area's target as it is now: `version` is the version
    they saw, None or empty when they saw none (a new target)."""
    seen = None if version in (None, "") else parse_version(version)
    if (target.version if target else None) != seen or (version not in (None, "") and seen is None):
        raise StaleVersion


@transaction.atomic
def target_save(*, actor, title, year, percent, area, source: str = "", note: str = "", version=None) -> Target:
    """Set (or change) `area`'s own target for `title` in `year`; it applies to the area and below,
    before any national target. `version` is the version of that target the editor saw (None: they
    saw none); a target set or changed by someone else meanwhile is refused as stale, nothing written."""
    _require_may_set(actor, area)
    errors = {}
    title = _clean_into(errors, "title", _clean_title, title)
    year = _clean_into(errors, "year", lambda value: clean_year_for(area, value), year)
    percent = _clean_into(errors, "percent", clean_percent, percent)
    source = _clean_into(errors, "source", _clean_source, source)
    if errors:
        raise ValidationError(errors)
    note = (note or "").strip()
    # No default ordering: it joins the units, which PostgreSQL will not lock through an outer join.
    own = Target.objects.select_for_update().filter(title=title, year=year, area=area, area_class=None)
    target = own.order_by("pk").first()
    _check_seen(target, version)
    before = _snapshot(target) if target else None
    if target is None:
        target = Target(title=title, year=year, area=area)
    elif (target.percent, target.source, target.note) == (percent, source, note):
        return target
    else:
        bump(target)
    target.percent, target.source, target.note = percent, source, note
    if before is None:
        try:
            with transaction.atomic():  # two first targets at once: the second is told, not a 500
                target.save()
        except IntegrityError as error:
            raise StaleVersion from error
    else:
        target.save()
    audit_record(actor=actor, action="target.save", obj=target, before=before, after=_snapshot(target))
    return target


@transaction.atomic
def target_delete(*, actor, target: Target, version) -> None:
    """Remove an area's own target seen at `version`: the national one applies there again. A target
    changed by someone else since is not removed (stale)."""
    if target.area is None and has_perm(actor, Perm.MANAGE_TARGETS):
        raise ValidationError(_("National targets come from the law and are not removed here."), code="national")
    _require_may_set(actor, target.area)
    try:
        target = lock_version(Target.objects.all(), target.pk, version)
    except Target.DoesNotExist as error:  # removed by someone else meanwhile
        raise StaleVersion from error
    audit_record(actor=actor, action="target.delete", obj=target, before=_snapshot(target))
    target.delete()

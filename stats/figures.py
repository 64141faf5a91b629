"""Reading figures: from the facts of the year's own tree, or mapped onto the 2025 tree.

A year is recorded on the tree in force then. Shown on that tree, a figure is one fact row. Shown on
the 2025 tree, a year before the reform is mapped forward through the official successions (stats.mapping):
- an old commune merged whole goes to its new commune;
- an old commune divided between several goes all to the package's default new commune, unless
  shares are entered for every piece (then by shares, rounded so the pieces add up exactly);
- what was held at an abolished district or at the old province itself (its figure minus its
  children's) goes to the new province.
So each new province is the sum of what is mapped into it, and national totals agree on both trees.
A year after the reform cannot be shown on the old tree: the old units no longer exist.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import (
    AdministrativeUnit,
    Level,
    Tree,
    Village,
    VillagePlacement,
    subtree_q,
    tree_for_year,
)

from . import mapping, patterns
from .models import EnteredAggregate, Fact, Measure

FigureKey = tuple[str, str]  # (title, measure)


class Source:
    RECORDS = "records"
    ENTERED = "entered"
    ENTERED_BELOW = "entered_below"
    MAPPED = "mapped"
    UNAVAILABLE = "unavailable"

    LABELS = {
        RECORDS: _("From records"),
        ENTERED: _("Entered at this area"),
        ENTERED_BELOW: _("From records and totals entered below"),
        MAPPED: _("Mapped from the pre-2025 tree"),
        UNAVAILABLE: _("Not available on this tree"),
    }


@dataclass
class Figure:
    value: int | None
    own: int = 0
    source: str = Source.RECORDS

    @property
    def source_label(self):
        return Source.LABELS[self.source]


@dataclass
class AreaFigures:
    """All figures of one area (or the whole country) for one year on one tree."""

    year: int
    tree: str
    figures: dict[FigureKey, Figure] = field(default_factory=dict)

    def get(self, title: str, measure: str) -> Figure:
        """The figure, or an unknown one (None) when nothing was recorded or entered for it."""
        return self.figures.get((title, measure)) or Figure(value=None)

    def value(self, title: str, measure: str) -> int | None:
        return self.get(title, measure).value

    @property
    def unavailable(self) -> bool:
        return self.tree == Tree.PRE_2025 and tree_for_year(self.year) != Tree.PRE_2025


def is_mapped(tree: str, year: int) -> bool:
    return tree == Tree.Y2025 and tree_for_year(year) == Tree.PRE_2025


def for_units(units, year: int, tree: str) -> dict[int, AreaFigures]:
    """Figures of several units of `tree` (an area and its children, say) for `year`."""
    units = list(units)
    if tree == Tree.PRE_2025 and tree_for_year(year) != Tree.PRE_2025:
        return {u.pk: AreaFigures(year, tree) for u in units}
    if is_mapped(tree, year):
        return _mapped(units, year)
    result = {u.pk: AreaFigures(year, tree) for u in units}
    facts = Fact.objects.filter(unit__in=units, year=year).exclude(value=0, entered=None, own=0, entered_count=0)
    for unit_id, title, measure, own, entered, value, entered_count in facts.values_list(
        "unit_id", "title", "measure", "own", "entered", "value", "entered_count"
    ):
        if entered is not None:
            source = Source.ENTERED
        elif entered_count:
            source = Source.ENTERED_BELOW
        else:
            source = Source.RECORDS
        result[unit_id].figures[(title, measure)] = Figure(value, own=own, source=source)
    return result


def for_unit(unit, year: int, tree: str | None = None) -> AreaFigures:
    return for_units([unit], year, tree or unit.tree)[unit.pk]


def national(year: int, tree: str) -> AreaFigures:
    """The whole country: the sum of the provinces of `tree`."""
    provinces = AdministrativeUnit.objects.filter(tree=tree, level=Level.PROVINCE)
    total = AreaFigures(year, tree)
    for figures in for_units(provinces, year, tree).values():
        for key, figure in figures.figures.items():
            current = total.figures.setdefault(key, Figure(0, source=figure.source))
            current.value = (current.value or 0) + (figure.value or 0)
            if figure.source != Source.RECORDS and current.source == Source.RECORDS:
                current.source = Source.ENTERED_BELOW if figure.source == Source.ENTERED else figure.source
    return total


def for_unit_years(area, years, tree: str) -> dict[int, AreaFigures]:
    """An area's (None: the whole country's) figures for several years; the years mapped onto the
    2025 tree are mapped together."""
    result = {}
    mapped = [y for y in years if is_mapped(tree, y)] if area is not None else []
    if mapped:
        for year, by_unit in _mapped_years([area], mapped).items():
            result[year] = by_unit[area.pk]
    for year in years:
        if year not in result:
            result[year] = national(year, tree) if area is None else for_unit(area, year, tree)
    return result


def figure_values(area, years, tree: str, *, read=None) -> dict[int, dict[FigureKey, int | None]]:
    """{year: {(title, measure): value}} of an area (None: the whole country) over several years;
    `read`: what `for_unit_years` gave, when the caller has it already."""
    return {
        year: {} if figures.unavailable else {key: figure.value for key, figure in figures.figures.items()}
        for year, figures in (read or for_unit_years(area, years, tree)).items()
    }


# Mapping a year before the reform onto the 2025 tree (the successions themselves: stats.mapping) --


def _mapped(new_units, year: int) -> dict[int, AreaFigures]:
    return _mapped_years(new_units, [year])[year]


def _mapped_years(new_units, years) -> dict[int, dict[int, AreaFigures]]:
    """Old years of several new units: new provinces from the old provinces merged into them,
    new communes from their old communes."""
    totals = mapping.mapped_communes([u.pk for u in new_units if u.level == Level.COMMUNE], years)
    totals.update(mapping.mapped_provinces([u for u in new_units if u.level == Level.PROVINCE], years))
    result = {}
    for year in years:
        result[year] = {}
        for unit in new_units:
            area_figures = AreaFigures(year, Tree.Y2025)
            area_figures.figures = {
                key: Figure(value, source=Source.MAPPED)
                for key, value in totals.get((unit.pk, year), {}).items()
                if value
            }
            result[year][unit.pk] = area_figures
    return result


def commune_values(communes, year: int, tree: str, keys: list[FigureKey]) -> dict[int, dict[FigureKey, int]]:
    """{commune id: {key: value}} of a few figures (`keys`) of many communes of `tree` (a queryset, read
    as a join rather than a list of ids) for `year`; a figure `for_units` holds no value of is left
    out. One query, or the mapping's three for a year mapped onto the 2025 tree, whatever the number
    of communes: the whole country's map reads 10,000."""
    if tree == Tree.PRE_2025 and tree_for_year(year) != Tree.PRE_2025:
        return {}
    result = defaultdict(dict)
    if is_mapped(tree, year):
        wanted = set(keys)
        ids = list(communes.values_list("pk", flat=True))
        for (unit_id, _year), values in mapping.mapped_communes(ids, [year], keys).items():
            result[unit_id].update({key: value for key, value in values.items() if value and key in wanted})
        return result
    facts = Fact.objects.filter(unit__in=communes.values("pk"), year=year)
    facts = facts.filter(title__in={t for t, _m in keys}, measure__in={m for _t, m in keys})
    # The rows `for_units` leaves out: nothing counted, entered or held there.
    facts = facts.exclude(value=0, entered=None, own=0, entered_count=0)
    # Each row's key is the caller's own tuple: 10,000 rows keep no tuples of their own.
    wanted = {key: key for key in keys}
    for unit_id, title, measure, value in facts.values_list("unit_id", "title", "measure", "value"):
        key = wanted.get((title, measure))
        if key is not None:
            result[unit_id][key] = value
    return result


# Periods ------------------------------------------------------------------------------------------


def period_years(first: int, last: int) -> list[int]:
    first = max(first, settings.KHUYENHOC_FIRST_YEAR)
    return list(range(first, last + 1))


def recognitions_over(area, title: str, years, tree: str) -> int:
    """Lượt: recognitions summed over the years (an entity recognised three years counts three)."""
    total = 0
    for year_values in figure_values(area, years, tree).values():
        total += year_values.get((title, Measure.GRANTED)) or 0
    return total


def distinct_recognised(area, title: str, years, tree: str) -> int | None:
    return distinct_recognised_of(area, [title], years, tree)[title]


def distinct_recognised_of(area, titles, years, tree: str) -> dict[str, int | None]:
    """title → entities recognised at least once in the years, from their recognition patterns (kept
    from the evaluations themselves); None where a total was entered for a year of the period (an
    entered total names nobody)."""
    years = list(years)
    old_paths = mapping.old_units_in(area) if mapping.maps_old_years(area, years) else []
    entered = EnteredAggregate.objects.filter(title__in=titles, year__in=years, measure="recognised")
    if area is not None:
        entered = entered.filter(subtree_q("path", area.path) | Q(path__in=old_paths))
    known = [t for t in titles if not entered.filter(title=t).exists()]
    counts = patterns.distinct(area, known, years, tree, old_paths)
    return {title: counts.get(title) for title in titles}


def villages_with_figures(communes, year: int, villages) -> dict[int, list[tuple[Village, AreaFigures]]]:
    """Commune id → its villages in `year` among `villages` (a queryset of those seen; None: all), each
    with its figures: two queries for any number of communes (a workbook of the whole country walks 10,000)."""
    by_commune = {commune.pk: [] for commune in communes}
    trees = {commune.pk: commune.tree for commune in communes}
    found = {}
    placements = VillagePlacement.objects.covering(year).filter(commune_id__in=by_commune)
    if villages is not None:
        placements = placements.filter(village__in=villages)
    for placement in placements.select_related("village"):
        figures = AreaFigures(year, trees[placement.commune_id])
        found[placement.village_id] = figures
        by_commune[placement.commune_id].append((placement.village, figures))
    for fact in Fact.objects.filter(village_id__in=list(found), year=year):
        source = Source.ENTERED if fact.entered is not None else Source.RECORDS
        found[fact.village_id].figures[(fact.title, fact.measure)] = Figure(fact.value, own=fact.own, source=source)
    return by_commune

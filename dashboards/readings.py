"""What a dashboard shows for an area (None: the whole country), a year and a tree, read through the
statistics' own readings so that every number is the statistics page's and the figures API's:
`stats.overview.year_view` for the year's figures and sub-areas, `stats.figures.figure_values` for
the years of the trend, `stats.targets` for the target that applies and the fitted trend,
`stats.quality` for the data warnings and `stats.reports` for who has reported.

Each chart keeps its numbers as a `Table`: the page shows it under the chart, the CSV route writes
it, and the chart script draws from it, so the three cannot disagree."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.utils.translation import gettext as _

from areas.models import AdministrativeUnit, Tree, tree_for_year
from criteria.models import Title
from stats import figures, overview, quality, reports, targets
from stats.facts import opened_years
from stats.models import COUNTED_TITLES, Measure

from . import maps
from .bands import current_bands, light_for
from .tables import Table

RANKED = 5  # best and worst sub-areas shown in the ranking chart (all are in its table)


@dataclass
class TitleLine:
    title: str
    label: str
    base: int | None
    recognised: int | None
    actual: Decimal | None  # % of the base recognised in the year (the statistics page's rate)
    target: Decimal | None
    target_year: int
    target_reason: str
    gap: Decimal | None  # percentage points still to go (negative: beyond the target)
    projected: Decimal | None  # the fitted trend's rate in the target year
    light: object  # bands.Lit or None


@dataclass
class Dashboard:
    area: AdministrativeUnit | None
    year: int
    tree: str
    title: str  # the title ranked and mapped
    view: overview.YearView
    lines: list[TitleLine]
    tables: dict[str, Table]
    trend_series: list[dict]
    best: list = field(default_factory=list)
    worst: list = field(default_factory=list)
    reporting: reports.Reporting | None = None
    warnings: list = field(default_factory=list)
    map_points: list[maps.MapPoint] = field(default_factory=list)
    map_legend: list[tuple[str, str]] = field(default_factory=list)
    map_size: tuple[int, int] = (0, 0)
    map_base_range: tuple[int, int] | None = None

    @property
    def unavailable(self) -> bool:
        return self.view.unavailable


def _decimal(value: Fraction | None, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(places), ROUND_HALF_UP)


def tree_years(tree: str, last: int, opened: list[int] | None = None) -> list[int]:
    """The opened years a tree holds figures of, up to `last`, oldest first: the pre-2025 tree stops
    before the reform; the 2025 tree also holds the years before it, mapped. `opened`: the opened
    years, when the caller has read them already."""
    if opened is None:
        opened = opened_years(settings.KHUYENHOC_FIRST_YEAR, last)
    years = sorted(y for y in opened if settings.KHUYENHOC_FIRST_YEAR <= y <= last)
    return [y for y in years if tree != Tree.PRE_2025 or tree_for_year(y) == Tree.PRE_2025]


def _lines(area, year: int, view: overview.YearView, values: dict) -> tuple[list[TitleLine], dict]:
    """Each title against the target that applies in the first target year from `year` on, with the
    progress `stats.targets` reads from the years' figures (`values`, as `figures.figure_values` gives
    them: the targets page's reading, the years read once for the trend too)."""
    target_year = targets.next_target_year(targets.target_years(area), year)
    book = targets.TargetBook(target_year, [area])
    progress = {
        title: targets.progress_from_values(
            title, target_year, book.applicable(area, title), values, years=settings.KHUYENHOC_TREND_YEARS
        )
        for title in COUNTED_TITLES
    }
    bands = current_bands()
    lines = []
    for row in view.titles:
        found = progress[row.title]
        actual = row.rate_of_base
        target = found.target
        gap = (target - actual).quantize(Decimal("0.1")) if target is not None and actual is not None else None
        lines.append(
            TitleLine(
                title=row.title,
                label=str(row.label),
                base=row.base.value,
                recognised=row.recognised.value,
                actual=actual,
                target=target,
                target_year=target_year,
                target_reason=str(found.applicable.reason) if found.applicable else "",
                gap=gap,
                projected=_decimal(found.projected, "0.1"),
                light=light_for(actual, target, bands),
            )
        )
    return lines, progress


def _trend(years: list[int], tree: str, values: dict, progress: dict) -> tuple[Table, list[dict]]:
    """Each title's rate in every year of the tree up to the dashboard's (mapped years marked), and the
    line `stats.targets` fits through the last years, from its first year to the target year."""
    table = Table(
        "trend",
        _("Rate recognised over the years (percentage of the total)"),
        [_("Title"), _("Year"), _("Rate (%)"), _("Fitted trend (%)"), _("Mapped from the pre-2025 tree")],
    )
    series = []
    for title in COUNTED_TITLES:
        label = str(Title(title).label)
        line = targets.least_squares(progress[title].trend)
        target_year = progress[title].target_year
        fitted_years = []
        if line is not None:
            fitted_years = sorted({*(y for y, _r in progress[title].trend), target_year})
        rates = {}
        for y in years:
            held = values.get(y, {})
            rates[y] = overview.rate(held.get((title, Measure.RECOGNISED)), held.get((title, Measure.BASE)))
        points = []
        for y in sorted({*years, *fitted_years}):
            fitted = None
            if line is not None and y in fitted_years:
                fitted = _decimal(min(max(line.at(y), Fraction(0)), Fraction(100)), "0.1")
            rate = rates.get(y)
            if rate is None and fitted is None:
                continue
            mapped = _("yes") if figures.is_mapped(tree, y) else ""
            table.rows.append([label, str(y), rate, fitted, mapped])
            points.append({"year": y, "rate": _num(rate), "fitted": _num(fitted)})
        target = progress[title].target
        series.append({"title": label, "points": points, "target": _num(target), "target_year": target_year})
    return table, series


def _num(value):
    return float(value) if value is not None else None


def _ranking(view: overview.YearView, title: str) -> tuple[Table, list, list]:
    """The sub-areas by the title's rate, highest first; those without a rate last."""
    rows = []
    for child, title_rows in view.children:
        row = next(r for r in title_rows if r.title == title)
        rows.append((child, row.base.value, row.recognised.value, row.rate_of_base))
    rows.sort(key=lambda r: (r[3] is None, -(r[3] or 0), r[0].sort_key))
    table = Table(
        "ranking",
        _("Sub-areas by the rate recognised: %(title)s") % {"title": Title(title).label},
        [_("Rank"), _("Code"), _("Sub-area"), _("Total (base)"), _("Recognised"), _("Rate (%)")],
    )
    ranked = [r for r in rows if r[3] is not None]
    for rank, (child, base, recognised, rate) in enumerate(rows, start=1):
        table.rows.append([rank if rate is not None else None, child.code, child.name, base, recognised, rate])
    best = ranked[:RANKED]
    worst = list(reversed(ranked[-RANKED:])) if len(ranked) > RANKED else []
    return table, best, worst


def _titles_table(lines: list[TitleLine]) -> Table:
    table = Table(
        "titles",
        _("Recognised against the target"),
        [
            _("Title"),
            _("Total (base)"),
            _("Recognised"),
            _("Actual (%)"),
            _("Target (%)"),
            _("Target year"),
            _("Gap (points)"),
            _("Projected (%)"),
            _("Light"),
        ],
    )
    for line in lines:
        table.rows.append(
            [
                line.label,
                line.base,
                line.recognised,
                line.actual,
                line.target,
                str(line.target_year),
                line.gap,
                line.projected,
                line.light.label if line.light else "",
            ]
        )
    return table


def _network_table(view: overview.YearView) -> Table:
    table = Table("network", _("The association network"), [_("Figure"), _("Value")])
    by_measure = {row.measure: row for row in view.network}
    for measure in [*overview.ASSOCIATION_LEVELS, Measure.MEMBERS, Measure.POPULATION]:
        row = by_measure[measure]
        table.rows.append([str(row.label), row.figure.value])
    table.rows.append([_("Members (percentage of the population)"), view.members_rate])
    return table


# The whole dashboard ----------------------------------------------------------------------------------


def dashboard(
    area, year: int, tree: str, user, *, title: str = COUNTED_TITLES[0], with_map: bool = True, opened=None
) -> Dashboard:
    """`with_map` False: without the map's points and table (the whole country's page loads them apart,
    through `maps.map_json`); `opened`: the opened years, when the caller has read them already."""
    # The years are read once: the year's own figures, the trend, the targets' progress and the
    # warnings (against the year before) all come from this read.
    years = tree_years(tree, year, opened)
    read = figures.for_unit_years(area, years, tree)
    view = overview.year_view(area, year, tree, user, area_figures=read.get(year))
    if view.unavailable:
        return Dashboard(area, year, tree, title, view, [], {}, [])
    values = figures.figure_values(area, years, tree, read=read)
    lines, progress = _lines(area, year, view, values)
    trend_table, trend_series = _trend(years, tree, values, progress)
    ranking_table, best, worst = _ranking(view, title)
    drawn = maps.commune_map(area, year, tree, title, user) if with_map else None
    result = Dashboard(
        area=area,
        year=year,
        tree=tree,
        title=title,
        view=view,
        lines=lines,
        tables={
            "titles": _titles_table(lines),
            "trend": trend_table,
            "ranking": ranking_table,
            "network": _network_table(view),
        },
        trend_series=trend_series,
        best=best,
        worst=worst,
        map_legend=maps.map_legend(),
    )
    if drawn is not None:
        result.tables["map"] = drawn.table
        result.map_points, result.map_size, result.map_base_range = drawn.points, drawn.size, drawn.base_range
    if area is None or area.tree == tree_for_year(year):
        result.reporting = reports.reporting(area, year)
    if area is not None:
        before = read.get(year - 1) or figures.for_unit(area, year - 1, tree)
        result.warnings = quality.warnings_of(read.get(year) or figures.for_unit(area, year, tree), before)
    return result


CHARTS = ("titles", "trend", "ranking", "network", "map")
TITLE_CHOICES = [(title, Title(title).label) for title in COUNTED_TITLES]

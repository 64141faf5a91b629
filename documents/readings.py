"""What a document reads: the statistics' own readings (stats.figures, stats.overview, stats.targets),
the same functions with the same parameters as the statistics page and the figures API, so that a
number in a file is the number the page and the API show for the same area, years and user."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import User
from accounts.roles import Role
from areas.models import AdministrativeUnit, Village
from stats import figures, overview, targets
from stats.models import COUNTED_TITLES, NETWORK, Measure


def reader_of(document):
    """Whose eyes the sub-areas are read with: the requester's; for a document made from the command
    line (its operator runs the server and sees everything), an unsaved system administrator."""
    if document.requested_by is not None:
        return document.requested_by
    return User(username="make_document", role=Role.SYSTEM_ADMIN)


@dataclass
class AreaReading:
    """An area (None: the whole country) over a period, as the statistics page reads it."""

    area: AdministrativeUnit | None
    tree: str
    years: list[int]
    by_year: dict[int, figures.AreaFigures]
    period: list[overview.PeriodRow]
    titles: list[overview.TitleRow]  # the last year's
    network: dict[str, overview.NetworkRow]  # the last year's, by measure
    associations_below: int | None
    members_rate: Decimal | None
    target_year: int | None
    progress: dict[str, targets.Progress] = field(default_factory=dict)

    @property
    def last_year(self) -> int:
        return self.years[-1]

    def recognised(self, title: str, year: int) -> int | None:
        return self.by_year[year].value(title, Measure.RECOGNISED)

    def network_value(self, measure: str, year: int | None = None) -> int | None:
        return self.by_year[year or self.last_year].value(NETWORK, measure)

    def period_row(self, title: str) -> overview.PeriodRow:
        return next(row for row in self.period if row.title == title)


def target_year_for(area, last_year: int) -> int | None:
    """The first year with a target that applies to the area from the period's last year on (the
    last one when all have passed); None when no target applies."""
    years = targets.target_years(area)
    return targets.next_target_year(years, last_year) if years else None


def read_area(area, tree: str, years: list[int]) -> AreaReading:
    by_year = figures.for_unit_years(area, years, tree)
    values = figures.figure_values(area, years, tree, read=by_year)
    last = by_year[years[-1]]
    members_rate = overview.rate(last.value(NETWORK, Measure.MEMBERS), last.value(NETWORK, Measure.POPULATION))
    reading = AreaReading(
        area=area,
        tree=tree,
        years=years,
        by_year=by_year,
        period=overview.period_view(area, years[0], years[-1], tree, values=values),
        titles=overview.title_rows(last),
        network={row.measure: row for row in overview.network_rows(last)},
        associations_below=overview.associations_below(area, last),
        members_rate=members_rate,
        target_year=target_year_for(area, years[-1]),
    )
    if reading.target_year is not None:
        found = targets.progress_of_areas(
            {area: COUNTED_TITLES}, reading.target_year, tree, today_year=min(years[-1], reading.target_year)
        )
        key = area.pk if area is not None else None
        reading.progress = {title: found[(key, title)] for title in COUNTED_TITLES}
    return reading


@dataclass
class SubArea:
    """One row under the area: a unit or a village, its depth below the area (1: a child), its
    figures per year, and the target that applies to it in the target year."""

    place: AdministrativeUnit | Village
    kind: str  # "units" or "villages"
    depth: int
    by_year: dict[int, figures.AreaFigures]
    applicable: dict[str, targets.ApplicableTarget | None]

    @property
    def last(self) -> figures.AreaFigures:
        return self.by_year[max(self.by_year)]

    def recognitions(self, title: str) -> int:
        """Lượt over the period: the recognitions of each year summed."""
        return sum(f.value(title, Measure.GRANTED) or 0 for f in self.by_year.values())


def _children(node, years, tree, user) -> tuple[str, list[tuple[object, dict[int, figures.AreaFigures]]]]:
    """The node's sub-areas in the last year's order (then any only earlier years had), each with its
    figures per year, read by the statistics' drill-down exactly as the page and the API read them."""
    kind, per_year = "units", {}
    for year in years:
        kind, per_year[year] = overview.drill_down(node, year, tree, user)
    return kind, _by_child(per_year, years, tree)


def _by_child(per_year, years, tree) -> list[tuple[object, dict[int, figures.AreaFigures]]]:
    """Children found per year → each child with its figures per year, in the last year's order (then
    any only earlier years had); a year without the child gives it empty figures."""
    ordered, by_year = [], {}
    for year in years:
        for child, child_figures in per_year[year]:
            if child.pk not in by_year:
                by_year[child.pk] = {}
                ordered.append(child)
            by_year[child.pk][year] = child_figures
    last = years[-1]
    ordered.sort(key=lambda child: last not in by_year[child.pk])
    for child in ordered:
        for year in years:
            by_year[child.pk].setdefault(year, figures.AreaFigures(year, tree))
    return [(child, by_year[child.pk]) for child in ordered]


def sub_areas(area, tree: str, years: list[int], user, target_year: int | None, *, on_top=None) -> Iterator[SubArea]:
    """Every sub-area the user sees under the area, depth first (a district, then its communes, each
    followed by its villages), read one node at a time: the whole country streams in bounded memory.
    `on_top(done, total)` is told as each of the area's own children is finished."""
    yield from _walk(area, tree, years, user, target_year, depth=1, inherited={}, on_top=on_top)


def _walk(node, tree, years, user, target_year, *, depth, inherited, on_top, read=None) -> Iterator[SubArea]:
    kind, children = read if read is not None else _children(node, years, tree, user)
    book = None
    if target_year is not None and kind == "units" and children:
        book = targets.TargetBook(target_year, [child for child, _by_year in children])
    # The villages of all these children read at once: one commune at a time, the whole country's
    # workbook spent most of its time in 30,000 small queries.
    villages = _villages_of_all([child for child, _by_year in children], years, tree, user) if kind == "units" else {}
    for done, (child, by_year) in enumerate(children, start=1):
        if book is not None:
            applicable = {title: book.applicable(child, title) for title in COUNTED_TITLES}
        else:  # a village: its commune's targets
            applicable = inherited
        yield SubArea(child, kind, depth, by_year, applicable)
        if kind == "units":
            yield from _walk(
                child,
                tree,
                years,
                user,
                target_year,
                depth=depth + 1,
                inherited=applicable,
                on_top=None,
                read=villages.get(child.pk),
            )
        if on_top is not None:
            on_top(done, len(children))


def _villages_of_all(units, years, tree, user) -> dict[int, tuple[str, list]]:
    """Unit id → ("villages", its villages with their figures per year), as `_children` reads them, for
    the units among `units` drilled into villages in every year asked (communes of the years' tree)."""
    communes = [unit for unit in units if all(overview.has_villages(unit, year) for year in years)]
    if not communes:
        return {}
    per_year = {year: overview.villages_drilled(communes, year, user) for year in years}
    return {
        commune.pk: ("villages", _by_child({year: per_year[year][commune.pk] for year in years}, years, tree))
        for commune in communes
    }

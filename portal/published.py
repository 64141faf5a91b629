"""What the portal may show, read the way the statistics read it (stats/overview.py, stats/figures.py)
and limited to what is published:
- an area's figures for a year, when a province published that area-year or one of an area above it
  (`PublishedAreaYear`), or when the area is a commune whose yearly report for the year is accepted;
- published recognition decisions: number, date, issuing body and how many were recognised, by title.
Nothing names a person: not the households' or clans' heads, not the decisions' signers, not accounts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from areas.models import AdministrativeUnit, Level, subtree_q, tree_for_year
from criteria.models import Title
from evaluations.models import DecisionStatus, RecognitionDecision
from stats import figures, overview
from stats.models import COUNTED_TITLES, Measure, ReportState, YearReport

from .models import DEFAULT_LICENCE, OpenDataLicence, PublishedAreaYear


def _lineage(unit) -> list[int]:
    return [a.pk for a in unit.ancestors()] + [unit.pk]


def published_years(unit) -> list[int]:
    """The years whose figures of `unit` are public, oldest first."""
    years = set(PublishedAreaYear.objects.filter(unit_id__in=_lineage(unit)).values_list("year", flat=True))
    if unit.level == Level.COMMUNE:
        accepted = YearReport.objects.filter(commune=unit, state=ReportState.ACCEPTED)
        years.update(accepted.values_list("year", flat=True))
    # Only years the unit's tree records in its own right (a publication cannot name another).
    return sorted(y for y in years if tree_for_year(y) == unit.tree)


def public_areas() -> dict[AdministrativeUnit, list[int]]:
    """Every area with a published year, each with those years (the same rule as `published_years`,
    read in three queries for the sitemap): the areas published, every area under them, and the
    communes whose yearly reports are accepted; the areas above them are listed with no year."""
    publications = list(PublishedAreaYear.objects.values_list("unit__path", "year"))
    accepted = list(
        YearReport.objects.filter(state=ReportState.ACCEPTED).values_list("commune__path", "commune_id", "year")
    )
    held = Q(pk__in=[commune_id for _path, commune_id, _year in accepted])
    for path, _year in publications:
        held |= subtree_q("path", path)
    if not publications and not accepted:
        return {}
    units = list(AdministrativeUnit.objects.filter(held))
    above = {a for unit in units for a in unit.ancestors()}
    result = {}
    for unit in sorted({*units, *above}, key=lambda u: (u.tree, u.path)):
        years = {y for path, y in publications if unit.path.startswith(path)}
        years |= {y for path, _pk, y in accepted if path == unit.path}
        result[unit] = sorted(y for y in years if tree_for_year(y) == unit.tree)
    return result


def is_published(unit, year: int) -> bool:
    return year in published_years(unit)


def decisions(unit, year: int | None = None):
    """Published decisions recognising subjects in `unit`'s area, each with `recognised_here`: how many
    of its recognitions are there. Revoked and draft decisions never appear."""
    in_area = subtree_q("evaluations__area__path", unit.path)
    found = RecognitionDecision.objects.filter(status=DecisionStatus.PUBLISHED).filter(
        Q(subtree_q("issuing_area__path", unit.path)) | in_area
    )
    if year is not None:
        found = found.filter(year=year)
    return (
        found.annotate(recognised_here=Count("evaluations", filter=in_area, distinct=True))
        .only("title", "year", "number", "date", "issuing_body", "issuing_area")
        .order_by("-date", "-id")
        .distinct()
    )


def decision_years(unit) -> list[int]:
    return sorted(set(decisions(unit).values_list("year", flat=True)))


def public_units(tree: str, level: int):
    return AdministrativeUnit.objects.filter(tree=tree, level=level).order_by("sort_key", "code")


def published_children(unit) -> list[tuple[AdministrativeUnit, list[int]]]:
    """The sub-areas of `unit` with any published year, each with those years."""
    children = list(unit.children.order_by("sort_key", "code"))
    own = set(published_years(unit))
    below = PublishedAreaYear.objects.filter(subtree_q("unit__path", unit.path)).exclude(unit=unit)
    by_path: dict[str, set[int]] = {}
    for path, year in below.values_list("unit__path", "year"):
        by_path.setdefault(path, set()).add(year)
    accepted = YearReport.objects.filter(subtree_q("commune__path", unit.path), state=ReportState.ACCEPTED)
    for path, year in accepted.values_list("commune__path", "year"):
        by_path.setdefault(path, set()).add(year)
    result = []
    for child in children:
        years = set(own)
        for path, found in by_path.items():
            if path.startswith(child.path):
                years |= found
        years = sorted(y for y in years if tree_for_year(y) == child.tree)
        if years:
            result.append((child, years))
    return result


def licence_of(unit) -> str:
    province = unit if unit.level == Level.PROVINCE else unit.ancestors()[0]
    found = OpenDataLicence.objects.filter(province=province).values_list("licence", flat=True).first()
    return found or DEFAULT_LICENCE


@dataclass
class YearFigures:
    unit: AdministrativeUnit
    year: int
    titles: list[overview.TitleRow]
    network: list[overview.NetworkRow]
    members_rate: object
    children: list[tuple[AdministrativeUnit, list[overview.TitleRow]]]


def year_figures(unit, year: int) -> YearFigures:
    """The unit's published figures for the year and those of its sub-areas (published with it)."""
    read = figures.for_unit(unit, year, unit.tree)
    rate = overview.rate(read.value("", Measure.MEMBERS), read.value("", Measure.POPULATION))
    children = list(unit.children.order_by("sort_key", "code")) if unit.level != Level.COMMUNE else []
    by_child = figures.for_units(children, year, unit.tree) if children else {}
    return YearFigures(
        unit=unit,
        year=year,
        titles=overview.title_rows(read),
        network=overview.network_rows(read),
        members_rate=rate,
        children=[(child, overview.title_rows(by_child[child.pk])) for child in children],
    )


@dataclass
class TrendBar:
    year: int
    value: int | None
    width: int  # percent of the longest bar


@dataclass
class Trend:
    title: str
    label: str
    bars: list[TrendBar]


def trends(unit, years: list[int]) -> list[Trend]:
    """Recognised per title over the published years; titles with nothing recognised are left out."""
    values = figures.figure_values(unit, years, unit.tree)
    result = []
    for title in COUNTED_TITLES:
        series = [(y, values[y].get((title, Measure.RECOGNISED))) for y in years]
        top = max((v or 0 for _, v in series), default=0)
        if not top:
            continue
        bars = [TrendBar(y, v, round((v or 0) * 100 / top)) for y, v in series]
        result.append(Trend(title, Title(title).label, bars))
    return result


def open_data(unit, year: int, data_date: date) -> dict:
    """The open data of one area-year: the page's figures as plain values."""
    read = year_figures(unit, year)
    # Recognitions granted by the year's decisions (its lượt): beside "recognised", which also holds
    # recognitions granted earlier and still valid where the criteria set says so.
    granted = figures.for_unit(unit, year, unit.tree)
    rows = []
    for row in read.titles:
        rows.append(
            {
                "title": row.title,
                "title_label": str(row.label),
                "base": row.base.value,
                "registered": row.registered.value,
                "recognised": row.recognised.value,
                "granted": granted.value(row.title, Measure.GRANTED),
                "rate_of_base": str(row.rate_of_base) if row.rate_of_base is not None else None,
            }
        )
    return {
        "area": {"tree": unit.tree, "code": unit.code, "name": unit.name},
        "year": year,
        "licence": licence_of(unit),
        "data_date": data_date.isoformat(),
        "titles": rows,
        "network": [
            {"measure": row.measure, "label": str(row.label), "value": row.figure.value} for row in read.network
        ],
    }

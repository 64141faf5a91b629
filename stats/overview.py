"""What the statistics page, its exports and the API show for an area: one year's figures or a
period's, each with its source, the sub-areas to drill into, and the rates, always labelled."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from areas.models import AdministrativeUnit, Level, Tree, Village, tree_for_year
from areas.scope import scope_of
from criteria.models import Title

from . import figures, mapping
from .models import COUNTED_TITLES, NETWORK, Measure

ASSOCIATION_LEVELS = [
    Measure.ASSOCIATIONS_PROVINCE,
    Measure.ASSOCIATIONS_DISTRICT,
    Measure.ASSOCIATIONS_PROVINCE_SCHOOL,
    Measure.ASSOCIATIONS_COMMUNE,
]
BRANCHES_AND_BOARDS = [
    Measure.VILLAGE_BRANCHES,
    Measure.AGENCY_BRANCHES,
    Measure.AGENCY_BOARDS,
    Measure.SCHOOL_BOARDS,
    Measure.CLAN_BOARDS,
]
MONEY = [Measure.FUND_VND, Measure.SCHOLARSHIPS, Measure.SCHOLARSHIPS_VND]
OWN_ASSOCIATION = {
    Level.PROVINCE: Measure.ASSOCIATIONS_PROVINCE,
    Level.DISTRICT: Measure.ASSOCIATIONS_DISTRICT,
    Level.COMMUNE: Measure.ASSOCIATIONS_COMMUNE,
}


def rate(part: int | None, whole: int | None) -> Decimal | None:
    """A percentage with one decimal, or None when the whole is missing or zero."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class TitleRow:
    title: str
    label: str
    base: figures.Figure
    registered: figures.Figure
    recognised: figures.Figure

    @property
    def rate_of_base(self):
        return rate(self.recognised.value, self.base.value)

    @property
    def rate_of_registered(self):
        return rate(self.recognised.value, self.registered.value)


@dataclass
class NetworkRow:
    measure: str
    label: str
    figure: figures.Figure
    # Held at this area itself (its own association's figures), beside the total under it.
    own: int | None = None


@dataclass
class YearView:
    area: AdministrativeUnit | None
    year: int
    tree: str
    titles: list[TitleRow]
    network: list[NetworkRow]
    associations_below: int | None
    members_rate: Decimal | None
    unavailable: bool
    mapped: bool
    children: list[tuple[object, list[TitleRow]]] = field(default_factory=list)
    children_kind: str = "units"


def title_rows(area_figures: figures.AreaFigures) -> list[TitleRow]:
    return [
        TitleRow(
            title,
            Title(title).label,
            area_figures.get(title, Measure.BASE),
            area_figures.get(title, Measure.REGISTERED),
            area_figures.get(title, Measure.RECOGNISED),
        )
        for title in COUNTED_TITLES
    ]


def network_rows(area_figures: figures.AreaFigures) -> list[NetworkRow]:
    rows = []
    for measure in [*ASSOCIATION_LEVELS, *BRANCHES_AND_BOARDS, Measure.MEMBERS, Measure.POPULATION, *MONEY]:
        figure = area_figures.get(NETWORK, measure)
        rows.append(NetworkRow(measure, Measure(measure).label, figure, own=figure.own))
    return rows


def associations_below(area, area_figures: figures.AreaFigures) -> int | None:
    """Associations in the area other than its own level's (the seed's "134 associations": district,
    school and commune associations under the province association)."""
    if area_figures.unavailable:
        return None
    own_level = OWN_ASSOCIATION.get(area.level) if area is not None else None
    counts = [area_figures.value(NETWORK, m) for m in ASSOCIATION_LEVELS if m != own_level]
    return sum(c for c in counts if c is not None) if any(c is not None for c in counts) else None


def children_of(area, tree: str, year: int, user):
    """The sub-areas to drill into on `tree` that the user sees: provinces for the country, then
    districts, communes."""
    if area is None:
        children = AdministrativeUnit.objects.filter(tree=tree, level=Level.PROVINCE).order_by("code")
    else:
        children = area.children.order_by("sort_key", "code")
    return children.filter(pk__in=AdministrativeUnit.objects.visible_to(user).values("pk"))


def has_villages(area, year: int) -> bool:
    """A commune of the year's own tree is drilled into its villages."""
    return area is not None and area.level == Level.COMMUNE and area.tree == tree_for_year(year)


def drill_down(area, year: int, tree: str, user) -> tuple[str, list[tuple[object, figures.AreaFigures]]]:
    """The sub-areas to drill into in `year` that the user sees, each with its figures, and their
    kind: a commune of the year's own tree → its villages (by name); the country → provinces, others
    → their children; a commune of the other tree → none. A village officer sees their commune's
    totals, but of its villages only their own: the figures of the other villages stay with them.
    The statistics page, its downloads and the API read the same."""
    if has_villages(area, year):
        return "villages", villages_drilled([area], year, user)[area.pk]
    if area is not None and area.level == Level.COMMUNE:
        return "units", []
    children = list(children_of(area, tree, year, user))
    by_unit = figures.for_units(children, year, tree)
    return "units", [(child, by_unit[child.pk]) for child in children]


def villages_drilled(communes, year: int, user) -> dict[int, list[tuple[Village, figures.AreaFigures]]]:
    """`drill_down` of many communes of the year's own tree at once (commune id → its villages the user
    sees, by name, with their figures), in two queries."""
    scope = scope_of(user)
    # Who sees everything needs no filter: `IN (every village)` cost the whole country's workbook more
    # than half its time, SQLite building the 100,000 ids again for each of 700 districts.
    seen = None if scope.everything else Village.objects.within(scope).values("pk")
    found = figures.villages_with_figures(communes, year, seen)
    return {pk: sorted(children, key=lambda child: child[0].sort_key) for pk, children in found.items()}


def year_view(area, year: int, tree: str, user, *, area_figures: figures.AreaFigures | None = None) -> YearView:
    """The area's figures for the year, with the sub-areas the user sees (`drill_down`); `area_figures`:
    the area's own, when the caller has read them already."""
    if area_figures is None:
        area_figures = figures.national(year, tree) if area is None else figures.for_unit(area, year, tree)
    members_rate = rate(area_figures.value(NETWORK, Measure.MEMBERS), area_figures.value(NETWORK, Measure.POPULATION))
    view = YearView(
        area=area,
        year=year,
        tree=tree,
        titles=title_rows(area_figures),
        network=network_rows(area_figures),
        associations_below=associations_below(area, area_figures),
        members_rate=members_rate,
        unavailable=area_figures.unavailable,
        mapped=figures.is_mapped(tree, year),
    )
    view.children_kind, children = drill_down(area, year, tree, user)
    view.children = [(child, title_rows(child_figures)) for child, child_figures in children]
    return view


@dataclass
class PeriodRow:
    title: str
    label: str
    recognitions: int | None  # None: no year of the period has a figure of the title (unknown, not 0)
    distinct: int | None
    registered: int | None
    base_last_year: int | None


def period_view(area, first: int, last: int, tree: str, *, values=None) -> list[PeriodRow]:
    """`values`: the years' figures when the caller has read them already (`figures.figure_values`)."""
    years = figures.period_years(first, last)
    if values is None:
        values = figures.figure_values(area, years, tree)
    distinct = figures.distinct_recognised_of(area, COUNTED_TITLES, years, tree)
    rows = []
    for title in COUNTED_TITLES:
        recognitions = sum(values[y].get((title, Measure.GRANTED)) or 0 for y in years)
        registered = sum(values[y].get((title, Measure.REGISTERED)) or 0 for y in years)
        base = values[years[-1]].get((title, Measure.BASE)) if years else None
        known = any(
            values[y].get((title, m)) is not None for y in years for m in (Measure.RECOGNISED, Measure.REGISTERED)
        )
        if not known:  # nothing entered nor recorded in any year: unknown, not none recognised
            recognitions = registered = distinct[title] = None
        rows.append(PeriodRow(title, Title(title).label, recognitions, distinct[title], registered, base))
    return rows


def counterparts(area) -> list[AdministrativeUnit]:
    """The same place on the other tree: an old unit's new units, a new unit's old ones."""
    from areas.models import UnitSuccession

    if area is None:
        return []
    if area.tree == Tree.PRE_2025:
        successions = UnitSuccession.objects.filter(predecessor=area).select_related("successor")
        return sorted({s.successor for s in successions}, key=lambda u: u.sort_key)
    successions = UnitSuccession.objects.filter(successor=area).select_related("predecessor")
    return sorted({s.predecessor for s in successions}, key=lambda u: (u.level, u.sort_key))


def mapping_pieces(area) -> list[mapping.MappedPiece]:
    if area is None or area.tree != Tree.Y2025:
        return []
    return mapping.mapping_rules(area)


UNAVAILABLE_REASON = _("Years from the reform on are recorded on the 2025 tree only.")

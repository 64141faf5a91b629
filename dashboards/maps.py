"""The map of an area's communes (the area None: the whole country), as points drawn from the
coordinates loaded with the units, on a plain background: no tile server is needed, nor reachable
from many offices. Colour: the title's rate recognised; size: its total (base).

The communes are read as plain rows and their two figures in one more query (`figures.commune_values`),
so the whole country's 10,000 old communes cost what a district's dozen do in queries. An area's page
draws the points itself; the whole country's page loads them as compact JSON (`map_json`)."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from areas.models import AdministrativeUnit, Level, subtree_q
from criteria.models import Title
from stats import figures, overview
from stats.models import Measure

from .tables import Table

MAP_WIDTH = 600
# The whole country's thousands of communes are drawn on a larger sheet: the same dots, less crowded.
COUNTRY_WIDTH = 1200
MARGIN = 16
# Colours of the rate classes: light to dark blue (equal steps of 20 points, a reading aid, not a rule).
RATE_CLASSES = [
    (Decimal(80), "#08519c"),
    (Decimal(60), "#3182bd"),
    (Decimal(40), "#6baed6"),
    (Decimal(20), "#9ecae1"),
    (Decimal(0), "#deebf7"),
]
NO_RATE = "#bdbdbd"


@dataclass(slots=True)
class MapPoint:
    tree: str
    code: str
    name: str
    x: float
    y: float
    radius: float
    rate: Decimal | None
    base: int | None
    colour: str


@dataclass
class CommuneMap:
    table: Table
    points: list[MapPoint] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)
    base_range: tuple[int, int] | None = None


def colour_of(rate: Decimal | None) -> str:
    if rate is None:
        return NO_RATE
    for bound, colour in RATE_CLASSES:
        if rate >= bound:
            return colour
    raise ValueError(rate)


def map_communes(area, tree: str, user):
    """The communes of the area on its tree (the area itself when it is one) that the user sees, with
    coordinates."""
    communes = AdministrativeUnit.objects.visible_to(user).filter(tree=tree, level=Level.COMMUNE)
    if area is not None:
        communes = communes.filter(subtree_q("path", area.path))
    return communes.filter(latitude__isnull=False, longitude__isnull=False).order_by("sort_key")


def commune_map(area, year: int, tree: str, title: str, user, *, width: int = MAP_WIDTH) -> CommuneMap:
    """The communes' points and the table of their numbers: two queries (three or four for a year
    mapped onto the 2025 tree), whatever the number of communes. The whole country's 10,000 points
    are built from the table's own rows: fewer objects kept, fewer passes of the garbage collector
    (a third of this function's time before)."""
    communes = map_communes(area, tree, user)
    rows = list(communes.values_list("code", "name", "latitude", "longitude", "pk"))
    base_key, recognised_key = (title, Measure.BASE), (title, Measure.RECOGNISED)
    values = figures.commune_values(communes, year, tree, [base_key, recognised_key]) if rows else {}
    table = Table(
        "map",
        _("Communes: %(title)s") % {"title": Title(title).label},
        [_("Code"), _("Commune"), _("Latitude"), _("Longitude"), _("Total (base)"), _("Recognised"), _("Rate (%)")],
    )
    read = table.rows
    for code, name, latitude, longitude, pk in rows:
        held = values.get(pk)
        base, recognised = (held.get(base_key), held.get(recognised_key)) if held else (None, None)
        read.append([code, name, latitude, longitude, base, recognised, overview.rate(recognised, base)])
    if not read:
        return CommuneMap(table)
    # An equirectangular drawing, east-west shrunk by the cosine of the middle latitude.
    lats = [row[2] for row in read]
    lons = [row[3] for row in read]
    north, west = max(lats), min(lons)
    squeeze = math.cos(math.radians((north + min(lats)) / 2))
    span_x = max((max(lons) - west) * squeeze, 0.01)
    span_y = max(north - min(lats), 0.01)
    scale = (width - 2 * MARGIN) / max(span_x, span_y)
    bases = [row[4] for row in read if row[4]]
    largest = max(bases) if bases else 0
    sqrt = math.sqrt  # the loop of the whole country's 10,000 points
    points = [
        MapPoint(
            tree,
            code,
            name,
            round(MARGIN + (longitude - west) * squeeze * scale, 1),
            round(MARGIN + (north - latitude) * scale, 1),
            round(3 + 9 * sqrt(base / largest), 1) if base and largest else 3,
            rate,
            base,
            colour_of(rate),
        )
        for code, name, latitude, longitude, base, _recognised, rate in read
    ]
    size = (int(span_x * scale + 2 * MARGIN), int(span_y * scale + 2 * MARGIN))
    return CommuneMap(table, points, size, (min(bases), largest) if bases else None)


def map_legend() -> list[tuple[str, str]]:
    legend = []
    upper = None
    for bound, colour in RATE_CLASSES:
        if upper is None:
            legend.append((colour, _("%(low)s%% and more") % {"low": bound}))
        else:
            legend.append((colour, _("%(low)s%% to under %(high)s%%") % {"low": bound, "high": upper}))
        upper = bound
    legend.append((NO_RATE, _("No figures")))
    return legend


def map_json(drawn: CommuneMap) -> dict:
    """The points as the page's script draws them, in columns rather than objects (a fifth of the
    size for 10,000 communes): x, y and radius; the colour's class in `colours`; the commune's
    `tree:code` for its link; its name, rate and total for its label."""
    colours = [colour for _bound, colour in RATE_CLASSES] + [NO_RATE]
    points = drawn.points
    return {
        "size": list(drawn.size),
        "colours": colours,
        "x": [p.x for p in points],
        "y": [p.y for p in points],
        "r": [p.radius for p in points],
        "c": [colours.index(p.colour) for p in points],
        "area": [f"{p.tree}:{p.code}" for p in points],
        "name": [p.name for p in points],
        "rate": [float(p.rate) if p.rate is not None else None for p in points],
        "base": [p.base for p in points],
    }

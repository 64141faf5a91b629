"""Mapping a year before the reform onto the 2025 tree, through the official successions.

An old commune merged whole goes to its new commune; one divided between several goes by the counts or
shares a province entered for every piece (rounded so the pieces add up exactly, core.numbers.apportion),
else all to the package's default new commune; a new province is the old provinces merged into it,
corrected for the old communes whose pieces went to another province. What this module gives are sums
of fact values per (new unit, year); stats.figures makes figures of them.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, Max, Q, Sum, When
from django.utils.translation import gettext_lazy as _

from areas.models import AdministrativeUnit, Level, Tree, UnitSuccession, subtree_q, tree_for_year
from core.numbers import apportion

from .models import Fact

FigureKey = tuple[str, str]  # (title, measure), as in stats.figures


@dataclass
class MappedPiece:
    """One old unit's part in a new unit: the rule shown beside mapped figures."""

    old_unit: AdministrativeUnit
    kind: str
    rule: str
    share: Decimal | None = None


def _split_of(successions) -> dict[int, Decimal]:
    """successor id → share of one old unit: by the counts a province entered (areas.shares) when every
    piece has one, else by entered shares when every piece has one, else all to the default new unit."""
    if len(successions) > 1 and all(s.share_count is not None for s in successions):
        if sum(s.share_count for s in successions):
            return {s.successor_id: Decimal(s.share_count) for s in successions}
    if len(successions) > 1 and all(s.share is not None for s in successions):
        return {s.successor_id: s.share for s in successions}
    default = next((s for s in successions if s.is_default), successions[0])
    return {default.successor_id: Decimal(1)}


@dataclass(frozen=True)
class _Piece:
    successor_id: int
    is_default: bool
    share: Decimal | None
    share_count: int | None = None


@dataclass(frozen=True)
class _ProvinceMapping:
    """How old units reach a set of new provinces: the old provinces merged into each, and the old
    communes whose pieces went to a province other than the one their old province joined."""

    old_provinces: dict[int, int]  # old province → new province
    crossing: dict[int, dict[int, Decimal]]  # old commune → its split (new commune → share)
    home_of: dict[int, int | None]  # crossing old commune → the new province its old province joined
    new_province_of: dict[int, int]  # new commune → its province


# The successions change only when the units are loaded again or a share is entered: the mappings are
# kept per process and read again when their fingerprint (one aggregate query) changes. Which units a
# row links is in it too: a test database reuses the ids of rows rolled back for other units.
_PROVINCE_MAPPINGS: dict[tuple, _ProvinceMapping] = {}
_COMMUNE_SPLITS: dict[tuple, "_CommuneSplits"] = {}


# While one page of figures is drawn (`reading_once`), the successions cannot change: their fingerprint
# is read once, not by each reading that maps old years (three for a mapped dashboard, 5 ms each).
_HELD_FINGERPRINT: ContextVar[dict | None] = ContextVar("successions_fingerprint", default=None)


@contextmanager
def reading_once():
    """Within: the successions' fingerprint is read at most once (for a read-only drawing of figures)."""
    token = _HELD_FINGERPRINT.set({})
    try:
        yield
    finally:
        _HELD_FINGERPRINT.reset(token)


def _successions_fingerprint() -> tuple:
    held = _HELD_FINGERPRINT.get()
    if held is None:
        return _read_successions_fingerprint()
    if "fingerprint" not in held:
        held["fingerprint"] = _read_successions_fingerprint()
    return held["fingerprint"]


def _read_successions_fingerprint() -> tuple:
    return tuple(
        UnitSuccession.objects.aggregate(
            rows=Count("pk"),
            last=Max("pk"),
            shares=Sum("share"),
            weighted=Sum(F("share") * F("pk")),
            counts=Sum("share_count"),
            weighted_counts=Sum(F("share_count") * F("pk")),
            defaults=Sum(Case(When(is_default=True, then=F("pk")), default=0)),
            predecessors=Sum(F("predecessor_id") * F("pk")),
            successors=Sum(F("successor_id") * F("pk")),
        ).values()
    )


def _province_mapping(wanted: frozenset[int]) -> _ProvinceMapping:
    key = (wanted, _successions_fingerprint())
    if key not in _PROVINCE_MAPPINGS:
        if len(_PROVINCE_MAPPINGS) > 100:
            _PROVINCE_MAPPINGS.clear()
        _PROVINCE_MAPPINGS[key] = _read_province_mapping(wanted)
    return _PROVINCE_MAPPINGS[key]


def _read_province_mapping(wanted: frozenset[int]) -> _ProvinceMapping:
    merged = UnitSuccession.objects.filter(successor_id__in=wanted, predecessor__level=Level.PROVINCE)
    home = {}  # old province path → its new province
    old_provinces = {}
    for old_id, path, new_id in merged.values_list("predecessor_id", "predecessor__path", "successor_id"):
        home[path] = new_id
        old_provinces[old_id] = new_id
    pieces = defaultdict(list)
    old_communes = Q(successor__parent_id__in=wanted)
    for path in home:
        old_communes |= subtree_q("predecessor__path", path)
    new_province_of, home_of = {}, {}
    rows = UnitSuccession.objects.filter(old_communes, predecessor__level=Level.COMMUNE).values_list(
        "predecessor_id",
        "predecessor__path",
        "successor_id",
        "successor__parent_id",
        "is_default",
        "share",
        "share_count",
    )
    for old_id, path, new_id, new_province, is_default, share, share_count in rows:
        pieces[old_id].append(_Piece(new_id, is_default, share, share_count))
        new_province_of[new_id] = new_province
        # The new province its old province merged into ("1" + the 2-digit province code is its path).
        home_of[old_id] = home.get(path[:3])
    crossing = {}
    for old_id, old_pieces in pieces.items():
        split = _split_of(old_pieces)
        if any(new_province_of[new_id] != home_of[old_id] for new_id in split):
            crossing[old_id] = split
    return _ProvinceMapping(
        old_provinces=old_provinces,
        crossing=crossing,
        home_of={k: home_of[k] for k in crossing},
        new_province_of=new_province_of,
    )


def mapped_provinces(provinces, years) -> dict[tuple[int, int], dict[FigureKey, int]]:
    """A new province is the old provinces merged into it (everything they held, their districts' and
    communes' included), corrected for the old communes whose pieces went to another province."""
    totals: dict[tuple[int, int], dict[FigureKey, int]] = defaultdict(lambda: defaultdict(int))
    if not provinces:
        return totals
    wanted = frozenset(p.pk for p in provinces)
    mapping = _province_mapping(wanted)
    facts = Fact.objects.filter(unit_id__in=mapping.old_provinces, year__in=years)
    for unit_id, year, title, measure, value in facts.values_list("unit_id", "year", "title", "measure", "value"):
        totals[(mapping.old_provinces[unit_id], year)][(title, measure)] += value
    if mapping.crossing:
        moved = Fact.objects.filter(unit_id__in=mapping.crossing, year__in=years)
        for unit_id, year, title, measure, value in moved.values_list("unit_id", "year", "title", "measure", "value"):
            origin = mapping.home_of[unit_id]
            for new_id, part in apportion(value, mapping.crossing[unit_id]).items():
                destination = mapping.new_province_of[new_id]
                if destination == origin or not part:
                    continue
                if origin in wanted:
                    totals[(origin, year)][(title, measure)] -= part
                if destination in wanted:
                    totals[(destination, year)][(title, measure)] += part
    return totals


@dataclass(frozen=True)
class _CommuneSplits:
    splits: dict[int, dict[int, Decimal]]  # old unit → its split (`_split_of` of all its pieces)
    predecessors: dict[int, set[int]]  # new unit → the old units with a piece in it


def _commune_splits() -> _CommuneSplits:
    """Every old unit's split, read once per process and again when the successions change (the whole
    country's 10,000 old communes took longer to split than their facts took to read)."""
    key = _successions_fingerprint()
    found = _COMMUNE_SPLITS.get(key)
    if found is None:
        successions, predecessors = defaultdict(list), defaultdict(set)
        fields = ("predecessor_id", "successor_id", "is_default", "share", "share_count")
        rows = UnitSuccession.objects.values_list(*fields)
        for old_id, *piece in rows:
            successions[old_id].append(_Piece(*piece))
            predecessors[piece[0]].add(old_id)
        splits = {old_id: _split_of(pieces) for old_id, pieces in successions.items()}
        found = _CommuneSplits(splits, dict(predecessors))
        _COMMUNE_SPLITS.clear()
        _COMMUNE_SPLITS[key] = found
    return found


# Beyond this many old communes (the whole country's map), their facts are read through a join and
# picked here: a list of 10,000 ids cost more to send and plan than the facts to read.
_LISTED_OLD_UNITS = 2000


def mapped_communes(new_communes, years, keys=None) -> dict[tuple[int, int], dict[FigureKey, int]]:
    """New communes (ids) from the old communes merged into them or divided between them; `keys`: only
    those figures (each figure is split on its own, so reading fewer changes none of them)."""
    totals: dict[tuple[int, int], dict[FigureKey, int]] = defaultdict(lambda: defaultdict(int))
    if not new_communes:
        return totals
    mapping = _commune_splits()
    old_units = {old_id for new_id in new_communes for old_id in mapping.predecessors.get(new_id, ())}
    if not old_units:
        return totals
    facts = Fact.objects.filter(year__in=years)
    if len(old_units) > _LISTED_OLD_UNITS:
        facts = facts.filter(unit__tree=Tree.PRE_2025)
    else:
        facts = facts.filter(unit_id__in=old_units)
    if keys is not None:
        facts = facts.filter(title__in={t for t, _m in keys}, measure__in={m for _t, m in keys})
    for old_id, year, title, measure, value in facts.values_list("unit_id", "year", "title", "measure", "value"):
        if old_id not in old_units:
            continue
        split = mapping.splits[old_id]
        if len(split) == 1:
            (new_id,) = split
            totals[(new_id, year)][(title, measure)] += value
            continue
        for new_id, part in apportion(value, split).items():
            totals[(new_id, year)][(title, measure)] += part
    return totals


def mapping_rules(new_unit) -> list[MappedPiece]:
    """The old units mapped into a new unit, each with the rule that applies to it."""
    pieces = []
    into = UnitSuccession.objects.filter(successor=new_unit).select_related("predecessor")
    for succession in into.order_by("predecessor__sort_key"):
        siblings = list(UnitSuccession.objects.filter(predecessor=succession.predecessor_id))
        split = _split_of(siblings)
        if succession.kind == "divided":
            if len(split) > 1:
                rule = _("Divided: by the entered share")
            elif succession.successor_id in split:
                rule = _("Divided: all of it here (the default new unit)")
            else:
                rule = _("Divided: counted in its default new unit, not here")
        elif succession.kind == "abolished_level":
            rule = _("District abolished: what it held itself goes to the new province")
        else:
            rule = _("Merged whole")
        share = split.get(succession.successor_id) if len(split) > 1 else None
        if share is not None and succession.share_count is not None:
            share = share / sum(split.values())  # entered as counts: shown as the fraction they make
        pieces.append(MappedPiece(succession.predecessor, succession.kind, rule, share))
    return pieces


def maps_old_years(area, years) -> bool:
    return area is not None and area.tree == Tree.Y2025 and any(tree_for_year(y) == Tree.PRE_2025 for y in years)


def old_units_in(new_unit) -> list[str]:
    """Paths of the old units whose data the 2025 view maps into `new_unit` (the default rule)."""
    if new_unit.level == Level.PROVINCE:
        scope = Q(successor__parent=new_unit) | Q(successor=new_unit)
    else:
        scope = Q(successor=new_unit)
    paths = []
    for succession in UnitSuccession.objects.filter(scope).select_related("predecessor"):
        if succession.is_default or succession.kind != "divided":
            paths.append(succession.predecessor.path)
    return paths

"""Find any unit or village by name, with or without diacritics ("bac kan" finds "Bắc Kạn")."""

import re

from django.db.models import Prefetch, Value, prefetch_related_objects
from django.db.models.functions import Coalesce

from core.text import fold, nfc

from .models import AdministrativeUnit, Level, Tree, Village, VillagePlacement
from .wording import TREE_WORDS

MIN_QUERY_LENGTH = 2
# Ordering by the bare sort_key lets SQLite walk the whole sort_key index looking for 20
# matches (130 ms over 100,000 villages when few match); ordering by an expression makes it
# scan the folded names once and sort only the matches (about 10 ms). Same order, same result.
IN_ALPHABETICAL_ORDER = Coalesce("sort_key", Value(""))


def search_areas(user, query: str, limit: int = 20):
    folded = fold(nfc(query or ""))
    if len(folded) < MIN_QUERY_LENGTH:
        return [], []
    units = list(
        AdministrativeUnit.objects.visible_to(user)
        .filter(search_name__contains=folded)
        .select_related("parent")
        .order_by("level", IN_ALPHABETICAL_ORDER, "tree")[:limit]
    )
    villages = list(
        Village.objects.visible_to(user)
        .filter(search_name__contains=folded)
        .prefetch_related(newest_placements())
        .order_by(IN_ALPHABETICAL_ORDER, "code")[:limit]
    )
    return units, villages


# ---------------------------------------------------------------------------------------------------------
# Pickers: a form or filter field where a person picks a village or a unit by typing part of its name
# (areas/widgets.py). What is picked is sent as a code (a village) or tree:code (a unit); a person
# without JavaScript types either, or the whole name, and `pick_*` read all three.

PICKER_KINDS = ("village", "commune", "unit")
_CODE_AT_END = re.compile(r"\(([^()]+)\)\s*$")


def newest_placements(through: str = "") -> Prefetch:
    """Each village's placements, newest first, as `placements_newest_first` (its commune now is the
    first); `through`: the relation that reaches the villages ("village" from households)."""
    return Prefetch(
        f"{through}__placements" if through else "placements",
        queryset=VillagePlacement.objects.select_related("commune").order_by("-from_year"),
        to_attr="placements_newest_first",
    )


def with_communes(villages):
    """The villages (a list or queryset) with their communes fetched in one query, for `village_label`."""
    villages = [v for v in villages if v is not None]
    missing = [v for v in villages if not hasattr(v, "placements_newest_first")]
    prefetch_related_objects(missing, newest_placements())
    return villages


def village_commune(village: Village):
    """The commune a village belongs to now (its newest placement), or None."""
    placements = getattr(village, "placements_newest_first", None)
    if placements is None:
        placement = village.placements.select_related("commune").order_by("-from_year").first()
        return placement.commune if placement else None
    return placements[0].commune if placements else None


def village_label(village: Village) -> str:
    """A village as a person tells it from the others of the same name: with its commune."""
    commune = village_commune(village)
    return f"{village.name} · {commune.name}" if commune else village.name


def unit_label(unit: AdministrativeUnit) -> str:
    """A unit with its parent and its tree, in the history's words ("Phường Bắc Kạn · Tỉnh Thái Nguyên
    (từ 2025)"): the same name may be on both trees."""
    parent = f" · {unit.parent.name}" if unit.parent_id else ""
    return f"{unit.name}{parent} ({TREE_WORDS[unit.tree]})"


def _wanted_code(text: str) -> str:
    """The code a picked value names: the text itself, or the code in brackets at its end."""
    found = _CODE_AT_END.search(text)
    return (found.group(1) if found else text).strip()


def pick_villages(text: str, villages) -> list[Village]:
    """The villages among `villages` that `text` names: by code, else by whole name (with or without
    diacritics). Several when a name is shared; none when nothing is named."""
    text = nfc(text or "").strip()
    if not text:
        return []
    by_code = list(villages.filter(code=_wanted_code(text))[:1])
    if by_code:
        return with_communes(by_code)
    return with_communes(villages.filter(search_name=fold(text)).order_by(IN_ALPHABETICAL_ORDER, "code")[:10])


def pick_units(text: str, units, *, tree: str | None = None) -> list[AdministrativeUnit]:
    """The units among `units` that `text` names: tree:code, a code (on `tree` when given), or a whole
    name (with or without diacritics). Several when a name or a code is on both trees."""
    text = nfc(text or "").strip()
    if not text:
        return []
    given_tree, _sep, code = _wanted_code(text).replace("/", ":", 1).rpartition(":")
    if code.isdigit() and (not given_tree or given_tree in Tree.values):
        tree = given_tree or tree
        by_code = units.filter(code=code, tree=tree) if tree else units.filter(code=code)
        found = list(by_code.select_related("parent")[:2])
        if found:
            return found
    return list(
        units.filter(search_name=fold(text)).select_related("parent").order_by("level", IN_ALPHABETICAL_ORDER)[:10]
    )


def picker_options(user, query: str, kind: str, limit: int = 15) -> list[dict]:
    """What a picker offers for what was typed: value (sent with the form), label (shown in the field),
    name and detail (shown in the list)."""
    folded = fold(nfc(query or ""))
    if len(folded) < MIN_QUERY_LENGTH:
        return []
    if kind == "village":
        villages = (
            Village.objects.visible_to(user)
            .filter(search_name__contains=folded)
            .prefetch_related(newest_placements())
            .order_by(IN_ALPHABETICAL_ORDER, "code")[:limit]
        )
        options = []
        for village in villages:
            commune = village_commune(village)
            options.append(
                {
                    "value": village.code,
                    "label": village_label(village),
                    "name": village.name,
                    "detail": commune.name if commune else "",
                }
            )
        return options
    units = AdministrativeUnit.objects.visible_to(user).filter(search_name__contains=folded).select_related("parent")
    if kind == "commune":
        units = units.filter(level=Level.COMMUNE)
    return [
        {
            "value": f"{unit.tree}:{unit.code}",
            "label": unit_label(unit),
            "name": unit.name,
            "detail": unit_label(unit)[len(unit.name) :].lstrip(" ·"),
        }
        for unit in units.order_by("level", IN_ALPHABETICAL_ORDER, "tree")[:limit]
    ]


def picker_choices(user, kind: str):
    """What a picker of `kind` may name for the user: the villages or units of their area."""
    if kind == "village":
        return Village.objects.visible_to(user)
    units = AdministrativeUnit.objects.visible_to(user)
    return units.filter(level=Level.COMMUNE) if kind == "commune" else units

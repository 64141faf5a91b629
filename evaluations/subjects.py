"""Who registers for a title, found by name (issue 14): the registration form's picker lists the
households, clans, villages, units or communes of the user's area whose name holds what was typed,
and a whole name typed without the picker is read too. What is picked is sent as the code
`selectors.find_subject` reads (tree:code for a commune)."""

from areas.models import AdministrativeUnit, Level
from areas.search import MIN_QUERY_LENGTH, newest_placements, unit_label, village_commune, village_label
from core.text import fold, nfc
from criteria.models import Title

from .selectors import SUBJECT_MODELS

RELATED = {
    Title.HOUSEHOLD: ("village",),
    Title.CLAN: ("commune",),
    Title.UNIT: ("area",),
    Title.VILLAGE: (),
    Title.CITIZEN: ("village",),
}


def _candidates(user, title: str):
    if title == Title.COMMUNE:
        return AdministrativeUnit.objects.visible_to(user).filter(level=Level.COMMUNE).select_related("parent")
    model = SUBJECT_MODELS.get(title)
    if model is None:
        return None
    records = model.objects.visible_to(user).select_related(*RELATED[title])
    if title in (Title.HOUSEHOLD, Title.CITIZEN):
        records = records.prefetch_related(newest_placements("village"))
    elif title == Title.VILLAGE:
        records = records.prefetch_related(newest_placements())
    return records


def _option(title: str, record) -> dict:
    """value (what the form reads), label (shown in the field), name and detail (shown in the list)."""
    if title == Title.COMMUNE:
        label = unit_label(record)
        return {"value": f"{record.tree}:{record.code}", "label": label, "name": record.name, "detail": label}
    if title == Title.VILLAGE:
        commune = village_commune(record)
        detail = commune.name if commune else ""
        return {"value": record.code, "label": village_label(record), "name": record.name, "detail": detail}
    # Namesakes often live in one village: the list tells them apart by their registry code.
    if title == Title.HOUSEHOLD:
        where = village_label(record.village)
        return {
            "value": record.code,
            "label": f"{record.head_name} · {where}",
            "name": record.head_name,
            "detail": f"{where} · {record.code}",
        }
    if title == Title.CITIZEN:
        where = village_label(record.village)
        return {
            "value": record.code,
            "label": f"{record.full_name} ({record.birth_year}) · {where}",
            "name": f"{record.full_name} ({record.birth_year})",
            "detail": f"{where} · {record.code}",
        }
    place = record.commune if title == Title.CLAN else record.area
    return {"value": record.code, "label": f"{record.name} · {place.name}", "name": record.name, "detail": place.name}


def subject_options(user, title: str, query: str, limit: int = 15) -> list[dict]:
    """What the registration form's picker lists for what was typed."""
    folded = fold(nfc(query or ""))
    records = _candidates(user, title)
    if records is None or len(folded) < MIN_QUERY_LENGTH:
        return []
    found = records.filter(search_name__contains=folded).order_by("sort_key", "code")[:limit]
    return [_option(title, record) for record in found]


def subjects_named(user, title: str, text: str, limit: int = 10) -> list:
    """The records of the title whose whole name is `text` (with or without diacritics)."""
    records = _candidates(user, title)
    folded = fold(nfc(text or "")).strip()
    if records is None or not folded:
        return []
    return list(records.filter(search_name=folded).order_by("sort_key", "code")[:limit])

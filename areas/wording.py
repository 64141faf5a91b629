"""How the history names areas' records (see audit.wording): a unit with its tree, a village with its
commune, a village's placements as sentences."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.wording import EMPTY, Key, describe_records, field_value

from .models import AdministrativeUnit, ShareBasis, Tree, VillagePlacement

# The tree in a few words, beside a unit's name: the two trees hold units of the same name.
TREE_WORDS = {Tree.PRE_2025: gettext_lazy("before 2025"), Tree.Y2025: gettext_lazy("from 2025")}


def unit_name(unit: AdministrativeUnit) -> str:
    """“Xã Đức Xuân (trước 2025)”."""
    words = TREE_WORDS.get(unit.tree)
    return f"{unit.name} ({words})" if words else unit.name


def village_name(village) -> str:
    """The village with the commune it belongs to now: many villages share a name (“Tổ dân phố 1”)."""
    placement = village.placements.select_related("commune").order_by("-from_year").first()
    return f"{village.name} · {placement.commune.name}" if placement else village.name


def placements_text(placements, snapshot) -> str:
    """“Xã Đức Xuân (trước 2025) từ năm 2016 đến năm 2024; Xã Đức Xuân (từ 2025) từ năm 2025”."""
    commune_field = VillagePlacement._meta.get_field("commune")
    sentences = []
    for placement in placements or []:
        commune = field_value(commune_field, placement.get("commune"), placement)
        first, last = placement.get("from_year"), placement.get("to_year")
        if last is None:
            sentences.append(_("%(commune)s from %(first)s on") % {"commune": commune, "first": first})
        else:
            sentences.append(
                _("%(commune)s from %(first)s to %(last)s") % {"commune": commune, "first": first, "last": last}
            )
    return "; ".join(sentences) or EMPTY


def _basis_text(value, snapshot) -> str:
    return str(ShareBasis(value).label) if value in ShareBasis.values else (value or EMPTY)


def _count_text(value, snapshot) -> str:
    from django.contrib.humanize.templatetags.humanize import intcomma

    return intcomma(value) if isinstance(value, int) else EMPTY


def _pieces_text(pieces, snapshot) -> str:
    """“Phường Giảng Võ: 334; Phường Ngọc Hà: 667” (the new communes by their code)."""
    if not isinstance(pieces, dict):
        return EMPTY
    names = dict(AdministrativeUnit.objects.filter(tree=Tree.Y2025, code__in=pieces).values_list("code", "name"))
    return "; ".join(
        f"{names.get(code, code)}: {_count_text(count, snapshot)}" for code, count in sorted(pieces.items())
    )


SHARE_KEYS = {
    "basis": Key(label=gettext_lazy("shares counted by"), text=_basis_text),
    "whole": Key(label=gettext_lazy("the old commune's whole"), text=_count_text),
    "pieces": Key(label=gettext_lazy("shares of the new communes"), text=_pieces_text),
}


def describe() -> None:
    for action in ("divided_shares.save", "divided_shares.clear"):
        describe_records("areas.administrativeunit", keys=SHARE_KEYS, action=action)
    describe_records("areas.administrativeunit", name=unit_name)
    describe_records(
        "areas.village",
        name=village_name,
        keys={"placements": Key(label=gettext_lazy("parent commune"), text=placements_text)},
    )
    describe_records(
        "areas.areaclassmembership",
        keys={
            "class": Key(field="area_class", label=gettext_lazy("area class")),
            "unit": Key(label=gettext_lazy("administrative unit")),
        },
    )

"""State changes of villages and area classes: atomic, validated, audited.

Forms, the API and (later) imports all call these, so every rule lives here once.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.changes import announce
from core.text import nfc
from core.versions import bump, bump_expression, lock_version

from .changes import VillagePlaced
from .codes import issue_village_codes
from .models import (
    AdministrativeUnit,
    AreaClassMembership,
    Level,
    Tree,
    Village,
    VillagePlacement,
    tree_for_year,
)


def _placement_snapshot(village):
    return [
        {"commune": p.commune.code, "tree": p.commune.tree, "from_year": p.from_year, "to_year": p.to_year}
        for p in village.placements.select_related("commune").order_by("from_year")
    ]


def _last_year_on(tree: str):
    return settings.KHUYENHOC_REFORM_YEAR - 1 if tree == Tree.PRE_2025 else None


def validate_village_name(name: str) -> str:
    name = nfc(name or "")
    if not name:
        raise ValidationError(_("Enter the village's name."), code="required")
    if len(name) > 120:
        raise ValidationError(_("A village name has at most 120 characters."), code="max_length")
    return name


def check_in_force(unit: AdministrativeUnit, year: int) -> None:
    """A year's data belongs to a unit of the tree in force that year (the cut-over is a setting)."""
    if tree_for_year(year) != unit.tree:
        raise ValidationError(
            _("%(unit)s is not in force in %(year)d: choose a unit of the tree in force that year.")
            % {"unit": unit, "year": year},
            code="wrong_tree",
        )


def _check_commune_for_year(commune: AdministrativeUnit, year: int) -> None:
    if commune.level != Level.COMMUNE:
        raise ValidationError(_("%(unit)s is not a commune.") % {"unit": commune}, code="not_commune")
    check_in_force(commune, year)


def _check_name_free(commune, name: str, from_year: int, to_year, exclude_village_id=None) -> None:
    """No two villages of one commune share a name in overlapping years (case and spacing ignored)."""
    overlapping = VillagePlacement.objects.filter(commune=commune, from_year__lte=to_year or 9999).exclude(
        to_year__lt=from_year
    )
    if exclude_village_id is not None:
        overlapping = overlapping.exclude(village_id=exclude_village_id)
    wanted = name.casefold()
    for other in Village.objects.filter(pk__in=overlapping.values("village_id")).only("name"):
        if other.name.casefold() == wanted:
            raise ValidationError(
                _("%(commune)s already has a village named “%(name)s”.") % {"commune": commune, "name": other.name},
                code="duplicate_name",
            )


@transaction.atomic
def village_create(*, actor, commune: AdministrativeUnit, name: str, kind: str, from_year: int) -> Village:
    name = validate_village_name(name)
    _check_commune_for_year(commune, from_year)
    to_year = _last_year_on(commune.tree)
    # The code first: issuing it locks the commune, so a second village of the same name added at the
    # same moment (a double click) waits, then finds this one.
    code = issue_village_codes([commune])[0]
    _check_name_free(commune, name, from_year, to_year)
    village = Village(code=code, name=name, kind=kind)
    village.refresh_search_fields()
    village.save()
    VillagePlacement.objects.create(
        village=village, commune=commune, commune_path=commune.path, from_year=from_year, to_year=to_year
    )
    announce(VillagePlaced(village.pk, [], [(commune.pk, from_year, to_year)]))
    audit_record(
        actor=actor,
        action="village.create",
        obj=village,
        after={"code": village.code, "name": name, "kind": kind, "placements": _placement_snapshot(village)},
    )
    return village


@transaction.atomic
def village_update(*, actor, village: Village, version, name: str, kind: str) -> Village:
    """Rename a village or change its kind, as seen at `version`: refused as stale if it has moved since;
    the history's "before" is the village as locked here. A save that changes nothing writes nothing."""
    name = validate_village_name(name)
    village = lock_version(Village.objects.all(), village.pk, version)
    for placement in village.placements.select_related("commune"):
        _check_name_free(placement.commune, name, placement.from_year, placement.to_year, exclude_village_id=village.pk)
    before = {"name": village.name, "kind": village.kind}
    after = {"name": name, "kind": kind}
    if after == before:
        return village
    village.name, village.kind = name, kind
    village.refresh_search_fields()
    bump(village)
    village.save(update_fields=["name", "kind", "search_name", "sort_key", "version"])
    audit_record(actor=actor, action="village.update", obj=village, before=before, after=after)
    return village


@transaction.atomic
def villages_move(*, actor, villages, commune: AdministrativeUnit, from_year: int, rename_clashes: bool = False) -> int:
    """Give villages a new parent commune from `from_year` on; earlier years keep their old parent.

    Merged communes often bring villages of the same name ("Tổ dân phố 1" from each old ward):
    with `rename_clashes` such a village takes its old commune's name in brackets, otherwise
    the clash is an error. All or nothing: if any village cannot move, none does and every
    reason is reported.
    """
    _check_commune_for_year(commune, from_year)
    to_year = _last_year_on(commune.tree)
    errors = []
    moved = 0
    villages = list(villages)
    if not villages:
        raise ValidationError(_("Choose at least one village to move."), code="empty")
    for village in villages:
        before = _placement_snapshot(village)
        before_name = village.name
        placements = list(village.placements.select_related("commune").order_by("from_year"))
        spans_before = [(p.commune_id, p.from_year, p.to_year) for p in placements]
        later = [p for p in placements if p.from_year >= from_year]
        if len(later) == 1 and later[0].commune_id == commune.pk and later[0].from_year == from_year:
            continue  # already moved: moving again changes nothing
        if not placements or placements[0].from_year >= from_year:
            errors.append(
                _("%(village)s (%(code)s) has no parent commune before %(year)d; edit it instead of moving it.")
                % {"village": village.name, "code": village.code, "year": from_year}
            )
            continue
        try:
            _check_name_free(commune, village.name, from_year, to_year, exclude_village_id=village.pk)
        except ValidationError as error:
            old_commune = _last_commune_before(placements, from_year)
            if not rename_clashes or old_commune is None:
                errors.extend(error.messages)
                continue
            renamed = f"{village.name} ({old_commune.short_name})"
            try:
                _check_name_free(commune, renamed, from_year, to_year, exclude_village_id=village.pk)
            except ValidationError as second_error:
                errors.extend(second_error.messages)
                continue
            village.name = renamed
            village.refresh_search_fields()
            village.save(update_fields=["name", "search_name", "sort_key"])
            # A page opened on the old name is refused as stale rather than undoing the rename.
            Village.objects.filter(pk=village.pk).update(version=bump_expression())
        for placement in placements:
            if placement.from_year >= from_year:
                placement.delete()
            elif placement.to_year is None or placement.to_year >= from_year:
                placement.to_year = from_year - 1
                placement.save(update_fields=["to_year"])
        VillagePlacement.objects.create(
            village=village, commune=commune, commune_path=commune.path, from_year=from_year, to_year=to_year
        )
        spans_after = list(village.placements.values_list("commune_id", "from_year", "to_year"))
        announce(VillagePlaced(village.pk, spans_before, spans_after))
        audit_record(
            actor=actor,
            action="village.move",
            obj=village,
            before={"name": before_name, "placements": before},
            after={"name": village.name, "placements": _placement_snapshot(village)},
        )
        moved += 1
    if errors:
        raise ValidationError(errors)
    return moved


def _last_commune_before(placements, year):
    earlier = [p for p in placements if p.from_year < year]
    return earlier[-1].commune if earlier else None


def default_successor(commune: AdministrativeUnit):
    """The new commune that an old commune's data goes to by default (the official mapping)."""
    succession = commune.successions.filter(is_default=True).select_related("successor").first()
    return succession.successor if succession else None


@transaction.atomic
def area_class_memberships_add(*, actor, area_class, year: int, units) -> int:
    units = list(units)
    if not units:
        raise ValidationError(_("Choose at least one unit."), code="empty")
    existing = set(
        AreaClassMembership.objects.filter(area_class=area_class, year=year, unit__in=units).values_list(
            "unit_id", flat=True
        )
    )
    created = [AreaClassMembership(area_class=area_class, year=year, unit=u) for u in units if u.pk not in existing]
    AreaClassMembership.objects.bulk_create(created)
    for membership in created:
        audit_record(
            actor=actor,
            action="area_class.add",
            obj=membership,
            after={"class": area_class.code, "unit": membership.unit.code, "tree": membership.unit.tree, "year": year},
        )
    return len(created)


@transaction.atomic
def area_class_membership_remove(*, actor, membership: AreaClassMembership) -> None:
    audit_record(
        actor=actor,
        action="area_class.remove",
        obj=membership,
        before={"class": membership.area_class.code, "unit": membership.unit.code, "year": membership.year},
    )
    membership.delete()

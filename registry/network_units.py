"""An association's list of branches and study promotion boards, and the yearly counts computed from it.

Where an association keeps this list for a kind, its yearly count of that kind is the number of units
of the kind open that year, from the year its first unit of the kind opened on; its members, the sum of
the members known that year of its open units (when any is known). The other figures stay as entered.
The computed counts are written into the association's yearly figures (AssociationYear) by the
services here, so that statistics, documents, exports and the API read one stored figure; this module
says which figures of a year came from the list."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Village, subtree_q
from audit.services import audit_many, audit_record
from audit.wording import Key, describe_records, number
from core.changes import announce
from core.uniqueness import refused_as_checked
from core.versions import bump, bump_expression, lock_version

from .changes import AssociationYearsChanged
from .models import Association, AssociationYear, Clan, NetworkUnit, NetworkUnitKind, NetworkUnitYear, Organisation
from .network import ASSOCIATION_YEAR_FIELDS, FIGURE_MAX, clean_count, clean_year
from .network_counts import counts_from_list
from .services import require_in_scope
from .validation import clean_name, clean_optional_name

# Where a unit of each kind sits: the record it may (or, for a village branch, must) name.
PLACE_OF_KIND = {
    NetworkUnitKind.VILLAGE_BRANCH: "village",
    NetworkUnitKind.AGENCY_BRANCH: "organisation",
    NetworkUnitKind.AGENCY_BOARD: "organisation",
    NetworkUnitKind.SCHOOL_BOARD: "organisation",
    NetworkUnitKind.CLAN_BOARD: "clan",
}
PLACES = ("village", "clan", "organisation")


def network_counts(association: Association, year: int) -> list[dict]:
    """The association's figures for `year` as every page shows them: each with its value (None when
    nothing is entered yet) and whether it was counted from the list or entered."""
    stored = AssociationYear.objects.filter(association=association, year=year).first()
    listed = counts_from_list(association, [year])[year]
    return [
        {
            "field": field,
            "value": listed[field] if field in listed else (getattr(stored, field) if stored else None),
            "from_list": field in listed,
        }
        for field in ASSOCIATION_YEAR_FIELDS
    ]


def apply_list(association: Association, *, actor, years=None) -> None:
    """Write the list's counts into the association's yearly figures already reported (those of
    `years`, or all): each changed one versioned, audited and announced, as an entry is."""
    rows = AssociationYear.objects.select_for_update().filter(association=association)
    if years is not None:
        rows = rows.filter(year__in=list(years))
    rows = list(rows)
    counts = counts_from_list(association, [row.year for row in rows])
    changes = []
    for row in rows:
        before = {field: getattr(row, field) for field in ASSOCIATION_YEAR_FIELDS}
        after = {**before, **counts[row.year]}
        if after == before:
            continue
        for field, value in after.items():
            setattr(row, field, value)
        bump(row)
        row.save()
        audit_record(
            actor=actor,
            action="association_year.save",
            obj=row,
            before=before,
            after=after,
            reason=_("Counted from the list of branches and boards."),
        )
        changes.append((row, before, after))
    if changes:
        announce(AssociationYearsChanged(changes))


def _check_place(association: Association, kind: str, places: dict, actor):
    """The village, clan or unit the branch or board sits in: of its kind, in the association's area
    and the user's scope; a village branch names its village."""
    area = association.area

    def inside(place_field, place) -> bool:
        if place_field == "village":
            found = Village.objects.visible_to(actor).filter(subtree_q("placements__commune_path", area.path))
        elif place_field == "clan":
            found = Clan.objects.visible_to(actor).filter(subtree_q("commune__path", area.path))
        else:
            found = Organisation.objects.visible_to(actor).filter(subtree_q("area__path", area.path))
        return found.filter(pk=place.pk).exists()

    check_place(association, kind, places, inside=inside)


def check_place(association: Association, kind: str, places: dict, *, inside) -> None:
    """`_check_place` with `inside(place field, place)` saying whether the place is in the association's
    area and the user's scope: the import answers it from a batch's lookups."""
    place_field = PLACE_OF_KIND[kind]
    for field in PLACES:
        if field != place_field and places.get(field) is not None:
            raise ValidationError(
                {field: _("A %(kind)s does not sit in this.") % {"kind": NetworkUnitKind(kind).label.lower()}}
            )
    place = places.get(place_field)
    if place is None:
        if kind == NetworkUnitKind.VILLAGE_BRANCH:
            raise ValidationError({"village": _("Choose the village of the branch.")}, code="required")
        return
    if not inside(place_field, place):
        raise ValidationError(
            {
                place_field: _("%(place)s is not in the area of %(association)s.")
                % {"place": place, "association": association}
            },
            code="outside",
        )


def clean_years(opened_year, last_year) -> tuple[int, int | None]:
    errors = {}
    try:
        opened_year = clean_year(opened_year)
    except ValidationError as error:
        errors["opened_year"] = error.messages
    if last_year in (None, ""):
        last_year = None
    else:
        try:
            last_year = clean_year(last_year)
        except ValidationError as error:
            errors["last_year"] = error.messages
    if not errors and last_year is not None and last_year < opened_year:
        errors["last_year"] = [_("The last year cannot come before the year it opened.")]
    if errors:
        raise ValidationError(errors)
    return opened_year, last_year


def _members_text(value, snapshot) -> str:
    """{"2025": 48, "2026": 50} → "2025: 48; 2026: 50"."""
    return "; ".join(f"{year}: {number(count)}" for year, count in sorted(value.items())) or "—"


# The history words the members a unit's snapshot keeps by year (audit.wording); declared with the
# services that write them.
describe_records(
    "registry.networkunit", keys={"members": Key(label=gettext_lazy("Members by year"), text=_members_text)}
)


def snapshot(unit: NetworkUnit, members: dict | None = None) -> dict:
    """What the history records of a unit: its fields, and its members by year (as text keys)."""
    if members is None:
        members = {str(row.year): row.members for row in unit.years.all()} if unit.pk else {}
    return {
        "kind": unit.kind,
        "name": unit.name,
        "village": unit.village.code if unit.village_id else None,
        "clan": unit.clan.code if unit.clan_id else None,
        "organisation": unit.organisation.code if unit.organisation_id else None,
        "head_name": unit.head_name,
        "opened_year": unit.opened_year,
        "last_year": unit.last_year,
        "members": members,
    }


@transaction.atomic
def network_unit_save(
    *,
    actor,
    association: Association,
    unit: NetworkUnit | None = None,
    version=None,
    kind,
    name,
    village=None,
    clan=None,
    organisation=None,
    head_name="",
    opened_year,
    last_year=None,
    year=None,
    members=None,
) -> NetworkUnit:
    """Add (unit=None) or change a branch or board of `association` seen at `version`; `members` are
    its members in `year` (empty: not known). Closing is giving its last year. The association's
    yearly figures are recomputed from its list."""
    require_in_scope(actor, association.area)
    if unit is not None:
        unit = lock_version(NetworkUnit.objects.filter(association=association), unit.pk, version)
    if kind not in NetworkUnitKind.values:
        raise ValidationError({"kind": _("Choose the kind of branch or board.")}, code="kind")
    name = clean_name(name, max_length=200)
    clashing = NetworkUnit.objects.filter(association=association, name__iexact=name)
    if unit is not None:
        clashing = clashing.exclude(pk=unit.pk)
    duplicate = ValidationError(
        {
            "name": _("%(association)s already has a branch or board named “%(name)s”.")
            % {"association": association, "name": name}
        },
        code="duplicate",
    )

    def check():
        if clashing.exists():
            raise duplicate

    check()
    _check_place(association, kind, {"village": village, "clan": clan, "organisation": organisation}, actor)
    opened_year, last_year = clean_years(opened_year, last_year)
    before = snapshot(unit) if unit else None
    if unit is None:
        unit = NetworkUnit(association=association)
    unit.kind, unit.name, unit.head_name = kind, name, clean_optional_name(head_name)
    unit.village, unit.clan, unit.organisation = village, clan, organisation
    unit.opened_year, unit.last_year = opened_year, last_year
    members_now = dict(before["members"]) if before else {}
    if year is not None:
        year = clean_year(year)
        try:
            count = clean_count(members, required=False, max_value=FIGURE_MAX["members"])
        except ValidationError as error:
            raise ValidationError({"members": error.messages}) from error
        if count is None:
            members_now.pop(str(year), None)
        else:
            members_now[str(year)] = count
    after = snapshot(unit, members_now)
    if after == before:
        return unit
    if before is not None:
        bump(unit)
    with refused_as_checked(check):  # the name taken by another request since (a double click on “Add”)
        unit.save()
    if year is not None:
        if str(year) in members_now:
            NetworkUnitYear.objects.update_or_create(unit=unit, year=year, defaults={"members": members_now[str(year)]})
        else:
            NetworkUnitYear.objects.filter(unit=unit, year=year).delete()
    audit_record(
        actor=actor,
        action="network_unit.update" if before else "network_unit.create",
        obj=unit,
        before=before,
        after=after,
    )
    apply_list(association, actor=actor)
    return unit


# The fields of a unit an import writes.
UNIT_FIELDS = ("kind", "name", "village", "clan", "organisation", "head_name", "opened_year", "last_year")


@dataclass
class UnitChange:
    """A branch or board of `association` to create (`unit` None) or change among many (an import's
    batch): `values` its fields, cleaned with the validators `network_unit_save` uses; `before` and
    `after` what its history records, `after` with its members by year."""

    unit: NetworkUnit | None
    association: Association
    values: dict
    before: dict | None
    after: dict


@transaction.atomic
def network_units_save_many(*, changes: list[UnitChange], actor, source: str, reason: str = "") -> None:
    """Many branches and boards at once: one insert, one update, their members, one audit entry each
    marked with `source`; then each association's yearly figures counted from its list, as one unit's
    save does."""
    associations = {change.association.pk: change.association for change in changes}
    for association in associations.values():
        require_in_scope(actor, association.area)
    creates = [change for change in changes if change.unit is None]
    updates = [change for change in changes if change.unit is not None]
    for change in creates:
        change.unit = NetworkUnit(association=change.association)
    for change in changes:
        for key in UNIT_FIELDS:
            setattr(change.unit, key, change.values[key])
    NetworkUnit.objects.bulk_create([change.unit for change in creates], batch_size=1000)
    NetworkUnit.objects.bulk_update([change.unit for change in updates], UNIT_FIELDS, batch_size=1000)
    # A form opened before the import is refused as stale.
    NetworkUnit.objects.filter(pk__in=[change.unit.pk for change in updates]).update(version=bump_expression())
    recounted = [change for change in changes if (change.before or {}).get("members") != change.after["members"]]
    NetworkUnitYear.objects.filter(unit_id__in=[change.unit.pk for change in recounted if change.before]).delete()
    NetworkUnitYear.objects.bulk_create(
        [
            NetworkUnitYear(unit=change.unit, year=int(year), members=count)
            for change in recounted
            for year, count in change.after["members"].items()
        ],
        batch_size=2000,
    )
    for action, done in (("network_unit.create", creates), ("network_unit.update", updates)):
        audit_many(
            actor=actor,
            action=action,
            model=NetworkUnit,
            changes=[(change.unit.pk, change.before, change.after) for change in done],
            reason=reason,
            source=source,
        )
    for association in associations.values():
        apply_list(association, actor=actor)

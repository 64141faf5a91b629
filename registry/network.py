"""The study-promotion network and the yearly base of an area: associations with their members,
branches and boards per year; population, households, fund and scholarships per area and year."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from areas.models import AdministrativeUnit, Level
from areas.services import check_in_force
from audit.services import audit_many, audit_record
from core.changes import announce
from core.parsing import INTEGER_RANGES, clean_whole_number, field_range, parse_year
from core.text import fold
from core.uniqueness import refused_as_checked
from core.versions import StaleVersion, bump, bump_expression, parse_version

from .changes import AreaYearsChanged, AssociationYearsChanged
from .models import AreaYear, Association, AssociationLevel, AssociationYear
from .network_counts import counts_from_list
from .services import require_in_scope
from .validation import clean_name

ASSOCIATION_YEAR_FIELDS = [
    "members",
    "village_branches",
    "agency_branches",
    "agency_boards",
    "school_boards",
    "clan_boards",
]
AREA_YEAR_FIELDS = ["population", "households", "fund_vnd", "scholarships", "scholarships_vnd"]
AREA_LEVEL_OF = {
    AssociationLevel.PROVINCE: Level.PROVINCE,
    AssociationLevel.DISTRICT: Level.DISTRICT,
    AssociationLevel.COMMUNE: Level.COMMUNE,
    AssociationLevel.PROVINCE_SCHOOL: Level.PROVINCE,
}


# The most each figure's column holds: a figure that passes the check always saves.
FIGURE_MAX = {
    **{name: field_range(AreaYear, name)[1] for name in AREA_YEAR_FIELDS},
    **{name: field_range(AssociationYear, name)[1] for name in ASSOCIATION_YEAR_FIELDS},
}
COUNT_MAX = INTEGER_RANGES["PositiveBigIntegerField"][1]


def clean_count(value, *, required: bool = True, max_value: int = COUNT_MAX):
    """A whole number, zero or more (155.235 and 155 235 read as 155235), at most `max_value`; empty is
    allowed where the figure is optional (not yet known)."""
    if value in (None, "") and not required:
        return None
    value = clean_whole_number(value if value is not None else "", max_value=max_value)
    if value < 0:
        raise ValidationError(_("A count cannot be negative."), code="negative")
    return value


def clean_year(year) -> int:
    """A year of the data's range (settings), in plain digits."""
    try:
        return parse_year(year)
    except ValidationError as error:
        raise ValidationError(error.messages) from error  # without a code: the API places it on the year


def clean_year_for(area: AdministrativeUnit, year) -> int:
    year = clean_year(year)
    check_in_force(area, year)
    return year


def clean_year_values(fields: list[str], values: dict, *, required: bool) -> dict:
    """The figures of a year record, every field checked; the errors come keyed by field."""
    clean = {}
    errors = {}
    for field in fields:
        try:
            clean[field] = clean_count(values.get(field), required=required, max_value=FIGURE_MAX[field])
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    return clean


def check_association_level(level: str, area: AdministrativeUnit) -> None:
    if level not in AssociationLevel.values:
        raise ValidationError(_("Unknown association level “%(level)s”.") % {"level": level}, code="level")
    if area.level != AREA_LEVEL_OF[level]:
        raise ValidationError(
            _("A %(kind)s belongs to a unit of the %(level)s, and %(unit)s is not one.")
            % {
                "kind": AssociationLevel(level).label.lower(),
                "level": Level(AREA_LEVEL_OF[level]).label.lower(),
                "unit": area,
            },
            code="level",
        )


def clean_association_name(name) -> str:
    return clean_name(name, max_length=200)


def check_open_in(association: Association, year: int) -> None:
    """A closed association reports no year after its last."""
    if association.last_year is not None and year > association.last_year:
        raise ValidationError(
            _("%(association)s was closed after %(last)d: it has no figures for %(year)d.")
            % {"association": association, "last": association.last_year, "year": year},
            code="closed",
        )


@transaction.atomic
def association_create(*, actor, level: str, area: AdministrativeUnit, name: str) -> Association:
    check_association_level(level, area)
    require_in_scope(actor, area)
    name = clean_association_name(name)
    same = Association.objects.filter(area=area, level=level, name__iexact=name)
    duplicate = ValidationError(_("%(unit)s already has this association.") % {"unit": area}, code="duplicate")

    def check():
        if same.exists():
            raise duplicate

    check()
    with refused_as_checked(check):  # created by another request since (a double click)
        association = Association.objects.create(level=level, area=area, name=name)
    audit_record(
        actor=actor,
        action="association.create",
        obj=association,
        after={"level": level, "area": area.code, "tree": area.tree, "name": name},
    )
    return association


def _save_year(
    *, actor, model, lookup: dict, version, fields: list[str], values: dict, required: bool, action: str, announced
):
    """Save the figures of (owner, year). `version` is the one the editor saw, None when they saw no
    record yet: a record changed, or first entered, by someone else meanwhile is refused as stale."""
    clean = clean_year_values(fields, values, required=required)
    record = model.objects.select_for_update().filter(**lookup).first()
    seen = None if version is None or version == "" else parse_version(version)
    if (record.version if record else None) != seen or (version not in (None, "") and seen is None):
        raise StaleVersion
    before = {f: getattr(record, f) for f in fields} if record else None
    if record is None:
        record = model(**lookup)
    for field, value in clean.items():
        setattr(record, field, value)
    if clean != before:
        if before is None:
            try:
                with transaction.atomic():  # two first entries at once: the second is told, not a 500
                    record.save()
            except IntegrityError as error:
                raise StaleVersion from error
        else:
            bump(record)
            record.save()
        audit_record(actor=actor, action=action, obj=record, before=before, after=clean)
        announce(announced([(record, before, clean)]))
    return record


@transaction.atomic
def association_year_save(*, actor, association: Association, year, version=None, **values) -> AssociationYear:
    require_in_scope(actor, association.area)
    year = clean_year_for(association.area, year)
    check_open_in(association, year)
    # The figures the association's list of branches and boards gives are counted, not entered.
    listed = counts_from_list(association, [year])[year]
    return _save_year(
        actor=actor,
        model=AssociationYear,
        lookup={"association": association, "year": year},
        version=version,
        fields=ASSOCIATION_YEAR_FIELDS,
        values={**values, **listed},
        required=True,
        action="association_year.save",
        announced=AssociationYearsChanged,
    )


@transaction.atomic
def area_year_save(*, actor, area: AdministrativeUnit, year, version=None, **values) -> AreaYear:
    require_in_scope(actor, area)
    year = clean_year_for(area, year)
    return _save_year(
        actor=actor,
        model=AreaYear,
        lookup={"area": area, "year": year},
        version=version,
        fields=AREA_YEAR_FIELDS,
        values=values,
        required=False,
        action="area_year.save",
        announced=AreaYearsChanged,
    )


@dataclass
class YearChange:
    """One year record to write among many: `pk` None for a new one; `lookup` names its owner and
    year; `after` its figures, cleaned by `clean_year_values`."""

    pk: int | None
    lookup: dict
    before: dict | None
    after: dict
    new_association: tuple | None = None  # (unit, level, name) of an association to create first


def _save_years_many(model, fields, changes: list[YearChange], *, action, announced, actor, source, reason) -> None:
    """One insert for the new records, one update for the changed ones, the figures announced, one
    audit entry each."""
    records = [model(pk=change.pk, **change.lookup, **change.after) for change in changes]
    model.objects.bulk_create([record for record in records if record.pk is None], batch_size=2000)
    changed = [record for record, change in zip(records, changes, strict=True) if change.pk]
    model.objects.bulk_update(changed, fields, batch_size=1000)
    # Every changed record's version moves on: a page opened before the import is refused as stale.
    model.objects.filter(pk__in=[record.pk for record in changed]).update(version=bump_expression())
    announce(
        announced([(record, change.before, change.after) for record, change in zip(records, changes, strict=True)])
    )
    audit_many(
        actor=actor,
        action=action,
        model=model,
        changes=[(record.pk, change.before, change.after) for record, change in zip(records, changes, strict=True)],
        reason=reason,
        source=source,
    )


@transaction.atomic
def area_years_save_many(*, changes: list[YearChange], actor, source: str, reason: str = "") -> None:
    """Many areas' yearly figures at once (an import's batch), checked by the caller as
    `area_year_save` checks one; each audited, marked with `source`."""
    _save_years_many(
        AreaYear,
        AREA_YEAR_FIELDS,
        changes,
        action="area_year.save",
        announced=AreaYearsChanged,
        actor=actor,
        source=source,
        reason=reason,
    )


@transaction.atomic
def association_years_save_many(*, changes: list[YearChange], actor, source: str, reason: str = "") -> None:
    """Many associations' yearly figures at once (an import's batch), checked by the caller as
    `association_year_save` checks one; the associations named for the first time are created
    first. Each record audited, marked with `source`."""
    wanted = {}
    for change in changes:
        if change.new_association:
            unit, level, name = change.new_association
            wanted.setdefault((unit.pk, level, fold(name)), change.new_association)
    created = Association.objects.bulk_create(
        [Association(area=unit, level=level, name=name) for unit, level, name in wanted.values()]
    )
    audit_many(
        actor=actor,
        action="association.create",
        model=Association,
        changes=[
            (association.pk, None, {"level": level, "area": unit.code, "tree": unit.tree, "name": name})
            for association, (unit, level, name) in zip(created, wanted.values(), strict=True)
        ],
        reason=reason,
        source=source,
    )
    ids = {key: association.pk for key, association in zip(wanted, created, strict=True)}
    for change in changes:
        if change.new_association:
            unit, level, name = change.new_association
            change.lookup["association_id"] = ids[(unit.pk, level, fold(name))]
    _save_years_many(
        AssociationYear,
        ASSOCIATION_YEAR_FIELDS,
        changes,
        action="association_year.save",
        announced=AssociationYearsChanged,
        actor=actor,
        source=source,
        reason=reason,
    )

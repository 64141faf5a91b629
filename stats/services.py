"""Entered aggregates: totals typed in at an area (or a village) for a year. The form, the API and
the import all come through here, so each shares the validation and updates the facts."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import AdministrativeUnit, Village, VillagePlacement
from areas.services import check_in_force
from audit.services import audit_record
from core.access import has_perm
from core.versions import StaleVersion, bump, lock_version, parse_version
from registry.network import clean_count, clean_year
from registry.services import require_in_scope

from . import changes
from .models import AREA_YEAR_FIGURES, NETWORK, EnteredAggregate, is_valid_figure

AREA_YEAR_KEYS = set(AREA_YEAR_FIGURES.values())


def clean_figure(title: str, measure: str) -> tuple[str, str]:
    title = title or NETWORK
    if not is_valid_figure(title, measure):
        raise ValidationError(_("This title has no such figure."), code="figure")
    if (title, measure) in AREA_YEAR_KEYS:
        raise ValidationError(
            _("Population, the household base, the fund and scholarships are entered in the area's yearly figures."),
            code="area_year",
        )
    return title, measure


def holder_path(*, unit: AdministrativeUnit | None, village: Village | None, year: int) -> str:
    """The path under which the aggregate sits: the unit's, or the village's commune's that year."""
    if unit is not None:
        check_in_force(unit, year)
        return unit.path
    placement = VillagePlacement.objects.covering(year).filter(village=village).select_related("commune").first()
    if placement is None:
        raise ValidationError(_("The village has no commune in %(year)d.") % {"year": year}, code="no_commune")
    return placement.commune.path


def _require_scope(actor, *, unit, village) -> None:
    if not has_perm(actor, Perm.ENTER_AGGREGATES):
        raise PermissionDenied
    if village is not None:
        if not Village.objects.visible_to(actor).filter(pk=village.pk).exists():
            raise ValidationError(_("%(unit)s is outside your area.") % {"unit": village}, code="scope")
    else:
        require_in_scope(actor, unit)


def _snapshot(aggregate: EnteredAggregate) -> dict:
    holder = aggregate.holder
    return {
        "holder": holder.code,
        "year": aggregate.year,
        "title": aggregate.title,
        "measure": aggregate.measure,
        "value": aggregate.value,
        "note": aggregate.note,
    }


# An import's file replaces whatever total is there: its preview showed the stored values, and the
# import is the officer's decision to overwrite them (the version still moves on).
REPLACE = object()


def _check_seen(aggregate: EnteredAggregate | None, version) -> None:
    """Refuse as stale unless the editor saw this total as it is now: `version` is the version they saw,
    None when they saw none (a first entry), `REPLACE` for an import."""
    if version is REPLACE:
        return
    seen = None if version is None or version == "" else parse_version(version)
    if (aggregate.version if aggregate else None) != seen or (version not in (None, "") and seen is None):
        raise StaleVersion


@transaction.atomic
def aggregate_save(
    *, actor, year, title: str, measure: str, value, version=None, unit=None, village=None, note: str = ""
) -> EnteredAggregate:
    """Enter (or change) the total of a figure at `unit` or `village` for `year`. It replaces the sum
    of the area's children for that figure, which the figure's source then says. `version` is the
    version of the total the editor saw (None: they saw none); a total entered or changed by someone
    else meanwhile is refused as stale and nothing is written."""
    if (unit is None) == (village is None):
        raise ValidationError(_("Choose an area or a village."), code="holder")
    year = clean_year(year)
    title, measure = clean_figure(title, measure)
    value = clean_count(value)
    path = holder_path(unit=unit, village=village, year=year)
    _require_scope(actor, unit=unit, village=village)
    lookup = {"unit": unit, "village": village, "year": year, "title": title, "measure": measure}
    aggregate = EnteredAggregate.objects.select_for_update().filter(**lookup).first()
    _check_seen(aggregate, version)
    before = _snapshot(aggregate) if aggregate else None
    if aggregate is None:
        aggregate = EnteredAggregate(**lookup, path=path, value=value, note=note, entered_by=actor)
    elif aggregate.value == value and aggregate.note == note:
        return aggregate
    else:
        bump(aggregate)
    aggregate.value, aggregate.note, aggregate.entered_by, aggregate.path = value, note, actor, path
    if before is None:
        try:
            with transaction.atomic():  # two first entries at once: the second is told, not a 500
                aggregate.save()
        except IntegrityError as error:
            raise StaleVersion from error
    else:
        aggregate.save()
    changes.aggregate_changed(aggregate, value)
    audit_record(actor=actor, action="aggregate.save", obj=aggregate, before=before, after=_snapshot(aggregate))
    return aggregate


@transaction.atomic
def aggregate_delete(*, actor, aggregate: EnteredAggregate, version) -> None:
    """Remove an entered total seen at `version`: the figure is the sum of the children again. A total
    changed by someone else since is not removed (stale)."""
    _require_scope(actor, unit=aggregate.unit, village=aggregate.village)
    aggregate = lock_version(EnteredAggregate.objects.all(), aggregate.pk, version)
    before = _snapshot(aggregate)
    changes.aggregate_changed(aggregate, None)
    audit_record(actor=actor, action="aggregate.delete", obj=aggregate, before=before)
    aggregate.delete()

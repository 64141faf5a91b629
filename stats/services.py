"""Entered aggregates: totals typed in at an area (or a village) for a year. The form, the API and
the import all come through here, so each shares the validation and updates the facts."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import AdministrativeUnit, Village, VillagePlacement
from areas.services import check_in_force
from audit.services import audit_record
from core.access import has_perm
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


@transaction.atomic
def aggregate_save(*, actor, year, title: str, measure: str, value, unit=None, village=None, note: str = ""):
    """Enter (or change) the total of a figure at `unit` or `village` for `year`. It replaces the sum
    of the area's children for that figure, which the figure's source then says."""
    if (unit is None) == (village is None):
        raise ValidationError(_("Choose an area or a village."), code="holder")
    year = clean_year(year)
    title, measure = clean_figure(title, measure)
    value = clean_count(value)
    path = holder_path(unit=unit, village=village, year=year)
    _require_scope(actor, unit=unit, village=village)
    lookup = {"unit": unit, "village": village, "year": year, "title": title, "measure": measure}
    aggregate = EnteredAggregate.objects.select_for_update().filter(**lookup).first()
    before = _snapshot(aggregate) if aggregate else None
    if aggregate is None:
        aggregate = EnteredAggregate(**lookup, path=path, value=value, note=note, entered_by=actor)
    elif aggregate.value == value and aggregate.note == note:
        return aggregate
    aggregate.value, aggregate.note, aggregate.entered_by, aggregate.path = value, note, actor, path
    aggregate.save()
    changes.aggregate_changed(aggregate, value)
    audit_record(actor=actor, action="aggregate.save", obj=aggregate, before=before, after=_snapshot(aggregate))
    return aggregate


@transaction.atomic
def aggregate_delete(*, actor, aggregate: EnteredAggregate) -> None:
    """Remove an entered total: the figure is the sum of the children again."""
    _require_scope(actor, unit=aggregate.unit, village=aggregate.village)
    before = _snapshot(aggregate)
    changes.aggregate_changed(aggregate, None)
    audit_record(actor=actor, action="aggregate.delete", obj=aggregate, before=before)
    aggregate.delete()

"""Changing the age bounds of the learning citizens' base (`CitizenAgeBounds`): who may, what is
refused, and the base counted again at once for the years they cover (stats.citizen_base)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.roles import Perm
from audit.services import audit_record
from core.access import has_perm
from criteria.scope import may_change, visible_rules

from . import citizen_base
from .models import CitizenAgeBounds

OLDEST = 150  # no age bound above a human life


def may_change_bounds(user, area) -> bool:
    """Officers who set targets, for their own province (system administrators: the national default)."""
    return has_perm(user, Perm.MANAGE_TARGETS) and may_change(user, area)


def bounds_visible_to(user):
    return visible_rules(CitizenAgeBounds.objects.select_related("area"), user)


def _snapshot(bounds: CitizenAgeBounds) -> dict:
    return {
        "area": bounds.area.code if bounds.area_id else "",
        "from_year": bounds.from_year,
        "to_year": bounds.to_year,
        "min_age": bounds.min_age,
        "max_age": bounds.max_age,
        "source": bounds.source,
    }


def _clean(area, from_year: int, to_year: int | None, min_age: int, max_age: int | None) -> None:
    if to_year is not None and to_year < from_year:
        raise ValidationError(_("The last year cannot come before the first year."), code="years")
    if min_age > OLDEST or (max_age is not None and max_age > OLDEST):
        raise ValidationError(_("An age bound cannot exceed %(oldest)s.") % {"oldest": OLDEST}, code="age")
    if max_age is not None and max_age < min_age:
        raise ValidationError(_("The maximum age cannot be below the minimum age."), code="ages")


def _overlapping(area, from_year: int, to_year: int | None, exclude_pk=None):
    rows = (
        CitizenAgeBounds.objects.filter(area=area)
        .exclude(pk=exclude_pk)
        .filter(Q(to_year=None) | Q(to_year__gte=from_year))
    )
    if to_year is not None:
        rows = rows.filter(from_year__lte=to_year)
    return rows.first()


@transaction.atomic
def bounds_save(
    *,
    actor,
    area,
    from_year: int,
    to_year: int | None,
    min_age: int,
    max_age: int | None,
    source: str = "",
    bounds: CitizenAgeBounds | None = None,
) -> CitizenAgeBounds:
    """New bounds for `area` (None: the national default), or `bounds` changed; the base counted again
    for every year the bounds covered before or cover now."""
    if not may_change_bounds(actor, area if bounds is None else bounds.area):
        raise PermissionDenied(_("You may not change these age bounds."))
    if bounds is not None:
        bounds = CitizenAgeBounds.objects.select_for_update().get(pk=bounds.pk)
        area = bounds.area
    _clean(area, from_year, to_year, min_age, max_age)
    clash = _overlapping(area, from_year, to_year, exclude_pk=bounds.pk if bounds else None)
    if clash is not None:
        raise ValidationError(
            _("Age bounds from %(year)s already apply to some of these years: change or remove them first.")
            % {"year": clash.from_year},
            code="overlap",
        )
    before = _snapshot(bounds) if bounds else None
    years = [(bounds.from_year, bounds.to_year)] if bounds else []
    bounds = bounds or CitizenAgeBounds(area=area)
    bounds.from_year, bounds.to_year, bounds.min_age, bounds.max_age = from_year, to_year, min_age, max_age
    bounds.source = source.strip()
    bounds.save()
    audit_record(actor=actor, action="citizen_bounds.save", obj=bounds, before=before, after=_snapshot(bounds))
    for first, last in [*years, (from_year, to_year)]:
        citizen_base.recount(first, last)
    return bounds


@transaction.atomic
def bounds_delete(*, actor, bounds: CitizenAgeBounds) -> None:
    """Bounds removed: where no other bounds apply, the base of those years is unknown again."""
    if not may_change_bounds(actor, bounds.area):
        raise PermissionDenied(_("You may not change these age bounds."))
    before = _snapshot(bounds)
    audit_record(actor=actor, action="citizen_bounds.delete", obj=bounds, before=before)
    first, last = bounds.from_year, bounds.to_year
    bounds.delete()
    citizen_base.recount(first, last)

"""Publishing an area's figures for a year, revoking it, and setting a province's open-data licence.

Who: the role table's `portal.publish` within the user's scope (a province officer in their own
province, a system administrator anywhere). Every change is
atomic and writes its audit entry; bad input changes nothing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import Level, tree_for_year
from audit.services import audit_record
from core.access import has_perm
from registry.network import clean_year

from .models import OpenDataLicence, PublishedAreaYear

PUBLISH = "portal.publish"
REVOKE = "portal.revoke"
LICENCE = "portal.licence"


def may_publish(user, unit=None) -> bool:
    """The role table's `portal.publish` (province officers, system administrators), within the
    user's scope (a new province's officers also hold the old units merged into it)."""
    if not has_perm(user, Perm.PUBLISH_PORTAL):
        return False
    return unit is None or scope_for(user).contains_path(unit.path)


def _require_publisher(actor, unit) -> None:
    if not may_publish(actor):
        raise PermissionDenied
    if not may_publish(actor, unit):
        raise ValidationError(_("%(unit)s is outside your area.") % {"unit": unit}, code="scope")


def _snapshot(publication: PublishedAreaYear) -> dict:
    unit = publication.unit
    return {"unit": unit.code, "tree": unit.tree, "year": publication.year}


def clean_publishable_year(unit, year) -> int:
    """A year the unit's own tree records, and one that has begun."""
    year = clean_year(year)
    if tree_for_year(year) != unit.tree:
        raise ValidationError(
            _("%(unit)s belongs to the administrative map of another period: it has no figures for %(year)d.")
            % {"unit": unit.name, "year": year},
            code="tree",
        )
    if year > timezone.localdate().year:
        raise ValidationError(_("The year %(year)d has not begun.") % {"year": year}, code="future_year")
    return year


@transaction.atomic
def area_year_publish(*, actor, unit, year) -> PublishedAreaYear:
    _require_publisher(actor, unit)
    year = clean_publishable_year(unit, year)
    if PublishedAreaYear.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(
            _("The figures of %(unit)s for %(year)d are already published.") % {"unit": unit, "year": year},
            code="already_published",
        )
    publication = PublishedAreaYear(unit=unit, year=year, published_by=actor, published_at=timezone.now())
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError as error:  # published by someone else at the same moment
        raise ValidationError(
            _("The figures of %(unit)s for %(year)d are already published.") % {"unit": unit, "year": year},
            code="already_published",
        ) from error
    audit_record(actor=actor, action=PUBLISH, obj=publication, after=_snapshot(publication))
    return publication


@transaction.atomic
def area_year_revoke(*, actor, publication: PublishedAreaYear, reason: str) -> None:
    """Take an area-year off the portal, saying why."""
    _require_publisher(actor, publication.unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why the figures are taken off."), code="required")})
    publication = PublishedAreaYear.objects.select_for_update().select_related("unit").get(pk=publication.pk)
    before = _snapshot(publication)
    audit_record(actor=actor, action=REVOKE, obj=publication, before=before, reason=reason)
    publication.delete()


@transaction.atomic
def licence_set(*, actor, province, licence: str) -> OpenDataLicence:
    _require_publisher(actor, province)
    if province.level != Level.PROVINCE:
        raise ValidationError(_("%(unit)s is not a province.") % {"unit": province}, code="not_province")
    licence = (licence or "").strip()
    if not licence:
        raise ValidationError({"licence": ValidationError(_("Name the licence."), code="required")})
    if len(licence) > 120:
        raise ValidationError({"licence": ValidationError(_("At most 120 characters."), code="max_length")})
    current = OpenDataLicence.objects.select_for_update().filter(province=province).first()
    before = {"licence": current.licence} if current else None
    if current is None:
        current = OpenDataLicence(province=province)
    current.licence = licence
    current.save()
    audit_record(actor=actor, action=LICENCE, obj=current, before=before, after={"licence": licence})
    return current

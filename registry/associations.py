"""An association renamed or closed (dissolved, or its area abolished in the reform): through these
services, for the API and the pages alike; checked, versioned and in the association's history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.versions import bump, lock_version

from .models import Association, AssociationYear
from .network import clean_association_name, clean_year_for
from .services import require_in_scope


def _locked(actor, association: Association, version) -> Association:
    require_in_scope(actor, association.area)
    return lock_version(Association.objects.select_related("area"), association.pk, version)


@transaction.atomic
def association_rename(*, actor, association: Association, version, name) -> Association:
    """Give an association seen at `version` another name (unique among its area's of its level)."""
    association = _locked(actor, association, version)
    name = clean_association_name(name)
    if name == association.name:
        return association
    taken = Association.objects.filter(area=association.area, level=association.level, name__iexact=name)
    if taken.exclude(pk=association.pk).exists():
        raise ValidationError(
            _("%(unit)s already has this association.") % {"unit": association.area}, code="duplicate"
        )
    before = {"name": association.name}
    association.name = name
    bump(association)
    association.save(update_fields=["name", "version"])
    audit_record(actor=actor, action="association.update", obj=association, before=before, after={"name": name})
    return association


@transaction.atomic
def association_close(*, actor, association: Association, version, last_year) -> Association:
    """Close an association seen at `version` after `last_year` (a year of its area's tree): it reports
    no later year. Refused when it is closed already or holds figures of a later year."""
    association = _locked(actor, association, version)
    if association.last_year is not None:
        raise ValidationError(
            _("This association was closed after %(year)d.") % {"year": association.last_year}, code="closed"
        )
    last_year = clean_year_for(association.area, last_year)
    later = list(
        AssociationYear.objects.filter(association=association, year__gt=last_year)
        .order_by("year")
        .values_list("year", flat=True)
    )
    if later:
        raise ValidationError(
            _("The association has figures for %(years)s, after %(year)d: it cannot close before them.")
            % {"years": ", ".join(str(year) for year in later), "year": last_year},
            code="later_years",
        )
    association.last_year = last_year
    bump(association)
    association.save(update_fields=["last_year", "version"])
    audit_record(
        actor=actor,
        action="association.close",
        obj=association,
        before={"last_year": None},
        after={"last_year": last_year},
    )
    return association

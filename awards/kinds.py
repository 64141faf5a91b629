"""The kinds of award as data: a system administrator adds or changes one (its issuing level, the
levels that may nominate, whether it is still in use, whether it is an illustration), audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Perm
from areas.models import Level
from audit.services import audit_record
from core.access import require_perm
from core.text import nfc
from core.versions import bump, lock_version

from .models import AwardKind

FIELDS = ("name", "heading", "issuer_level", "nominator_levels", "is_illustration", "is_active", "order")


def _snapshot(kind: AwardKind) -> dict:
    return {name: getattr(kind, name) for name in FIELDS}


def clean_kind(*, name, heading, issuer_level, nominator_levels, is_illustration, is_active, order, kind=None) -> dict:
    errors = {}
    values = {"is_illustration": bool(is_illustration), "is_active": bool(is_active)}
    for field, value, max_length in (("name", name, 160), ("heading", heading, 60)):
        text = nfc(value or "").strip()
        if not text:
            errors[field] = [_("Enter this.")]
        elif len(text) > max_length:
            errors[field] = [_("At most %(count)d characters.") % {"count": max_length}]
        values[field] = text
    if (
        values.get("name")
        and AwardKind.objects.filter(name=values["name"]).exclude(pk=getattr(kind, "pk", None)).exists()
    ):
        errors["name"] = [_("Another kind of award already has this name.")]
    levels = set(Level.values)
    try:
        values["issuer_level"] = int(issuer_level)
    except (TypeError, ValueError):
        values["issuer_level"] = None
    if values["issuer_level"] not in levels:
        errors["issuer_level"] = [_("Choose the level that issues it.")]
    try:
        chosen = sorted({int(level) for level in nominator_levels or []})
    except (TypeError, ValueError):
        chosen = [0]
    if not chosen or not set(chosen) <= levels:
        errors["nominator_levels"] = [_("Choose at least one level that may nominate.")]
    elif values["issuer_level"] in levels and min(chosen) < values["issuer_level"]:
        errors["nominator_levels"] = [_("A level above the issuing level cannot propose to it.")]
    values["nominator_levels"] = chosen
    try:
        values["order"] = max(0, min(999, int(order or 0)))
    except (TypeError, ValueError):
        errors["order"] = [_("Enter a whole number.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def award_kind_save(*, actor, kind: AwardKind | None = None, version=None, **fields) -> AwardKind:
    """Add a kind of award (kind None) or change one (on the version the editor saw)."""
    require_perm(actor, Perm.MANAGE_AWARD_KINDS)
    if kind is not None:
        kind = lock_version(AwardKind.objects.all(), kind.pk, version)
    values = clean_kind(kind=kind, **fields)
    if kind is None:
        kind = AwardKind.objects.create(**values)
        audit_record(actor=actor, action="award_kind.save", obj=kind, after=_snapshot(kind))
        return kind
    before = _snapshot(kind)
    for name, value in values.items():
        setattr(kind, name, value)
    after = _snapshot(kind)
    if after == before:
        return kind
    bump(kind)
    kind.save()
    audit_record(actor=actor, action="award_kind.save", obj=kind, before=before, after=after)
    return kind

"""Clans and units after the 2025 reform: an officer of a new commune brings the clans and units of the
old communes merged into it over in bulk, as villages are brought over (areas.services.villages_move).

A clan's registration commune, or a unit's area, becomes the new commune. Nothing older changes: the
evaluations of earlier years keep the old commune they were registered in (their `area`), so the old
years' figures stay where they were, and the history records the move from the old commune to the new.
From then on the clan or unit is registered, evaluated and counted on the new commune, the 2025 figures
included."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import AdministrativeUnit, Level, Tree
from audit.services import audit_many
from core.versions import bump_expression

from .models import Clan, Organisation
from .services import _clan_snapshot, _organisation_snapshot, require_in_scope


def old_communes_of(commune: AdministrativeUnit):
    """The old communes merged, whole or in part, into a new commune (the official mapping)."""
    return AdministrativeUnit.objects.filter(successions__successor=commune, level=Level.COMMUNE).distinct()


def reform_commune_for(user) -> AdministrativeUnit | None:
    """The user's own new commune when old communes were merged into it: where their lists offer to
    bring clans and units over."""
    commune = getattr(user, "unit", None)
    if commune is None or commune.tree != Tree.Y2025 or commune.level != Level.COMMUNE:
        return None
    return commune if old_communes_of(commune).exists() else None


def reform_candidates(user, commune: AdministrativeUnit) -> tuple[list[Clan], list[Organisation]]:
    """The clans registered at, and the units of, the old communes of `commune` that the user sees."""
    old = old_communes_of(commune)
    clans = (
        Clan.objects.visible_to(user)
        .filter(commune__in=old)
        .select_related("commune")
        .prefetch_related("villages")
        .order_by("commune__sort_key", "sort_key", "code")
    )
    organisations = (
        Organisation.objects.visible_to(user)
        .filter(area__in=old)
        .select_related("area")
        .order_by("area__sort_key", "sort_key", "code")
    )
    return list(clans), list(organisations)


def _check_new_commune(actor, commune: AdministrativeUnit) -> None:
    if commune.tree != Tree.Y2025 or commune.level != Level.COMMUNE:
        raise ValidationError(
            _("%(unit)s is not a commune of the 2025 tree: clans and units are brought into a new commune.")
            % {"unit": commune},
            code="not_commune",
        )
    require_in_scope(actor, commune)


def _bring_over(model, records, *, field: str, snapshot, actor, commune, old_ids, noun) -> int:
    errors, moving = [], []
    for record in records:
        current = getattr(record, f"{field}_id")
        if current == commune.pk:
            continue  # already here: bringing it again changes nothing
        if current not in old_ids:
            errors.append(
                _("%(record)s is not %(noun)s of an old commune merged into %(commune)s.")
                % {"record": record, "noun": noun, "commune": commune}
            )
            continue
        moving.append(record)
    if errors:
        raise ValidationError(errors, code="not_predecessor")
    if not moving:
        return 0
    changes = []
    now = timezone.now()
    for record in moving:
        before = snapshot(record)
        setattr(record, field, commune)
        record.updated_at = now
        changes.append((record.pk, before, snapshot(record)))
    model.objects.bulk_update(moving, [field, "updated_at"], batch_size=1000)
    # A page opened before the move is refused as stale rather than moving it back.
    model.objects.filter(pk__in=[record.pk for record in moving]).update(version=bump_expression())
    audit_many(actor=actor, action=f"{model._meta.model_name}.bring_over", model=model, changes=changes, source="")
    return len(moving)


@transaction.atomic
def clans_bring_over(*, actor, clans, commune: AdministrativeUnit) -> int:
    """Register clans of the old communes at the new commune `commune`; returns how many moved. All or
    nothing: a clan of another commune stops all of them, with every reason reported."""
    _check_new_commune(actor, commune)
    clans = list(Clan.objects.visible_to(actor).filter(pk__in=[c.pk for c in clans]).select_for_update())
    if not clans:
        raise ValidationError(_("Choose at least one clan or unit."), code="empty")
    old_ids = set(old_communes_of(commune).values_list("pk", flat=True))
    clans = list(
        Clan.objects.filter(pk__in=[c.pk for c in clans]).select_related("commune").prefetch_related("villages")
    )
    return _bring_over(
        Clan,
        clans,
        field="commune",
        snapshot=_clan_snapshot,
        actor=actor,
        commune=commune,
        old_ids=old_ids,
        noun=_("a clan"),
    )


@transaction.atomic
def organisations_bring_over(*, actor, organisations, commune: AdministrativeUnit) -> int:
    """Give units of the old communes the new commune `commune` as their area; returns how many moved."""
    _check_new_commune(actor, commune)
    wanted = [o.pk for o in organisations]
    visible = list(Organisation.objects.visible_to(actor).filter(pk__in=wanted).select_for_update())
    if not visible:
        raise ValidationError(_("Choose at least one clan or unit."), code="empty")
    old_ids = set(old_communes_of(commune).values_list("pk", flat=True))
    organisations = list(Organisation.objects.filter(pk__in=[o.pk for o in visible]).select_related("area"))
    return _bring_over(
        Organisation,
        organisations,
        field="area",
        snapshot=_organisation_snapshot,
        actor=actor,
        commune=commune,
        old_ids=old_ids,
        noun=_("a unit"),
    )


@transaction.atomic
def reform_bring_over(*, actor, commune: AdministrativeUnit, clans=(), organisations=()) -> tuple[int, int]:
    """Clans and units together, as the page sends them: all of them or none."""
    clans, organisations = list(clans), list(organisations)
    if not clans and not organisations:
        raise ValidationError(_("Choose at least one clan or unit."), code="empty")
    moved_clans = clans_bring_over(actor=actor, clans=clans, commune=commune) if clans else 0
    moved_units = (
        organisations_bring_over(actor=actor, organisations=organisations, commune=commune) if organisations else 0
    )
    return moved_clans, moved_units

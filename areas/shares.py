"""The shares of a divided old commune (issue 15, item 4).

The official mapping names, for each old commune divided in the 2025 reform, the new communes that
received a piece of it and the default one, not how much each received. Until a province enters the
shares, an old year's figures of such a commune go all to the default new commune. A province officer
enters, for each piece, its households or its population: the pieces must add up to the old
commune's whole, and from then on the figures split every old year by exactly those counts (largest
remainder, so the parts add up: 1 : 2 of 1.001 gives 334 and 667). Each change is audited on the
old commune; clearing the shares puts the default back."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.access import has_perm
from core.text import fold, nfc

from .models import AdministrativeUnit, Level, ShareBasis, SuccessionKind, Tree, UnitSuccession
from .permissions import AreaPerm

FRACTION = Decimal("0.0001")


def divided_communes(user, query: str = ""):
    """The old communes divided between several new ones that the user sees, by name; each with
    `pieces` (how many new communes got a piece) and `entered` (how many pieces have a share)."""
    found = (
        AdministrativeUnit.objects.visible_to(user)
        .filter(tree=Tree.PRE_2025, level=Level.COMMUNE, successions__kind=SuccessionKind.DIVIDED)
        .annotate(
            pieces=Count("successions", distinct=True),
            entered=Count("successions", filter=Q(successions__share_count__isnull=False), distinct=True),
        )
        .filter(pieces__gt=1)
        .select_related("parent")
        .order_by("sort_key", "code")
    )
    query = fold(nfc(query))
    if query:
        found = found.filter(Q(search_name__contains=query) | Q(code__startswith=query))
    return found


def get_divided_commune_for_user(user, *, code: str) -> AdministrativeUnit:
    """An old divided commune the user sees, by its code (404 otherwise)."""
    from django.http import Http404

    commune = divided_communes(user).filter(code=code).first()
    if commune is None:
        raise Http404
    return commune


def pieces_of(old_commune) -> list[UnitSuccession]:
    """The new communes that got a piece of the old commune, the default first, then by name."""
    return list(
        UnitSuccession.objects.filter(predecessor=old_commune)
        .select_related("successor", "successor__parent")
        .order_by("-is_default", "successor__sort_key", "successor__code")
    )


def entered_shares(pieces) -> dict | None:
    """What is entered for the pieces (basis, whole, the count of each new commune's code), or None."""
    if not pieces or any(p.share_count is None for p in pieces):
        return None
    return {
        "basis": pieces[0].share_basis,
        "whole": sum(p.share_count for p in pieces),
        "pieces": {p.successor.code: p.share_count for p in pieces},
    }


def clean_shares(old_commune, pieces, *, basis: str, whole, counts: dict) -> dict[str, int]:
    """The counts by new commune's code, checked: the basis known, the whole a positive whole number,
    every piece given (and no other commune), each a whole number ≥ 0, adding up to the whole. A
    ValidationError keyed by "basis", "whole", "count_<code>" or "__all__" otherwise."""
    errors = {}
    if len(pieces) < 2:
        raise ValidationError(
            _("%(commune)s was not divided between several new communes.") % {"commune": old_commune.name},
            code="not_divided",
        )
    if basis not in ShareBasis.values:
        errors["basis"] = [_("Choose whether the shares are households or population.")]
    if not isinstance(whole, int) or isinstance(whole, bool) or whole <= 0:
        errors["whole"] = [
            _("Enter the whole of %(commune)s as a whole number greater than 0.") % {"commune": old_commune.name}
        ]
    codes = {p.successor.code for p in pieces}
    for code in sorted(set(counts) - codes):
        errors.setdefault("__all__", []).append(
            _("%(code)s did not receive a piece of %(commune)s.") % {"code": code, "commune": old_commune.name}
        )
    cleaned = {}
    for piece in pieces:
        code, value = piece.successor.code, counts.get(piece.successor.code)
        if value is None:
            errors[f"count_{code}"] = [_("Enter the share of %(new)s.") % {"new": piece.successor.name}]
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[f"count_{code}"] = [
                _("The share of %(new)s must be a whole number ≥ 0.") % {"new": piece.successor.name}
            ]
        else:
            cleaned[code] = value
    if not errors and sum(cleaned.values()) != whole:
        errors["__all__"] = [
            _("The shares add up to %(sum)s, not to the whole of %(commune)s (%(whole)s).")
            % {"sum": _number(sum(cleaned.values())), "commune": old_commune.name, "whole": _number(whole)}
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _number(value: int) -> str:
    from django.contrib.humanize.templatetags.humanize import intcomma

    return intcomma(value)


def _require(actor, old_commune) -> None:
    if not has_perm(actor, AreaPerm.MANAGE_SHARES):
        raise PermissionDenied
    if not AdministrativeUnit.objects.visible_to(actor).filter(pk=old_commune.pk).exists():
        raise PermissionDenied


@transaction.atomic
def divided_shares_save(*, actor, old_commune, basis: str, whole: int, counts: dict) -> list[UnitSuccession]:
    """Enter the shares of a divided old commune (counts by new commune's code, adding up to `whole`):
    the figures of its old years split by them from now on; audited on the old commune."""
    _require(actor, old_commune)
    pieces = list(
        UnitSuccession.objects.select_for_update()
        .filter(predecessor=old_commune)
        .select_related("successor")
        .order_by("-is_default", "successor__sort_key", "successor__code")
    )
    cleaned = clean_shares(old_commune, pieces, basis=basis, whole=whole, counts=counts)
    before = entered_shares(pieces)
    for piece in pieces:
        piece.share_basis = basis
        piece.share_count = cleaned[piece.successor.code]
        piece.share = (Decimal(piece.share_count) / whole).quantize(FRACTION)
    after = {"basis": basis, "whole": whole, "pieces": cleaned}
    if before == after:
        return pieces
    UnitSuccession.objects.bulk_update(pieces, ["share_basis", "share_count", "share"])
    audit_record(actor=actor, action="divided_shares.save", obj=old_commune, before=before, after=after)
    return pieces


@transaction.atomic
def divided_shares_clear(*, actor, old_commune) -> None:
    """Take the entered shares away: the old commune's figures go to its default new commune again."""
    _require(actor, old_commune)
    pieces = list(
        UnitSuccession.objects.select_for_update().filter(predecessor=old_commune).select_related("successor")
    )
    before = entered_shares(pieces)
    if before is None and all(p.share is None for p in pieces):
        return
    UnitSuccession.objects.filter(predecessor=old_commune).update(share_basis="", share_count=None, share=None)
    audit_record(actor=actor, action="divided_shares.clear", obj=old_commune, before=before, after=None)

"""The traffic light of a title: which band the share of its target reached falls in, and changing
the bands (the system administrator's, audited)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Perm
from accounts.scope import scope_for
from audit.services import audit_record
from core.access import has_perm
from core.versions import StaleVersion

from .models import Light, LightBand


@dataclass(frozen=True)
class Lit:
    light: str
    label: str
    share: Decimal  # % of the target reached
    illustration: bool


def current_bands() -> list[LightBand]:
    """The bands, highest first."""
    return list(LightBand.objects.order_by("-from_share"))


def light_for(actual: Decimal | None, target: Decimal | None, bands: list[LightBand]) -> Lit | None:
    """The band the actual rate falls in as a share of the target; None without a rate, a target
    above 0 or bands."""
    if actual is None or not target or not bands:
        return None
    share = (actual * 100 / target).quantize(Decimal("0.1"), ROUND_HALF_UP)
    band = next((b for b in bands if share >= b.from_share), bands[-1])
    return Lit(band.light, str(band.get_light_display()), share, band.illustration)


def may_change_bands(user) -> bool:
    """The bands hold for every province: those who see everything and set targets change them."""
    return bool(user.is_authenticated and has_perm(user, Perm.MANAGE_TARGETS) and scope_for(user).everything)


def _snapshot(bands) -> dict:
    return {band.light: str(band.from_share) for band in bands}


def _clean_share(value) -> Decimal:
    try:
        share = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Enter a percentage."), code="invalid") from None
    if not share.is_finite() or not 0 <= share <= 1000:
        raise ValidationError(_("A band starts between 0 and 1000 per cent of the target."), code="range")
    return share.quantize(Decimal("0.01"), ROUND_HALF_UP)


@transaction.atomic
def bands_save(*, actor, green, amber, versions: dict) -> list[LightBand]:
    """Set where the green and amber bands start (red starts at 0); `versions` are the versions the
    editor saw, by light. The bands are no longer an illustration once saved."""
    if not may_change_bands(actor):
        raise PermissionDenied
    green, amber = _clean_share(green), _clean_share(amber)
    if amber >= green:
        raise ValidationError(_("The green band must start above the amber band."), code="order")
    bands = {band.light: band for band in LightBand.objects.select_for_update()}
    for light, band in bands.items():
        if str(versions.get(light)) != str(band.version):
            raise StaleVersion
    before = _snapshot(bands.values())
    wanted = {Light.GREEN: green, Light.AMBER: amber, Light.RED: Decimal(0)}
    changed = False
    for light, share in wanted.items():
        band = bands.get(light) or LightBand(light=light, from_share=share, version=0)
        if band.pk is None or band.from_share != share or band.illustration:
            band.from_share, band.illustration, band.version = share, False, band.version + 1
            band.save()
            bands[light] = band
            changed = True
    if changed:
        audit_record(
            actor=actor,
            action="dashboards.bands_save",
            obj=bands[Light.GREEN],
            before=before,
            after=_snapshot(bands.values()),
        )
    return current_bands()

"""How statistics views and API routes find the area a request asks for, within the user's scope. The
parameter is read by `areas.selectors` as everywhere else: tree:code, tree/code, or a code alone when
it names one unit the user sees."""

from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import AdministrativeUnit
from areas.selectors import area_from_param, area_key
from core.access import require_perm

# How the statistics pages write an area in their links.
area_param = area_key


def visible_area(user, value: str) -> AdministrativeUnit:
    """The unit the parameter names among those the user sees; 404 for any other (we do not confirm
    that it exists)."""
    try:
        return area_from_param(value, units=AdministrativeUnit.objects.visible_to(user))
    except ValidationError as error:
        raise Http404 from error


def get_area_for_user(user, value: str | None):
    """The unit asked for (404 outside the user's scope), the user's own unit when none is asked
    for, or None for the whole country, which only users who see everything may read."""
    require_perm(user, Perm.VIEW_STATISTICS)
    if value:
        return visible_area(user, value)
    if user.unit_id:
        return user.unit
    if getattr(user, "village_id", None):
        # The commune their village is in now: the 2025 tree's ("2025" sorts before "pre2025").
        unit = AdministrativeUnit.objects.visible_to(user).order_by("tree", "path").first()
        if unit is None:
            raise Http404
        return unit
    if scope_for(user).everything:
        return None
    raise Http404

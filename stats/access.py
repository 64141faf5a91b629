"""How statistics views and API routes find the area a request asks for, within the user's scope."""

from django.http import Http404

from accounts.roles import Perm
from accounts.scope import scope_for
from areas.models import AdministrativeUnit, Tree
from core.access import require_perm


def parse_area(value: str | None) -> tuple[str, str] | None:
    """The area written tree:code ("2025:01843", or "2025/01843") → ("2025", "01843"); empty → None
    (the user's own area)."""
    if not value:
        return None
    tree, _sep, code = value.replace("/", ":", 1).partition(":")
    if tree not in Tree.values or not code.isdigit():
        raise Http404
    return tree, code


def get_area_for_user(user, value: str | None):
    """The unit asked for (404 outside the user's scope), the user's own unit when none is asked
    for, or None for the whole country, which only users who see everything may read."""
    require_perm(user, Perm.VIEW_STATISTICS)
    wanted = parse_area(value)
    scope = scope_for(user)
    if wanted is None:
        if user.unit_id:
            return user.unit
        if getattr(user, "village_id", None):
            # The commune their village is in now: the 2025 tree's ("2025" sorts before "pre2025").
            unit = AdministrativeUnit.objects.visible_to(user).order_by("tree", "path").first()
            if unit is None:
                raise Http404
            return unit
        if scope.everything:
            return None
        raise Http404
    unit = AdministrativeUnit.objects.visible_to(user).filter(tree=wanted[0], code=wanted[1]).first()
    if unit is None:
        raise Http404
    return unit


def area_param(area) -> str:
    return f"{area.tree}:{area.code}" if area is not None else ""

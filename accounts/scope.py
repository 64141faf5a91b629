"""The one place that decides what a user may see.

A user's scope is a set of path prefixes on the unit trees: the subtree of their own unit
and, for a unit of the 2025 tree, the old units mapped into it (so a new commune's officer
sees the history of the communes it was formed from). Village officers see their village.
The User model offers it as `user.area_scope`, which every queryset's `visible_to(user)`
(through `areas.scope.scope_of`) and every `get_<thing>_for_user` helper apply.
"""

from dataclasses import dataclass

from django.db.models import Q

from areas.models import AdministrativeUnit, UnitSuccession, Village
from areas.scope import AreaScope

from .roles import MANAGEABLE_ROLES, Role


@dataclass(frozen=True)
class Scope(AreaScope):
    """The areas a user sees, and which roles' accounts they manage there."""

    manageable_roles: frozenset = frozenset()

    def filter_accounts(self, queryset):
        """Accounts this user manages: lower roles attached inside the scope."""
        if not self.manageable_roles:
            return queryset.none()
        queryset = queryset.filter(role__in=self.manageable_roles)
        if self.everything:
            return queryset
        units = AdministrativeUnit.objects.within(self).values("pk")
        villages = Village.objects.within(self).values("pk")
        return queryset.filter(Q(unit__in=units) | Q(village__in=villages))


NO_SCOPE = Scope()


def scope_for(user) -> Scope:
    """The user's scope, computed once per request and kept on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_khuyenhoc_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._khuyenhoc_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    manageable = MANAGEABLE_ROLES.get(user.role, frozenset())
    if user.role == Role.SYSTEM_ADMIN or user.is_superuser:
        return Scope(everything=True, manageable_roles=MANAGEABLE_ROLES[Role.SYSTEM_ADMIN])
    if user.village_id is not None:
        return Scope(village_id=user.village_id, manageable_roles=manageable)
    if user.unit_id is None:
        return NO_SCOPE
    prefixes = {user.unit.path}
    prefixes.update(
        UnitSuccession.objects.filter(successor_id=user.unit_id).values_list("predecessor__path", flat=True)
    )
    # Drop prefixes already covered by a shorter one (an old district inside its old province).
    kept = tuple(sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)))
    return Scope(unit_prefixes=kept, manageable_roles=manageable)

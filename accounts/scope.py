"""The one place that decides what a user may see.

A user's scope is a set of path prefixes on the unit trees: the subtree of their own unit
and, for a unit of the 2025 tree, the old units mapped into it (so a new commune's officer
sees the history of the communes it was formed from). Village officers see their village.
Every queryset's `visible_to(user)` and every `get_<thing>_for_user` helper go through here.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .roles import MANAGEABLE_ROLES, Role, role_has


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    unit_prefixes: tuple[str, ...] = ()
    village_id: int | None = None
    manageable_roles: frozenset = frozenset()

    def _paths_q(self, field: str) -> Q:
        from areas.models import subtree_q

        if not self.unit_prefixes:
            return Q(pk__in=[])
        return reduce(or_, (subtree_q(field, prefix) for prefix in self.unit_prefixes))

    def filter_units(self, queryset):
        if self.everything:
            return queryset
        if self.village_id is not None:
            from areas.models import VillagePlacement

            communes = VillagePlacement.objects.filter(village_id=self.village_id).values("commune_id")
            return queryset.filter(pk__in=communes)
        return queryset.filter(self._paths_q("path"))

    def filter_villages(self, queryset):
        if self.everything:
            return queryset
        if self.village_id is not None:
            return queryset.filter(pk=self.village_id)
        from areas.models import VillagePlacement

        placed = VillagePlacement.objects.filter(self._paths_q("commune_path")).values("village_id")
        return queryset.filter(pk__in=placed)

    def filter_accounts(self, queryset):
        """Accounts this user manages: lower roles attached inside the scope."""
        if not self.manageable_roles:
            return queryset.none()
        queryset = queryset.filter(role__in=self.manageable_roles)
        if self.everything:
            return queryset
        from areas.models import AdministrativeUnit, Village

        units = self.filter_units(AdministrativeUnit.objects.all()).values("pk")
        villages = self.filter_villages(Village.objects.all()).values("pk")
        return queryset.filter(Q(unit__in=units) | Q(village__in=villages))

    def contains_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(prefix) for prefix in self.unit_prefixes)


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
    from areas.models import UnitSuccession

    prefixes = {user.unit.path}
    prefixes.update(
        UnitSuccession.objects.filter(successor_id=user.unit_id).values_list("predecessor__path", flat=True)
    )
    # Drop prefixes already covered by a shorter one (an old district inside its old province).
    kept = tuple(sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)))
    return Scope(unit_prefixes=kept, manageable_roles=manageable)


def has_perm(user, perm: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return role_has(user.role, perm)


def require_perm(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def get_visible_or_404(queryset, *, user, perm: str | None, **lookup):
    """The one way a view or API route fetches a record: 404 outside the user's scope (we do not
    confirm that it exists), then 403 if the user's role lacks `perm`."""
    record = queryset.visible_to(user).filter(**lookup).first()
    if record is None:
        raise Http404
    if perm is not None:
        require_perm(user, perm)
    return record

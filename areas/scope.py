"""What part of the trees a user sees, as areas understand it: the subtree of some units (a path
prefix each), one village, or everything.

The accounts app computes each user's scope (their unit's subtree and, on the 2025 tree, the old
units mapped into it; a village officer's village) and offers it as `user.area_scope`; the querysets
here only apply it. Anonymous and inactive users see nothing.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q


@dataclass(frozen=True)
class AreaScope:
    everything: bool = False
    unit_prefixes: tuple[str, ...] = ()
    village_id: int | None = None

    def _paths_q(self, field: str) -> Q:
        from .models import subtree_q

        if not self.unit_prefixes:
            return Q(pk__in=[])
        return reduce(or_, (subtree_q(field, prefix) for prefix in self.unit_prefixes))

    def filter_units(self, queryset):
        if self.everything:
            return queryset
        if self.village_id is not None:
            from .models import VillagePlacement

            communes = VillagePlacement.objects.filter(village_id=self.village_id).values("commune_id")
            return queryset.filter(pk__in=communes)
        return queryset.filter(self._paths_q("path"))

    def filter_villages(self, queryset):
        if self.everything:
            return queryset
        if self.village_id is not None:
            return queryset.filter(pk=self.village_id)
        from .models import VillagePlacement

        placed = VillagePlacement.objects.filter(self._paths_q("commune_path")).values("village_id")
        return queryset.filter(pk__in=placed)

    def contains_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(prefix) for prefix in self.unit_prefixes)


NO_SCOPE = AreaScope()


def scope_of(user) -> AreaScope:
    """The scope of `user` (None, anonymous or inactive: nothing)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    return user.area_scope

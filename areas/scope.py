"""What part of the trees a user sees, as areas understand it: the subtree of some units (a path
prefix each), one village, or everything.

The accounts app computes each user's scope (their unit's subtree and, on the 2025 tree, the old
units mapped into it; a village officer's village) and offers it as `user.area_scope`; the querysets
of `areas.models` only apply it (`within(scope)`). Anonymous and inactive users see nothing.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class AreaScope:
    everything: bool = False
    unit_prefixes: tuple[str, ...] = ()
    village_id: int | None = None

    def contains_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(prefix) for prefix in self.unit_prefixes)


NO_SCOPE = AreaScope()


def scope_of(user) -> AreaScope:
    """The scope of `user` (None, anonymous or inactive: nothing)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    return user.area_scope

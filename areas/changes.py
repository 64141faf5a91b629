"""What the areas' services announce (through `core.changes`) when villages change places."""

from dataclasses import dataclass

# A span of a village's history: (commune id, first year, last year or None while it lasts).
Span = tuple[int, int, int | None]


@dataclass(frozen=True)
class VillagePlaced:
    """A village's spans under communes changed (created, moved, brought into a new commune)."""

    village_id: int
    before: list[Span]
    after: list[Span]

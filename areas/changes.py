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


@dataclass(frozen=True)
class VillagesPlaced:
    """Many villages' spans changed at once (an import): (village id, spans before, spans after) each,
    so that statistics update the figures in one pass rather than one per village."""

    changes: list[tuple[int, list[Span], list[Span]]]

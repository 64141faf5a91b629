"""What the registry's services announce (through `core.changes`) when counted records change."""

from dataclasses import dataclass


@dataclass(frozen=True)
class HouseholdsMoved:
    """Households now living in another village: (household id, old village id, new village id)."""

    moves: list[tuple[int, int, int]]


@dataclass(frozen=True)
class AssociationYearsChanged:
    """An association's yearly figures saved: (association year, figures before or None if new,
    figures after)."""

    changes: list


@dataclass(frozen=True)
class AreaYearsChanged:
    """An area's yearly base, population, fund or scholarships entered: (area year, figures before or
    None if new, figures after)."""

    changes: list


@dataclass(frozen=True)
class RecordsMerging:
    """Duplicates about to be merged into a survivor: `field` is the name an evaluation's subject goes
    by ("household" or "clan"). Announced inside the merge's transaction before any row moves, so that
    the figures' handlers read every record's evaluations as they were and apply what the merge
    changes (a subject's recognised years become one)."""

    field: str
    survivor_id: int
    duplicate_ids: list[int]


@dataclass(frozen=True)
class CitizensChanged:
    """Persons added or changed: (person id, before, after), each (village id, year of birth, still
    living here), before None for a new person. What the figures count of a person: where their
    evaluations are held, and whether they are in the base."""

    changes: list[tuple[int, tuple | None, tuple]]

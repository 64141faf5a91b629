"""Many villages at once, for the villages import's save of what its check staged: codes issued per
commune, one insert of the villages and one of their placements, renames guarded by what the check
saw and onto names still free, moves through the one-village service, and one audit entry per village,
marked with the import."""

import json
from collections import defaultdict
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii as json_string

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.services import audit_many
from core.bulk import JsonText, insert, reserved_ids
from core.changes import announce
from core.importers import StaleCheck
from core.text import fold, nfc, sort_key
from core.versions import bump_expression

from .changes import VillagesPlaced
from .codes import issue_village_codes
from .models import AdministrativeUnit, Tree, Village, VillagePlacement
from .services import villages_move


@dataclass(slots=True)
class NewVillage:
    commune: AdministrativeUnit
    name: str
    kind: str
    from_year: int
    search_name: str  # fold(name), as the check compared names


@dataclass
class VillageEdit:
    """A village renamed or given another kind; `seen` is (name, kind) as the check read them."""

    village_id: int
    code: str
    seen: tuple[str, str]
    name: str
    kind: str


@dataclass
class VillageMove:
    village_id: int
    commune: AdministrativeUnit
    from_year: int


def last_year_on(tree: str):
    """The last year a placement on `tree` lasts: the old tree ends the year before the reform."""
    return settings.KHUYENHOC_REFORM_YEAR - 1 if tree == Tree.PRE_2025 else None


def name_key(name: str) -> str:
    """Two village names are the same name when they are equal after NFC and case folding."""
    return nfc(name).casefold()


@dataclass(frozen=True)
class Placed:
    """A village placed in a commune for some years, as the import compares names."""

    village_id: int
    code: str
    name: str
    kind: str
    from_year: int
    to_year: int | None


def names_in_communes(commune_ids) -> dict[int, list[Placed]]:
    """commune id → every village ever placed there, with the years: one query."""
    found = defaultdict(list)
    rows = VillagePlacement.objects.filter(commune_id__in=list(commune_ids)).values_list(
        "commune_id", "village_id", "village__code", "village__name", "village__kind", "from_year", "to_year"
    )
    for commune_id, *placed in rows:
        found[commune_id].append(Placed(*placed))
    return found


def overlaps(from_year: int, to_year, other_from: int, other_to) -> bool:
    return other_from <= (to_year or 9999) and (other_to is None or other_to >= from_year)


def _still_free(creates: list[NewVillage]) -> None:
    """No village of the same name was placed in the same commune since the check."""
    taken = names_in_communes({new.commune.pk for new in creates})
    for new in creates:
        placed_here = taken.get(new.commune.pk)
        if not placed_here:  # a commune without villages (every new one of a first national file)
            continue
        key, to_year = name_key(new.name), last_year_on(new.commune.tree)
        for placed in placed_here:
            if name_key(placed.name) == key and overlaps(new.from_year, to_year, placed.from_year, placed.to_year):
                raise StaleCheck


def _placements_snapshot(commune: AdministrativeUnit, from_year: int, to_year) -> list[dict]:
    return [{"commune": commune.code, "tree": commune.tree, "from_year": from_year, "to_year": to_year}]


def _renames_still_free(edits: list[VillageEdit]) -> None:
    """No other village took a renamed village's new name since the check, in a commune it is placed
    in (from its years there on, as the check compared them)."""
    renamed = {edit.village_id: name_key(edit.name) for edit in edits if name_key(edit.name) != name_key(edit.seen[0])}
    if not renamed:
        return
    spans = list(
        VillagePlacement.objects.filter(village_id__in=renamed).values_list(
            "village_id", "commune_id", "commune__tree", "from_year"
        )
    )
    taken = names_in_communes({commune_id for _village, commune_id, _tree, _from in spans})
    for village_id, commune_id, tree, from_year in spans:
        for placed in taken.get(commune_id, ()):
            if (
                placed.village_id != village_id
                and name_key(placed.name) == renamed[village_id]
                and overlaps(from_year, last_year_on(tree), placed.from_year, placed.to_year)
            ):
                raise StaleCheck


@transaction.atomic
def villages_save_many(*, creates, edits=(), moves=(), actor, source: str, reason: str = "") -> None:
    """Write an import's checked changes: new villages (codes issued per commune, never reused),
    renames and changes of kind still as the check saw them and onto names still free (else
    StaleCheck), and moves through `villages_move`. Every village gets one audit entry marked with
    `source`; the figures hear of the new placements once for all of them."""
    creates, edits = list(creates), list(edits)
    if creates:
        # Issuing the codes locks the communes first, so that a village of the same name added to one of
        # them at the same moment (on its page) is either seen here or waits and then sees these.
        codes = issue_village_codes([new.commune for new in creates])
        _still_free(creates)
    if edits:
        _renames_still_free(edits)
    if creates:
        _create(creates, codes, actor=actor, source=source, reason=reason)
    if edits:
        _edit(edits, actor=actor, source=source, reason=reason)
    by_target = defaultdict(list)
    for move in moves:
        by_target[(move.commune.pk, move.from_year)].append(move)
    for group in by_target.values():
        villages = list(Village.objects.filter(pk__in=[move.village_id for move in group]))
        villages_move(actor=actor, villages=villages, commune=group[0].commune, from_year=group[0].from_year)


def _create(creates: list[NewVillage], codes: list[str], *, actor, source: str, reason: str) -> None:
    """Plain rows, no model instances (bench/villages_bench.py): on PostgreSQL one COPY each of the
    villages (their ids taken beforehand), their placements and their audit entries."""
    ids = reserved_ids(Village, len(creates))
    created_at = connection.ops.adapt_datetimefield_value(timezone.now())
    insert(
        Village,
        ["id", "code", "name", "kind", "search_name", "sort_key", "created_at", "version"],
        (
            (pk, code, new.name, new.kind, new.search_name, sort_key(new.name), created_at, 1)
            for pk, code, new in zip(ids, codes, creates, strict=True)
        ),
    )
    # A span is worked out once per commune and year, with its snapshot and the history the figures
    # hear of, and shared by the villages placed there: not built again for each village.
    spans = {}
    placed = []
    for new in creates:
        commune = new.commune
        key = (commune.id, new.from_year)  # the id as stored: `pk` is a lookup through the model's options
        span = spans.get(key)
        if span is None:
            to_year = last_year_on(commune.tree)
            history = [(commune.id, new.from_year, to_year)]
            snapshot = json.dumps(_placements_snapshot(commune, new.from_year, to_year))
            span = spans[key] = ((commune.id, commune.path, new.from_year, to_year), history, snapshot)
        placed.append(span)
    insert(
        VillagePlacement,
        ["village", "commune", "commune_path", "from_year", "to_year"],
        ((pk, *span) for pk, (span, _history, _snapshot) in zip(ids, placed, strict=True)),
    )
    before = []
    announce(VillagesPlaced([(pk, before, history) for pk, (_span, history, _s) in zip(ids, placed, strict=True)]))
    # Each entry's JSON is written from its parts, the span's snapshot written once (json.dumps of
    # 100,000 whole entries was a seventh of the save of a national file).
    audit_many(
        actor=actor,
        action="village.create",
        model=Village,
        changes=(
            (
                pk,
                None,
                JsonText(
                    f'{{"code": {json_string(code)}, "name": {json_string(new.name)}, '
                    f'"kind": {json_string(new.kind)}, "placements": {snapshot}}}'
                ),
            )
            for pk, code, new, (_span, _history, snapshot) in zip(ids, codes, creates, placed, strict=True)
        ),
        reason=reason,
        source=source,
    )


def _edit(edits: list[VillageEdit], *, actor, source: str, reason: str) -> None:
    current = {
        pk: (name, kind)
        for pk, name, kind in Village.objects.select_for_update()
        .filter(pk__in=[edit.village_id for edit in edits])
        .values_list("pk", "name", "kind")
    }
    if any(current.get(edit.village_id) != tuple(edit.seen) for edit in edits):
        raise StaleCheck
    villages = [
        Village(
            pk=edit.village_id,
            name=edit.name,
            kind=edit.kind,
            search_name=fold(edit.name),
            sort_key=sort_key(edit.name),
        )
        for edit in edits
    ]
    Village.objects.bulk_update(villages, ["name", "kind", "search_name", "sort_key"], batch_size=1000)
    # A page opened before the import is refused as stale rather than undoing it.
    Village.objects.filter(pk__in=[edit.village_id for edit in edits]).update(version=bump_expression())
    audit_many(
        actor=actor,
        action="village.update",
        model=Village,
        changes=(
            (
                edit.village_id,
                {"name": edit.seen[0], "kind": edit.seen[1]},
                {"name": edit.name, "kind": edit.kind},
            )
            for edit in edits
        ),
        reason=reason,
        source=source,
    )

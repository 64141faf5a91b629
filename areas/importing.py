"""Villages from a spreadsheet, through the shared import pipeline: create, rename, change kind, move.

A row with a village code is about that village: its name and kind are set as written, and a commune
other than every commune it has had moves it there from the year the row gives. A row without a code
is about the village of that commune with that name (names compared after NFC and case folding),
else it creates one, placed from the row's year (by default the first year of the tree in force).
Two rows, or a row and another village, with the same name in one commune are refused; names that
differ only by their diacritics are a warning the officer confirms before saving. Communes are read
on the tree in force in the row's year, within the user's area.
"""

import gc
import io
from collections import defaultdict

import xlsxwriter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.importers import Importer, Outcome
from core.parsing import cell_text, choice_names, parse_year
from core.readers import Column
from core.text import fold

from .models import AdministrativeUnit, Level, Tree, Village, VillageKind, VillagePlacement, tree_for_year
from .permissions import AreaPerm
from .services import validate_village_name
from .villages_bulk import (
    NewVillage,
    VillageEdit,
    VillageMove,
    last_year_on,
    name_key,
    names_in_communes,
    overlaps,
    villages_save_many,
)

VILLAGE_COLUMNS = ["Mã thôn", "Mã xã", "Tên xã", "Tên thôn", "Loại", "Từ năm"]
SHEET, COMMUNES_SHEET = "Thôn", "Xã"
LAST_TEMPLATE_ROW = 100000
KIND_LABELS_VI = {
    VillageKind.VILLAGE: "Thôn",
    VillageKind.HAMLET: "Bản, ấp, làng",
    VillageKind.RESIDENTIAL_GROUP: "Tổ dân phố",
    VillageKind.SUB_AREA: "Tiểu khu, khu phố",
}


def clean_village_kind(value) -> str:
    """A kind of village as written (Thôn, Tổ dân phố…; in English too); empty: a village (thôn)."""
    text = str(value if value is not None else "").strip()
    if not text:
        return VillageKind.VILLAGE
    kind = choice_names(VillageKind).get(fold(text)) or {fold(v): k for k, v in KIND_LABELS_VI.items()}.get(fold(text))
    if kind is None:
        raise ValidationError(
            _("Unknown kind of village “%(kind)s”; write one of: %(kinds)s.")
            % {"kind": text, "kinds": ", ".join(KIND_LABELS_VI.values())},
            code="kind",
        )
    return kind


def first_year_of_today() -> int:
    """Where a new village starts by default: the first year of the tree in force today."""
    today = timezone.localdate().year
    if tree_for_year(today) == Tree.Y2025:
        return settings.KHUYENHOC_REFORM_YEAR
    return today


class VillageImporter(Importer):
    """Checks each row once and stages the result, so that the save only writes (a national file
    holds 100,000 villages), guarded against what changed since the check (`villages_save_many`)."""

    kind = "villages"
    perm = AreaPerm.MANAGE_VILLAGES
    stages_changes = True
    positional = True  # rows are [code, commune, name, kind, from_year], as `columns`
    columns = [
        Column("code", VILLAGE_COLUMNS[0], required=False),
        Column("commune", VILLAGE_COLUMNS[1]),
        Column("name", VILLAGE_COLUMNS[3]),
        Column("kind", VILLAGE_COLUMNS[4], required=False),
        Column("from_year", VILLAGE_COLUMNS[5], required=False),
    ]

    def __init__(self, *, user):
        super().__init__(user=user)
        self.default_year = first_year_of_today()
        # (commune id, name key) → (row, name) of the file's earlier rows; (commune id, folded) → the same.
        self.named_in_file = {}
        self.folded_in_file = {}
        self.first_row_of_village = {}
        self.kinds_seen = {}
        self.trees = {}  # year → the tree in force, asked for on every row
        self.communes_on_tree = {}

    # Reading a row ---------------------------------------------------------------------------------

    def _year(self, outcome, number, value):
        if value in (None, ""):
            return None
        try:
            return parse_year(value)
        except ValidationError as error:
            self.error(outcome, number, "from_year", error)
            return False

    def _kind(self, outcome, number, value):
        """The kind a cell gives, or None for an empty cell: a new village is then a village (thôn), and
        a village given by its code keeps its kind."""
        key = str(value if value is not None else "").strip()
        if not key:
            return None
        if key not in self.kinds_seen:
            try:
                self.kinds_seen[key] = clean_village_kind(key)
            except ValidationError as error:
                self.error(outcome, number, "kind", error)
                return None
        return self.kinds_seen[key]

    def _communes(self, batch) -> dict:
        """(tree, code) → the commune of the user's area, for every code the batch names, on the tree of
        the default year when no row gives a year (a file of new villages), else on either tree."""
        codes = {cell_text(values[1]) for _number, values in batch} - {""}
        if all(values[4] in (None, "") for _number, values in batch):
            trees = [self._tree(self.default_year)]
        else:
            trees = list(Tree.values)
        found = {}
        for tree in trees:
            communes = self._communes_on(tree)
            found.update(((tree, code), communes[code]) for code in codes if code in communes)
        return found

    def _communes_on(self, tree: str) -> dict:
        """code → the communes of the user's area on `tree`, read once for the file (a query per batch
        took a tenth of the check of a national file), with only what the check reads of them."""
        if tree not in self.communes_on_tree:
            units = (
                AdministrativeUnit.objects.visible_to(self.user)
                .filter(level=Level.COMMUNE, tree=tree)
                .only("tree", "code", "name")
                .order_by()
            )
            self.communes_on_tree[tree] = {unit.code: unit for unit in units}
        return self.communes_on_tree[tree]

    def _tree(self, year: int) -> str:
        if year not in self.trees:
            self.trees[year] = tree_for_year(year)
        return self.trees[year]

    def _commune(self, outcome, number, code: str, year: int):
        tree = self._tree(year)
        commune = self.communes.get((tree, code))
        if commune is not None:
            return commune
        if not code:
            self.error(outcome, number, "commune", _("Enter the commune's code."))
        elif AdministrativeUnit.objects.filter(tree=tree, code=code, level=Level.COMMUNE).exists():
            self.error(
                outcome,
                number,
                "commune",
                _("The commune with the code “%(code)s” is outside your area: villages cannot be placed there.")
                % {"code": code},
            )
        else:
            self.error(
                outcome,
                number,
                "commune",
                _("No commune in force in %(year)d has the code “%(code)s”.") % {"year": year, "code": code},
            )
        return None

    # Classifying a batch ---------------------------------------------------------------------------

    def classify(self, batch, outcome: Outcome) -> dict:
        """The batch's new villages, edits and moves, ready to stage; errors and warnings go to
        `outcome`. A few queries per batch, none per row."""
        self.communes = self._communes(batch)
        codes = {cell_text(values[0]) for _number, values in batch} - {""}
        existing = {v.code: v for v in Village.objects.visible_to(self.user).filter(code__in=codes)}
        placements = defaultdict(list)
        rows = VillagePlacement.objects.filter(village__in=existing.values()).select_related("commune")
        for placement in rows.order_by("from_year"):
            placements[placement.village_id].append(placement)
        communes = {commune.pk for commune in self.communes.values()}
        # Every commune of the batch has its list, empty when it has no village yet (none is asked for twice).
        self.taken = {pk: [] for pk in communes} | names_in_communes(communes)
        changes = {NewVillage: [], VillageEdit: [], VillageMove: []}
        for number, values in batch:
            for change in self._row(outcome, number, values, existing, placements) or ():
                changes[type(change)].append(change)
        return {
            "create": [[c.commune.id, c.name, str(c.kind), c.from_year, c.search_name] for c in changes[NewVillage]],
            "edit": [[e.village_id, e.code, *map(str, e.seen), e.name, str(e.kind)] for e in changes[VillageEdit]],
            "move": [[m.village_id, m.commune.pk, m.from_year] for m in changes[VillageMove]],
        }

    def _row(self, outcome, number, values, existing, placements):
        """The row's changes, or None when it has errors (in `outcome`)."""
        errors_before = outcome.error_count
        code, commune_code, name, kind, year = values
        code = cell_text(code)
        village = existing.get(code)
        if code and village is None:
            self.error(outcome, number, "code", _("No village has the code “%(code)s” in your area.") % {"code": code})
        try:
            name = validate_village_name(name if type(name) is str else str(name or ""))
        except ValidationError as error:
            self.error(outcome, number, "name", error)
        # A file without the kind's column keeps each village's kind, as an empty cell does (`_kind`).
        kind = self._kind(outcome, number, kind) if "kind" in self.columns_given else None
        year = self._year(outcome, number, year)
        commune_code = cell_text(commune_code)
        if outcome.error_count > errors_before:
            return None
        if village is None:
            year = year or self.default_year
            commune = self._commune(outcome, number, commune_code, year)
            if commune is None:
                return None
            return self._uncoded(outcome, number, commune, name, kind, year)
        own = placements[village.pk]
        kept = [p.commune for p in own if p.commune.code == commune_code]
        if kept:
            return self._coded(outcome, number, village, own, kept[-1], None, name, kind)
        if year is None:
            message = _("Moving a village to another commune needs the year it belongs there from.")
            self.error(outcome, number, "from_year", message)
            return None
        commune = self._commune(outcome, number, commune_code, year)
        if commune is None:
            return None
        if not own or own[0].from_year >= year:
            self.error(
                outcome,
                number,
                "from_year",
                _("%(village)s has no commune before %(year)d: give a later year.")
                % {"village": village.name, "year": year},
            )
            return None
        return self._coded(outcome, number, village, own, commune, year, name, kind)

    def _claim_name(self, outcome, number, commune, name) -> str | None:
        """The name's search form (folded), or None with an error when an earlier row gives a village of
        the same name in the same commune; a warning when an earlier row's name differs only by its
        diacritics."""
        # `name` went through validate_village_name (NFC, spaces tidied): its key is its case folding.
        search_name = fold(name)
        key, folded = (commune.id, name.casefold()), (commune.id, search_name)
        if key in self.named_in_file:
            row, other = self.named_in_file[key]
            self.error(
                outcome,
                number,
                "name",
                _(
                    "Row %(row)d already gives %(commune)s a village named “%(name)s”: names equal apart from "
                    "capital letters are the same name."
                )
                % {"row": row, "commune": commune, "name": other},
            )
            return None
        similar = self.folded_in_file.get(folded)
        if similar is not None:
            row, other = similar
            self.warn(
                outcome,
                number,
                "name",
                _(
                    "“%(name)s” differs only by its diacritics from “%(other)s” of row %(row)d in %(commune)s: "
                    "check that they are two villages."
                )
                % {"name": name, "other": other, "row": row, "commune": commune},
            )
        self.named_in_file[key] = (number, name)
        self.folded_in_file.setdefault(folded, (number, name))
        return search_name

    def _taken_in(self, commune) -> list:
        if commune.id not in self.taken:
            self.taken[commune.id] = names_in_communes([commune.id]).get(commune.id, [])
        return self.taken[commune.id]

    def _others_named(self, commune, name, from_year, exclude=None):
        """(the village of the same name, the names differing from it only by diacritics) among the
        villages of `commune` whose years overlap `from_year` and after."""
        taken = self._taken_in(commune)
        if not taken:  # a commune without villages yet: every new one of a national file
            return None, []
        key, folded, to_year = name_key(name), fold(name), last_year_on(commune.tree)
        same, similar = None, []
        for placed in taken:
            if placed.village_id == exclude or not overlaps(from_year, to_year, placed.from_year, placed.to_year):
                continue
            if name_key(placed.name) == key:
                same = placed
            elif fold(placed.name) == folded:
                similar.append(placed.name)
        return same, similar

    def _warn_similar(self, outcome, number, commune, name, similar):
        for other in similar:
            self.warn(
                outcome,
                number,
                "name",
                _(
                    "“%(name)s” differs only by its diacritics from the village “%(other)s” of %(commune)s: "
                    "check that they are two villages."
                )
                % {"name": name, "other": other, "commune": commune},
            )

    def _uncoded(self, outcome, number, commune, name, kind, year):
        """A row without a code: the commune's village of that name, else a new village."""
        search_name = self._claim_name(outcome, number, commune, name)
        if search_name is None:
            return None
        same, similar = self._others_named(commune, name, year)
        if same is not None:
            village = Village(pk=same.village_id, code=same.code, name=same.name, kind=same.kind)
            return self._change(outcome, number, village, village.name, kind, commune, None)
        self._warn_similar(outcome, number, commune, name, similar)
        kind = kind or VillageKind.VILLAGE
        sample = None
        if outcome.wants_sample("create"):
            span = {
                "commune": commune.code,
                "tree": commune.tree,
                "from_year": year,
                "to_year": last_year_on(commune.tree),
            }
            sample = {"row": number, "name": name, "kind": kind, "placements": [span]}
        outcome.count("create", sample)
        return [NewVillage(commune=commune, name=name, kind=kind, from_year=year, search_name=search_name)]

    def _coded(self, outcome, number, village, own, commune, move_year, name, kind):
        """A row with a code: its new name is checked in each commune the village will be in."""
        if self._claim_name(outcome, number, commune, name) is None:
            return None
        if name_key(name) != name_key(village.name) or move_year is not None:
            spans = [(p.commune, p.from_year) for p in own if move_year is None or p.from_year < move_year]
            if move_year is not None:
                spans.append((commune, move_year))
            for place, from_year in spans:
                same, similar = self._others_named(place, name, from_year, exclude=village.pk)
                if same is not None:
                    self.error(
                        outcome,
                        number,
                        "name",
                        _("%(commune)s already has a village named “%(name)s” (%(code)s).")
                        % {"commune": place, "name": same.name, "code": same.code},
                    )
                    return None
                self._warn_similar(outcome, number, place, name, similar)
        return self._change(outcome, number, village, name, kind, commune, move_year)

    def _change(self, outcome, number, village, name, kind, commune, move_year):
        first = self.first_row_of_village.setdefault(village.pk, number)
        if first != number:
            self.error(outcome, number, "code", _("The same village as row %(row)d.") % {"row": first})
            return None
        kind = kind or village.kind
        changes, before, after = [], {}, {}
        if (name, kind) != (village.name, village.kind):
            before.update(name=village.name, kind=village.kind)
            after.update(name=name, kind=kind)
            seen = (village.name, village.kind)
            changes.append(VillageEdit(village_id=village.pk, code=village.code, seen=seen, name=name, kind=kind))
        if move_year is not None:
            span = {"commune": commune.code, "tree": commune.tree, "from_year": move_year, "to_year": None}
            after["placements"] = [span]
            changes.append(VillageMove(village_id=village.pk, commune=commune, from_year=move_year))
        if not changes:
            outcome.count("unchanged")
            return []
        sample = {"row": number, "code": village.code, "before": before, "after": after}
        outcome.count("update", sample if outcome.wants_sample("update") else None)
        return changes

    # Saving -----------------------------------------------------------------------------------------

    def save_staged(self, staging, *, actor, job) -> None:
        """Every staged batch written at once: one insert of each kind of row and one update of the
        figures for the whole file, not one per batch."""
        # Python's cycle collector is held off while the file's changes are in memory: its full passes
        # walk every one of them again, about a tenth of the save of 100,000 villages (bench/villages_bench.py).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._save_all(staging, actor=actor, job=job)
        finally:
            if collecting:
                gc.enable()

    @staticmethod
    def _save_all(staging, *, actor, job) -> None:
        staged = {"create": [], "edit": [], "move": []}
        for batch in staging.batches():
            for key, rows in batch.items():
                staged[key].extend(rows)
        communes = AdministrativeUnit.objects.in_bulk(
            {row[0] for row in staged["create"]} | {row[1] for row in staged["move"]}
        )
        villages_save_many(
            creates=[NewVillage(communes[c], *new) for c, *new in staged["create"]],
            edits=[
                VillageEdit(pk, code, (seen, seen_kind), name, kind)
                for pk, code, seen, seen_kind, name, kind in staged["edit"]
            ],
            moves=[VillageMove(pk, communes[c], year) for pk, c, year in staged["move"]],
            actor=actor,
            source=job.audit_source,
            reason=job.audit_reason,
        )

    def template(self) -> bytes:
        """The upload template, with the communes of the user's area (on the tree in force) on a second
        sheet and dropdowns for the commune and the kind."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(SHEET)
        lists = workbook.add_worksheet(COMMUNES_SHEET)
        bold = workbook.add_format({"bold": True})
        text = workbook.add_format({"num_format": "@"})
        sheet.write_row(0, 0, VILLAGE_COLUMNS, bold)
        sheet.set_column(0, 1, 14, text)
        sheet.set_column(2, 3, 28)
        sheet.set_column(4, 5, 16)
        lists.write_row(0, 0, VILLAGE_COLUMNS[1:3], bold)
        lists.set_column(0, 0, 12)
        lists.set_column(1, 1, 36)
        tree = tree_for_year(self.default_year)
        communes = (
            AdministrativeUnit.objects.visible_to(self.user)
            .filter(tree=tree, level=Level.COMMUNE)
            .order_by("code")
            .values_list("code", "name")
        )
        count = 0
        for count, (code, name) in enumerate(communes.iterator(), start=1):
            lists.write_string(count, 0, code)
            lists.write_string(count, 1, name)
        if count:
            source = f"='{COMMUNES_SHEET}'!$A$2:$A${count + 1}"
            sheet.data_validation(1, 1, LAST_TEMPLATE_ROW, 1, {"validate": "list", "source": source})
        sheet.data_validation(1, 4, LAST_TEMPLATE_ROW, 4, {"validate": "list", "source": list(KIND_LABELS_VI.values())})
        sheet.freeze_panes(1, 0)
        workbook.close()
        return buffer.getvalue()

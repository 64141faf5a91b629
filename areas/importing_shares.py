"""The shares of divided old communes from Excel or CSV, through the shared pipeline: one row per
piece (old commune, new commune, its households or population, the old commune's whole). The rows of
one old commune are checked together by the page's rules (`areas.shares.clean_shares`): every piece
given, adding up to the whole; saved through its service, one audit entry per old commune."""

import io
from collections import defaultdict
from dataclasses import dataclass

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from core.importers import Importer, Outcome
from core.parsing import cell_text, choice_names, clean_whole_number
from core.readers import Column
from core.text import fold

from . import shares
from .forms_shares import COUNT_MAX
from .models import ShareBasis
from .permissions import AreaPerm

SHEET = "Tỷ lệ xã chia tách"
COLUMNS = [
    Column("old", "Mã xã cũ", aliases=("old commune", "old_code")),
    Column("old_name", "Tên xã cũ", required=False),
    Column("new", "Mã xã mới", aliases=("new commune", "new_code")),
    Column("new_name", "Tên xã mới", required=False),
    Column("basis", "Tính theo", aliases=("basis",)),
    Column("count", "Phần về xã mới", aliases=("count", "share")),
    Column("whole", "Tổng của xã cũ", aliases=("whole",)),
]
# Besides the choice's value and labels: how a province writes them.
BASIS_WORDS = {"so ho": ShareBasis.HOUSEHOLDS, "ho": ShareBasis.HOUSEHOLDS, "nhan khau": ShareBasis.POPULATION}


@dataclass
class SharesChange:
    old_commune: object
    basis: str
    whole: int
    counts: dict


class DividedSharesImporter(Importer):
    kind = "divided_shares"
    perm = AreaPerm.MANAGE_SHARES
    columns = COLUMNS

    def __init__(self, *, user):
        super().__init__(user=user)
        self.bases = {**choice_names(ShareBasis), **BASIS_WORDS}

    def batches(self, path, filename, outcome: Outcome | None = None):
        """All rows at once: the pieces of one old commune are checked together, wherever they are
        in the file (a country has fewer than two thousand pieces)."""
        rows = [row for batch in super().batches(path, filename, outcome) for row in batch]
        if rows:
            yield rows

    def classify(self, batch, outcome: Outcome):
        divided = {c.code: c for c in shares.divided_communes(self.user)}
        groups = defaultdict(list)  # old commune's code → [(row, new code, basis, count, whole)]
        for number, values in batch:
            if all(cell_text(values.get(c.key)) == "" for c in COLUMNS):
                continue
            row = self._row(outcome, number, values, divided)
            if row is not None:
                groups[row[0]].append((number, *row[1:]))
        changes = []
        for code, rows in groups.items():
            change = self._group(outcome, divided[code], rows)
            if change is not None:
                changes.append(change)
        return changes

    def _row(self, outcome, number, values, divided):
        errors = []
        code = cell_text(values.get("old"))
        if code not in divided:
            errors.append(("old", _("No old commune “%(code)s” divided in 2025 in your area.") % {"code": code or "—"}))
        new = cell_text(values.get("new"))
        if not new:
            errors.append(("new", _("Enter the new commune's code.")))
        basis = self.bases.get(fold(cell_text(values.get("basis"))))
        if basis is None:
            errors.append(
                ("basis", _("Write “Số hộ” or “Dân số”, not “%(value)s”.") % {"value": cell_text(values.get("basis"))})
            )
        numbers = {}
        for key in ("count", "whole"):
            try:
                numbers[key] = clean_whole_number(
                    values.get(key) if values.get(key) is not None else "", min_value=0, max_value=COUNT_MAX
                )
            except ValidationError as error:
                errors.append((key, error))
        for key, error in errors:
            self.error(outcome, number, key, error)
        if errors:
            return None
        return code, new, basis, numbers["count"], numbers["whole"]

    def _group(self, outcome, commune, rows):
        """One old commune's rows: one basis and one whole, each new commune once, and the page's rules."""
        first = rows[0][0]
        failed = False
        basis, whole = rows[0][2], rows[0][4]
        counts, row_of = {}, {}
        for number, new, row_basis, count, row_whole in rows:
            if row_basis != basis:
                self.error(
                    outcome, number, "basis", _("Row %(row)d counts this old commune otherwise.") % {"row": first}
                )
                failed = True
            if row_whole != whole:
                self.error(
                    outcome, number, "whole", _("Row %(row)d gives this old commune another whole.") % {"row": first}
                )
                failed = True
            if new in row_of:
                self.error(outcome, number, "new", _("The same new commune as row %(row)d.") % {"row": row_of[new]})
                failed = True
            row_of.setdefault(new, number)
            counts[new] = count
        if failed:
            return None
        pieces = shares.pieces_of(commune)
        try:
            shares.clean_shares(commune, pieces, basis=basis, whole=whole, counts=counts)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                column = {"basis": "basis", "whole": "whole"}.get(key, "count" if key == "__all__" else "new")
                self.error(outcome, first, column, ValidationError(messages))
            return None
        before = shares.entered_shares(pieces)
        after = {"basis": basis, "whole": whole, "pieces": counts}
        if before == after:
            outcome.count("unchanged")
            return None
        if before:
            outcome.count("update", {"row": first, "code": commune.code, "before": before, "after": after})
        else:
            outcome.count("create", {"row": first, "code": commune.code, **after})
        return SharesChange(commune, basis, whole, counts)

    def apply(self, changes, *, actor, job):
        for change in changes:
            shares.divided_shares_save(
                actor=actor,
                old_commune=change.old_commune,
                basis=change.basis,
                whole=change.whole,
                counts=change.counts,
            )

    def template(self) -> bytes:
        """One row per piece of every divided old commune the user sees, with the names, to be filled in."""
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(SHEET)
        bold = workbook.add_format({"bold": True})
        text = workbook.add_format({"num_format": "@"})
        sheet.write_row(0, 0, [c.header for c in COLUMNS], bold)
        sheet.set_column(0, 0, 12, text)
        sheet.set_column(1, 1, 28)
        sheet.set_column(2, 2, 12, text)
        sheet.set_column(3, 3, 28)
        sheet.set_column(4, 6, 16)
        with translation.override("vi"):
            basis_words = [str(label) for _value, label in ShareBasis.choices]
        row = 1
        for commune in shares.divided_communes(self.user):
            pieces = shares.pieces_of(commune)
            entered = shares.entered_shares(pieces)
            for piece in pieces:
                sheet.write_string(row, 0, commune.code)
                sheet.write_string(row, 1, commune.name)
                sheet.write_string(row, 2, piece.successor.code)
                sheet.write_string(row, 3, piece.successor.name)
                if entered:
                    sheet.write_string(row, 4, dict(zip(ShareBasis.values, basis_words, strict=True))[entered["basis"]])
                    sheet.write_number(row, 5, piece.share_count)
                    sheet.write_number(row, 6, entered["whole"])
                row += 1
        sheet.data_validation(1, 4, 100000, 4, {"validate": "list", "source": basis_words})
        sheet.freeze_panes(1, 0)
        workbook.close()
        return buffer.getvalue()

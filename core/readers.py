"""Reading the spreadsheets officials upload, safely and the same way for every import.

A file is checked before a single row is used: its size, its real type (by its first bytes,
not its name), that a workbook is neither password-protected nor a zip bomb, that no sheet spans
more rows, columns or cells than the settings allow (read from the sheets' XML before calamine,
which allocates the whole rectangle up to the last cell, is asked for anything), that no sheet has
formulas and the sheet read no merged cells (whose values calamine cannot give reliably), and that
no column's header appears twice. Rows then stream out keyed by column, with text in NFC and
whole-number floats as integers; blank rows are skipped. A problem of the whole file is a
ValidationError in the user's language naming the sheet or the file; a problem of one cell (text
longer than the limit, a NUL or another control character) is reported with its row and column and
the row is left out.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook, PasswordError

from core.text import fold, nfc

from .sheet_parts import SheetExtent, column_letters, scan_sheet, worksheet_parts

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx, or the old .xls format
# No honest spreadsheet compresses better than this; zip bombs do by orders of magnitude.
MAX_COMPRESSION_RATIO = 200
# Text may hold tabs and line breaks; no other C0 control character (NUL above all) belongs in a cell.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
CSV_FIELD_LIMIT = 131072  # Python's csv module refuses longer fields unless told otherwise


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = True
    aliases: tuple[str, ...] = ()  # other headers accepted for this column (e.g. its English key)

    def names(self) -> set[str]:
        return {fold(self.header), *(fold(alias) for alias in self.aliases)}


@dataclass
class Table:
    sheet: str
    columns: dict[str, int]  # key → position
    header_row: int
    _rows: Iterator
    _is_blank: Callable[[list], bool]
    _text_is_clean: bool = False  # CSV: the whole file went through NFC, so text needs only its spaces tidied
    # Told of a cell that cannot be used (row, column key, message); its row is left out. Without it,
    # such a cell stops the reading with an error naming the sheet, row and column.
    report: Callable[[int, str, str], None] | None = None
    headers: dict = field(default_factory=dict)  # key → the column's header, for messages

    def rows(self) -> Iterator[tuple[int, dict]]:
        """(row number as Excel shows it, {key: value}) for every non-blank row after the header,
        with the columns the file has."""
        keys = list(self.columns)
        for number, values in self.records(keys):
            yield number, dict(zip(keys, values, strict=True))

    def records(self, keys: list[str]) -> Iterator[tuple[int, list]]:
        """(row number, [value of each key, in the order given]) for every non-blank row after the
        header; a column the file lacks reads as "". Lists, not dictionaries, and each cell cleaned
        inline: this loop runs once per row of files of millions, where a dictionary or a function
        call per cell cost more than the rest of the reading."""
        present = [key for key in keys if key in self.columns]
        if len(present) < len(keys):
            for number, values in self.records(present):
                found = dict(zip(present, values, strict=True))
                yield number, [found.get(key, "") for key in keys]
            return
        positions = [self.columns[key] for key in keys]
        needed = max(positions, default=-1) + 1
        is_blank = self._is_blank
        limit = settings.KHUYENHOC_MAX_CELL_CHARS
        for number, raw in self._rows:
            if is_blank(raw):
                continue
            if len(raw) < needed:
                raw = [*raw, *([""] * (needed - len(raw)))]
            # One test of the row's text for what no cell may hold; the cell is looked for only then.
            text = "".join([v for i in positions if type(v := raw[i]) is str])
            if len(text) > limit or CONTROL_CHARACTERS.search(text):
                problem = _cell_problem(keys, [raw[i] for i in positions], limit)
                if problem:
                    self._report(number, *problem)
                    continue
            if self._text_is_clean:
                yield number, [" ".join(raw[i].split()) for i in positions]
            else:
                yield number, [_clean(raw[i]) for i in positions]

    def _report(self, number: int, key: str, message: str) -> None:
        if self.report is None:
            raise ValidationError(
                _("Sheet “%(sheet)s”, row %(row)d, column “%(column)s”: %(message)s")
                % {"sheet": self.sheet, "row": number, "column": self.headers.get(key, key), "message": message},
                code="cell",
            )
        self.report(number, key, message)


def _cell_problem(keys: list[str], values: list, limit: int) -> tuple[str, str] | None:
    """(column key, message) of the first cell that no import may use, or None."""
    for key, value in zip(keys, values, strict=True):
        if type(value) is not str:
            continue
        if len(value) > limit:
            message = _("The text has %(count)s characters; a cell may hold at most %(limit)s.") % {
                "count": number_format(len(value), force_grouping=True),
                "limit": number_format(limit, force_grouping=True),
            }
            return key, message
        if CONTROL_CHARACTERS.search(value):
            return key, _("The text holds a control character (such as NUL) that cannot be stored: retype the cell.")
    return None


def _blank_cells(raw) -> bool:
    for value in raw:
        if value is None or value == "" or (type(value) is str and value.isspace()):
            continue
        return False
    return True


def _blank_text(raw: list[str]) -> bool:
    """A CSV row: every cell is text."""
    joined = "".join(raw)
    return not joined or joined.isspace()


def _clean(value):
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def open_table(path: Path, filename: str, columns: list[Column]) -> Table:
    path = Path(path)
    size = path.stat().st_size
    if size > settings.KHUYENHOC_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.KHUYENHOC_MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    with path.open("rb") as handle:
        start = handle.read(8)
    if start.startswith(XLSX_MAGIC):
        return _open_xlsx(path, columns)
    if start == OLE_MAGIC:
        raise ValidationError(
            _("The file is password-protected or in the old .xls format: remove the password or save it as .xlsx."),
            code="protected",
        )
    if filename.lower().endswith(".csv"):
        return _open_csv(path, columns)
    raise ValidationError(_("Upload an .xlsx or .csv file."), code="file_type")


def _open_xlsx(path: Path, columns: list[Column]) -> Table:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise ValidationError(_("The file is damaged and cannot be opened as .xlsx."), code="corrupt") from error
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names:
            raise ValidationError(_("The file is a zip archive, not an Excel workbook."), code="not_workbook")
        total = sum(m.file_size for m in members)
        compressed = sum(m.compress_size for m in members) or 1
        if total > settings.KHUYENHOC_MAX_UNPACKED_BYTES or total / compressed > MAX_COMPRESSION_RATIO:
            raise ValidationError(
                _("The file unpacks to far more data than a spreadsheet holds; it was refused."), code="zip_bomb"
            )
        for part, name in worksheet_parts(archive).items():
            _check_sheet(scan_sheet(archive, part, name))
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except PasswordError as error:
        raise ValidationError(
            _("The file is password-protected: remove the password and upload it again."), code="protected"
        ) from error
    except Exception as error:  # calamine raises its own error types for every kind of damage
        raise ValidationError(_("The file is damaged and cannot be opened as .xlsx."), code="corrupt") from error
    merged = sheet.merged_cell_ranges or []
    if merged:
        ranges = ", ".join(f"{_cell_name(*start)}:{_cell_name(*end)}" for start, end in merged[:5])
        raise ValidationError(
            _("Sheet “%(sheet)s” has merged cells (%(ranges)s): unmerge them so that every row has its own values.")
            % {"sheet": sheet.name, "ranges": ranges},
            code="merged",
        )
    rows = ((index + 1, row) for index, row in enumerate(sheet.iter_rows()))
    return _table(sheet.name, rows, columns, _blank_cells)


def _check_sheet(extent: SheetExtent) -> None:
    """Refuse a sheet spanning more than the settings allow (by its declared range or its real cells),
    or holding formulas, before any library reads it."""
    if extent.broken:
        raise ValidationError(
            _("Sheet “%(sheet)s” is damaged and cannot be read.") % {"sheet": extent.name}, code="corrupt"
        )
    max_rows, max_columns = settings.KHUYENHOC_MAX_SHEET_ROWS, settings.KHUYENHOC_MAX_SHEET_COLUMNS
    for rows, columns in (extent.declared or (0, 0), (extent.rows, extent.columns)):
        if rows > max_rows or columns > max_columns or rows * columns > settings.KHUYENHOC_MAX_SHEET_CELLS:
            raise ValidationError(
                _(
                    "Sheet “%(sheet)s” reaches cell %(cell)s (%(rows)s rows × %(columns)s columns); a sheet may "
                    "have at most %(max_rows)s rows, %(max_columns)s columns and %(max_cells)s cells. Delete the "
                    "rows and columns outside the table (formatted empty cells too) and upload again."
                )
                % {
                    "sheet": extent.name,
                    "cell": f"{column_letters(columns)}{rows}",
                    "rows": number_format(rows, force_grouping=True),
                    "columns": number_format(columns, force_grouping=True),
                    "max_rows": number_format(max_rows, force_grouping=True),
                    "max_columns": number_format(max_columns, force_grouping=True),
                    "max_cells": number_format(settings.KHUYENHOC_MAX_SHEET_CELLS, force_grouping=True),
                },
                code="too_many_cells",
            )
    if extent.formulas:
        raise ValidationError(
            _(
                "Sheet “%(sheet)s” has formulas (cells %(cells)s): "
                "copy the data and paste it as values, then upload again."
            )
            % {"sheet": extent.name, "cells": ", ".join(extent.formulas)},
            code="formulas",
        )


def _cell_name(row: int, column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"{letters}{row + 1}"


def _open_csv(path: Path, columns: list[Column]) -> Table:
    # Python's csv module refuses a field longer than its limit (131,072 characters) and cannot go on
    # after it: raised, never lowered, only as far as our own limit, so that a cell longer than ours but
    # within the module's is an error of its row and column; longer still stops the file at its row.
    field_limit = max(CSV_FIELD_LIMIT, settings.KHUYENHOC_MAX_CELL_CHARS + 1)
    if csv.field_size_limit() < field_limit:
        csv.field_size_limit(field_limit)

    def rows():
        number = 0
        with path.open(encoding="utf-8-sig", newline="") as text:
            try:
                for row in csv.reader(_nfc_lines(text)):
                    number += 1
                    yield number, row
            except UnicodeDecodeError as error:
                raise ValidationError(
                    _("The CSV file is not UTF-8 text: in Excel, save it as “CSV UTF-8”."), code="encoding"
                ) from error
            except csv.Error as error:
                raise ValidationError(
                    _(
                        "CSV, row %(row)d: a cell is longer than %(limit)s characters or its quotes are not "
                        "closed; the file cannot be read past it."
                    )
                    % {"row": number + 1, "limit": number_format(csv.field_size_limit(), force_grouping=True)},
                    code="csv",
                ) from error

    return _table("CSV", rows(), columns, _blank_text, text_is_clean=True)


def _nfc_lines(text, chunk_size: int = 1 << 20) -> Iterator[str]:
    """The lines of a text file in NFC, normalised a megabyte at a time rather than cell by cell.

    Each chunk ends at a line break, a character that composes with nothing, so normalising the
    chunk gives every cell exactly what normalising the cell alone would."""
    while chunk := text.read(chunk_size):
        if not chunk.endswith("\n"):
            chunk += text.readline()
        if not chunk.isascii():
            chunk = unicodedata.normalize("NFC", chunk)
        yield from io.StringIO(chunk, newline="")


def _table(sheet: str, rows, columns: list[Column], is_blank, text_is_clean: bool = False) -> Table:
    for number, raw in rows:
        if is_blank(raw):
            continue
        values = [_clean(v) for v in raw]
        header = [fold(str(v)) if v is not None else "" for v in values]
        positions = {}
        missing = []
        for column in columns:
            found_at = [index for index, name in enumerate(header) if name in column.names()]
            if len(found_at) > 1:
                raise ValidationError(
                    _(
                        "Sheet “%(sheet)s”, row %(row)d: the column “%(column)s” appears more than once "
                        "(columns %(places)s). Keep one of them."
                    )
                    % {
                        "sheet": sheet,
                        "row": number,
                        "column": column.header,
                        "places": ", ".join(column_letters(index + 1) for index in found_at),
                    },
                    code="duplicate_column",
                )
            if found_at:
                positions[column.key] = found_at[0]
            elif column.required:
                missing.append(column.header)
        if missing:
            # A header's control characters (a NUL above all) are shown as "�": the message is stored
            # with the job, and PostgreSQL's text cannot hold a NUL.
            found = ", ".join(f"“{CONTROL_CHARACTERS.sub('�', str(v))}”" for v in values if v not in ("", None))
            raise ValidationError(
                _(
                    "Sheet “%(sheet)s”, row %(row)d: missing columns %(missing)s. "
                    "The columns found are: %(found)s. Use the template."
                )
                % {"sheet": sheet, "row": number, "missing": ", ".join(f"“{m}”" for m in missing), "found": found},
                code="columns",
            )
        headers = {column.key: column.header for column in columns}
        return Table(sheet, positions, number, rows, is_blank, text_is_clean, headers=headers)
    raise ValidationError(_("The file has no rows."), code="empty")

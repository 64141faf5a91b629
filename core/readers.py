"""Reading the spreadsheets officials upload, safely and the same way for every import.

A file is checked before a single row is used: its size, its real type (by its first bytes,
not its name), that a workbook is neither password-protected nor a zip bomb, and that it has no
formulas or merged cells (whose values calamine cannot give reliably). Rows then stream out as
dictionaries keyed by column, with text in NFC and whole-number floats as integers; blank rows
are skipped. Every problem is a ValidationError in the user's language.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook, PasswordError

from core.text import fold, nfc

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx, or the old .xls format
# No honest spreadsheet compresses better than this; zip bombs do by orders of magnitude.
MAX_COMPRESSION_RATIO = 200
FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<f[ >/]')


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
        for number, raw in self._rows:
            if is_blank(raw):
                continue
            if len(raw) < needed:
                raw = [*raw, *([""] * (needed - len(raw)))]
            if self._text_is_clean:
                yield number, [" ".join(raw[i].split()) for i in positions]
            else:
                yield number, [_clean(raw[i]) for i in positions]


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
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except PasswordError as error:
        raise ValidationError(
            _("The file is password-protected: remove the password and upload it again."), code="protected"
        ) from error
    except Exception as error:  # calamine raises its own error types for every kind of damage
        raise ValidationError(_("The file is damaged and cannot be opened as .xlsx."), code="corrupt") from error
    formulas = _formula_cells(path, workbook, sheet.name)
    if formulas:
        raise ValidationError(
            _(
                "Sheet “%(sheet)s” has formulas (cells %(cells)s): "
                "copy the data and paste it as values, then upload again."
            )
            % {"sheet": sheet.name, "cells": ", ".join(formulas)},
            code="formulas",
        )
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


def _formula_cells(path: Path, workbook, sheet_name: str, limit: int = 5) -> list[str]:
    """Cells of the first sheet that hold a formula, read from its XML in chunks."""
    position = workbook.sheet_names.index(sheet_name) + 1
    found = []
    with zipfile.ZipFile(path) as archive:
        member = f"xl/worksheets/sheet{position}.xml"
        if member not in archive.namelist():
            return []
        with archive.open(member) as xml:
            tail = b""
            while len(found) < limit:
                chunk = xml.read(1 << 20)
                if not chunk:
                    break
                data = tail + chunk
                for match in FORMULA_CELL.finditer(data):
                    cell = match.group(1).decode()
                    if cell not in found:
                        found.append(cell)
                tail = data[-300:]
    return found[:limit]


def _cell_name(row: int, column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"{letters}{row + 1}"


def _open_csv(path: Path, columns: list[Column]) -> Table:
    def lines():
        with path.open(encoding="utf-8-sig", newline="") as text:
            try:
                yield from csv.reader(_nfc_lines(text))
            except UnicodeDecodeError as error:
                raise ValidationError(
                    _("The CSV file is not UTF-8 text: in Excel, save it as “CSV UTF-8”."), code="encoding"
                ) from error

    rows = ((number, row) for number, row in enumerate(lines(), start=1))
    return _table("CSV", rows, columns, _blank_text, text_is_clean=True)


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
            found_at = next((index for index, name in enumerate(header) if name in column.names()), None)
            if found_at is not None:
                positions[column.key] = found_at
            elif column.required:
                missing.append(column.header)
        if missing:
            found = ", ".join(f"“{v}”" for v in values if v not in ("", None))
            raise ValidationError(
                _(
                    "Sheet “%(sheet)s”, row %(row)d: missing columns %(missing)s. "
                    "The columns found are: %(found)s. Use the template."
                )
                % {"sheet": sheet, "row": number, "missing": ", ".join(f"“{m}”" for m in missing), "found": found},
                code="columns",
            )
        return Table(sheet, positions, number, rows, is_blank, text_is_clean)
    raise ValidationError(_("The file has no rows."), code="empty")

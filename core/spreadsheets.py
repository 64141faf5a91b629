"""Spreadsheet downloads in bounded memory: xlsx written by xlsxwriter in constant-memory mode from
rows streamed out of the database, CSV streamed to the client as it is produced. A layout names the
sheet, its headers and widths; the caller gives the rows. Text never becomes a formula: xlsx cells are
written as strings, CSV cells pass through `core.csv_safety`."""

import csv
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from .csv_safety import inert_row

# xlsxwriter's write() and write_row() take text starting with "=" for a formula and "http://" for a
# link; these options keep them text wherever a workbook of ours is written with them.
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


@dataclass(frozen=True)
class Layout:
    """A registry's sheet: its name, headers and column widths; the first `code_columns` hold codes."""

    sheet: str
    headers: list[str]
    widths: list[int]
    code_columns: int
    filename: str
    rows: Callable[..., Iterator[list]]


def add_sheet(workbook, layout: Layout):
    """The layout's sheet with its header row, widths and frozen header; returns (sheet, bold)."""
    sheet = workbook.add_worksheet(layout.sheet)
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    for index, width in enumerate(layout.widths):
        # Codes stay text, so Excel keeps their leading zeros.
        sheet.set_column(index, index, width, text if index < layout.code_columns else None)
    sheet.write_row(0, 0, layout.headers, bold)
    sheet.freeze_panes(1, 0)
    return sheet, bold


def write_xlsx(layout: Layout, rows):
    """A temporary file holding the workbook (deleted when closed). Numbers are numbers, text is
    text and None (a figure not known) an empty cell. Text is written as text, never as a formula or a
    link, whatever it starts with."""
    output = tempfile.NamedTemporaryFile(suffix=".xlsx")
    workbook = xlsxwriter.Workbook(output.name, dict(WORKBOOK_OPTIONS))
    sheet, _bold = add_sheet(workbook, layout)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(index, column, value)
            elif value is not None:
                sheet.write_number(index, column, value)
    workbook.close()
    output.seek(0)
    return output


class _Echo:
    def write(self, value):
        return value


def csv_lines(layout: Layout, rows):
    """UTF-8 with a byte-order mark, so that Excel opens Vietnamese names correctly; text that a
    spreadsheet would evaluate is made inert (`core.csv_safety`), numbers stay numbers."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(inert_row(layout.headers))
    for row in rows:
        yield writer.writerow(inert_row(row))


def export_response(layout: Layout, rows, file_format: str, *, name: str = ""):
    """The rows as an xlsx or CSV download named after the layout (or `name`) and today's date."""
    filename = f"{name or layout.filename}-{timezone.localdate():%Y%m%d}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(csv_lines(layout, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(write_xlsx(layout, rows), as_attachment=True, filename=filename)

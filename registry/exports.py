"""Registry exports in bounded memory: rows stream from the database in chunks, xlsx is written by
xlsxwriter in constant-memory mode, CSV is streamed to the client as it is produced.

Households, clans and units share one writer; each registry gives its sheet layout and its rows.
"""

import csv
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import xlsxwriter
from django.db.models import Prefetch
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation

from areas.models import Village

from .models import ManagingLevel, UnitKind

# The column headers are the same words the import templates use, so an exported file can be
# edited and uploaded again; they stay Vietnamese whatever the interface language, as files travel
# between levels.
HOUSEHOLD_COLUMNS = ["Mã hộ", "Mã thôn", "Tên thôn", "Chủ hộ", "Số nhân khẩu", "Còn sinh sống"]
CLAN_COLUMNS = [
    "Mã dòng họ",
    "Mã xã",
    "Tên xã",
    "Tên dòng họ",
    "Trưởng họ",
    "Số hộ thành viên",
    "Có ban khuyến học",
    "Mã các thôn",
]
ORGANISATION_COLUMNS = ["Mã đơn vị", "Mã địa bàn", "Tên địa bàn", "Tên đơn vị", "Loại", "Cấp quản lý"]
YES, NO = "Có", "Không"
CHUNK = 5000


@dataclass(frozen=True)
class Layout:
    """A registry's sheet: its name, headers and column widths; the first `code_columns` hold codes."""

    sheet: str
    headers: list[str]
    widths: list[int]
    code_columns: int
    filename: str
    rows: Callable[..., Iterator[list]]


def household_rows(households):
    rows = households.order_by("code").values_list(
        "code", "village__code", "village__name", "head_name", "members", "is_active"
    )
    for code, village_code, village_name, head, members, active in rows.iterator(chunk_size=CHUNK):
        yield [code, village_code, village_name, head, members, YES if active else NO]


def clan_rows(clans):
    villages = Prefetch("villages", queryset=Village.objects.only("code").order_by("code"))
    rows = clans.order_by("code").select_related("commune").prefetch_related(villages)
    for clan in rows.iterator(chunk_size=CHUNK):
        yield [
            clan.code,
            clan.commune.code,
            clan.commune.name,
            clan.name,
            clan.head_name,
            clan.member_households,
            YES if clan.has_board else NO,
            ", ".join(v.code for v in clan.villages.all()),
        ]


def vietnamese_labels(choices) -> dict[str, str]:
    with translation.override("vi"):
        return {value: str(label) for value, label in choices.choices}


def organisation_rows(organisations):
    kinds, levels = vietnamese_labels(UnitKind), vietnamese_labels(ManagingLevel)
    rows = organisations.order_by("code").values_list(
        "code", "area__code", "area__name", "name", "kind", "managing_level"
    )
    for code, area_code, area_name, name, kind, level in rows.iterator(chunk_size=CHUNK):
        yield [code, area_code, area_name, name, kinds.get(kind, kind), levels.get(level, level)]


HOUSEHOLDS = Layout("Hộ gia đình", HOUSEHOLD_COLUMNS, [16, 16, 28, 28, 14, 14], 2, "ho-gia-dinh", household_rows)
CLANS = Layout("Dòng họ", CLAN_COLUMNS, [18, 10, 24, 24, 24, 14, 14, 30], 2, "dong-ho", clan_rows)
ORGANISATIONS = Layout("Đơn vị", ORGANISATION_COLUMNS, [18, 10, 24, 36, 22, 12], 2, "don-vi", organisation_rows)


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
    text and None (a figure not known) an empty cell."""
    output = tempfile.NamedTemporaryFile(suffix=".xlsx")
    workbook = xlsxwriter.Workbook(output.name, {"constant_memory": True})
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
    """UTF-8 with a byte-order mark, so that Excel opens Vietnamese names correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(layout.headers)
    for row in rows:
        yield writer.writerow(row)


def export_response(layout: Layout, rows, file_format: str, *, name: str = ""):
    """The rows as an xlsx or CSV download named after the layout (or `name`) and today's date."""
    filename = f"{name or layout.filename}-{timezone.localdate():%Y%m%d}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(csv_lines(layout, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(write_xlsx(layout, rows), as_attachment=True, filename=filename)

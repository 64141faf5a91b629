"""Household exports in bounded memory: rows stream from the database in chunks, xlsx is written
by xlsxwriter in constant-memory mode, CSV is streamed to the client as it is produced."""

import csv
import tempfile

import xlsxwriter
from django.utils import translation

# The column headers are the same words the import template will use, so an exported file can be
# edited and uploaded again; they stay Vietnamese whatever the interface language, as files travel
# between levels.
HOUSEHOLD_COLUMNS = ["Mã hộ", "Mã thôn", "Tên thôn", "Chủ hộ", "Số nhân khẩu", "Còn sinh sống"]
CHUNK = 5000


def household_rows(households):
    with translation.override("vi"):
        yes, no = "Có", "Không"
    rows = households.order_by("code").values_list(
        "code", "village__code", "village__name", "head_name", "members", "is_active"
    )
    for code, village_code, village_name, head, members, active in rows.iterator(chunk_size=CHUNK):
        yield [code, village_code, village_name, head, members, yes if active else no]


def write_households_xlsx(households):
    """A temporary file holding the workbook (deleted when closed)."""
    output = tempfile.NamedTemporaryFile(suffix=".xlsx")
    workbook = xlsxwriter.Workbook(output.name, {"constant_memory": True})
    sheet = workbook.add_worksheet("Hộ gia đình")
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    sheet.set_column(0, 1, 16, text)  # codes stay text, so Excel keeps their leading zeros
    sheet.set_column(2, 3, 28)
    sheet.set_column(4, 5, 14)
    sheet.write_row(0, 0, HOUSEHOLD_COLUMNS, bold)
    for index, row in enumerate(household_rows(households), start=1):
        sheet.write_string(index, 0, row[0])
        sheet.write_string(index, 1, row[1])
        sheet.write_string(index, 2, row[2])
        sheet.write_string(index, 3, row[3])
        sheet.write_number(index, 4, row[4])
        sheet.write_string(index, 5, row[5])
    sheet.freeze_panes(1, 0)
    workbook.close()
    output.seek(0)
    return output


class _Echo:
    def write(self, value):
        return value


def household_csv_lines(households):
    """UTF-8 with a byte-order mark, so that Excel opens Vietnamese names correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HOUSEHOLD_COLUMNS)
    for row in household_rows(households):
        yield writer.writerow(row)

"""A criteria set as one spreadsheet, in the columns of the import pipeline, so that an exported
file can be edited and imported again as a new set.

One sheet, one row per thing, its kind in the column "Loại":
- "Thông tin": a field of the set itself, named in "Mã" (e.g. "Danh hiệu"), its value in "Nội dung";
- "Xếp loại": a rating, its code in "Mã", its name in "Nội dung", the total it starts at in
  "Điểm tối thiểu";
- "Tiêu chuẩn", "Tiêu chí", "Chỉ tiêu": a node of the tree, under the node numbered in "Mã cấp trên".
Headers and words stay Vietnamese whatever the interface language, as files travel between levels.
"""

import datetime
import io
from decimal import Decimal

import xlsxwriter

from .validation import KIND_WORDS, NO, RULE_WORDS, SCORING_WORDS, TITLE_WORDS, YES

COLUMNS = ["Mã", "Mã cấp trên", "Loại", "Nội dung", "Cách chấm", "Điểm tối đa", "Điểm tối thiểu", "Mức"]
WIDTHS = [22, 12, 12, 60, 16, 12, 14, 8]
SHEET = "Bộ tiêu chí"
INFO, RATING = "Thông tin", "Xếp loại"
INFO_LABELS = {
    "name": "Tên bộ tiêu chí",
    "title": "Danh hiệu",
    "legal_number": "Số văn bản",
    "legal_date": "Ngày văn bản",
    "issuer": "Cơ quan ban hành",
    "valid_from": "Áp dụng từ năm",
    "valid_to": "Áp dụng đến năm",
    "rule": "Cách xét kết quả",
    "pass_total": "Tổng điểm đạt danh hiệu",
    "validity_years": "Số năm công nhận có giá trị",
    "years_at_level_1": "Số năm ở mức 1 trước mức 2",
    "recognised_results": "Kết quả được tính là công nhận",
    "count_each_valid_year": "Tính vào mỗi năm còn giá trị",
    "is_illustration": "Số liệu minh hoạ",
    "note": "Ghi chú",
}


def _info_value(field: str, value):
    if value is None:
        return None
    if field == "title":
        return TITLE_WORDS[value]
    if field == "rule":
        return RULE_WORDS[value]
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(value)
    return value


def set_rows(criteria_set) -> list[list]:
    """The rows of the sheet under its header: the set's fields, its ratings, then its tree."""
    rows = [
        [label, "", INFO, _info_value(field, getattr(criteria_set, field)), "", None, None, None]
        for field, label in INFO_LABELS.items()
    ]
    for band in criteria_set.bands.order_by("position", "id"):
        rows.append([band.code, "", RATING, band.label, "", None, band.min_total, None])
    nodes = list(criteria_set.nodes.order_by("position", "id"))
    codes = {node.pk: node.code for node in nodes}
    for node in nodes:
        rows.append(
            [
                node.code,
                codes.get(node.parent_id, ""),
                KIND_WORDS[node.kind],
                node.name,
                SCORING_WORDS[node.scoring],
                node.max_points,
                node.min_points,
                node.level,
            ]
        )
    return rows


def add_sheet(workbook):
    """The sheet with its header row, widths and frozen header; returns (sheet, bold)."""
    sheet = workbook.add_worksheet(SHEET)
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@", "text_wrap": False})
    for index, width in enumerate(WIDTHS):
        # Numbers like 1.10 stay text, so Excel keeps them as written.
        sheet.set_column(index, index, width, text if index < 2 else None)
    sheet.write_row(0, 0, COLUMNS, bold)
    sheet.freeze_panes(1, 0)
    return sheet, bold


def write_rows(sheet, rows, first_row: int = 1) -> None:
    for index, row in enumerate(rows, start=first_row):
        for column, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    sheet.write_string(index, column, value)
            elif isinstance(value, int | Decimal):
                sheet.write_number(index, column, float(value))


def set_to_xlsx(criteria_set) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet, _bold = add_sheet(workbook)
    write_rows(sheet, set_rows(criteria_set))
    workbook.close()
    return buffer.getvalue()

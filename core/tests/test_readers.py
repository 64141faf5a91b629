"""Every kind of bad file gets a clear error before any row is used; good files stream clean rows."""

import csv
import io
import unicodedata
import zipfile

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.readers import Column, _nfc_lines, open_table

COLUMNS = [Column("code", "Mã hộ", required=False), Column("head", "Chủ hộ"), Column("members", "Số nhân khẩu")]


def xlsx(tmp_path, rows, *, build=None, name="file.xlsx"):
    path = tmp_path / name
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Hộ")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    if build:
        build(workbook, sheet)
    workbook.close()
    return path


def rows_of(table):
    return list(table.rows())


def refused(path, name=None, code=None):
    with pytest.raises(ValidationError) as error:
        open_table(path, name or path.name, COLUMNS)
    if code:
        assert error.value.code == code
    return " ".join(error.value.messages)


def test_a_good_workbook_gives_clean_rows(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Hoàng Văn An")
    path = xlsx(
        tmp_path,
        [
            ["Mã hộ", "Chủ hộ", "Số nhân khẩu"],
            ["01837-001-0001", decomposed, 4.0],
            [None, None, None],
            ["", "Đinh Thị Bình", "6"],
        ],
    )
    rows = rows_of(open_table(path, "file.xlsx", COLUMNS))  # rows stream once
    assert rows == [
        (2, {"code": "01837-001-0001", "head": "Hoàng Văn An", "members": 4}),
        (4, {"code": "", "head": "Đinh Thị Bình", "members": "6"}),
    ]
    assert unicodedata.is_normalized("NFC", rows[0][1]["head"])


def test_columns_are_found_by_name_in_any_order_and_without_diacritics(tmp_path):
    path = xlsx(tmp_path, [["so nhan khau", "CHỦ HỘ"], [3, "Lý Văn C"]])
    assert rows_of(open_table(path, "file.xlsx", COLUMNS)) == [(2, {"members": 3, "head": "Lý Văn C"})]


def test_missing_or_renamed_columns_name_what_was_found(tmp_path):
    message = refused(xlsx(tmp_path, [["Mã hộ", "Tên chủ hộ", "Số nhân khẩu"], ["x", "y", 1]]), code="columns")
    assert "“Chủ hộ”" in message and "“Tên chủ hộ”" in message


def test_a_csv_file_streams_with_or_without_a_byte_order_mark(tmp_path):
    for prefix in ("\ufeff", ""):
        path = tmp_path / "file.csv"
        path.write_text(prefix + "Chủ hộ,Số nhân khẩu\nHoàng Văn An,4\n,\n", encoding="utf-8")
        assert rows_of(open_table(path, "file.csv", COLUMNS)) == [(2, {"head": "Hoàng Văn An", "members": "4"})]


def test_a_csv_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "file.csv"
    path.write_bytes("Chủ hộ,Số nhân khẩu\nHoàng,4\n".encode("utf-16"))
    with pytest.raises(ValidationError) as error:
        rows_of(open_table(path, "file.csv", COLUMNS))
    assert error.value.code == "encoding"


def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 not a spreadsheet")
    assert "Hãy tải lên tệp .xlsx hoặc .csv." in refused(path, code="file_type")


def test_a_damaged_workbook_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    refused(path, code="corrupt")


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refused(path, code="not_workbook")


def test_a_password_protected_workbook_is_refused(tmp_path):
    path = tmp_path / "secret.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert "mật khẩu" in refused(path, code="protected")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    refused(path, code="zip_bomb")


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.KHUYENHOC_MAX_UPLOAD_BYTES = 1024
    path = tmp_path / "big.csv"
    path.write_text("Chủ hộ,Số nhân khẩu\n" + "Hoàng Văn An,4\n" * 200, encoding="utf-8")
    assert "giới hạn" in refused(path, code="too_large")


def test_formulas_are_refused_with_their_cells(tmp_path):
    def add_formula(workbook, sheet):
        sheet.write_formula("C3", "=1+2")

    path = xlsx(tmp_path, [["Chủ hộ", "Số nhân khẩu", "Tổng"], ["A", 1]], build=add_formula)
    assert "C3" in refused(path, code="formulas")


def test_merged_cells_are_refused_with_their_range(tmp_path):
    def merge(workbook, sheet):
        sheet.merge_range("A3:B3", "Thôn Nà Pài")

    path = xlsx(tmp_path, [["Chủ hộ", "Số nhân khẩu"], ["A", 1]], build=merge)
    assert "A3:B3" in refused(path, code="merged")


def test_an_empty_file_is_refused(tmp_path):
    refused(xlsx(tmp_path, []), code="empty")


def test_the_header_may_sit_below_blank_rows(tmp_path):
    path = xlsx(tmp_path, [[None], ["Chủ hộ", "Số nhân khẩu"], ["A", 2]])
    table = open_table(path, "file.xlsx", COLUMNS)
    assert table.header_row == 2 and rows_of(table) == [(3, {"head": "A", "members": 2})]


# Cells as officials' files hold them: decomposed marks (old Office, some phones), commas, quotes,
# line breaks inside a cell, a mark at the very start of a line.
CELL = st.text(
    alphabet=st.sampled_from([*'aAoOuđĐ ,"\r\n', "\u0300", "\u0301", "\u0302", "\u0303", "\u031b", "\u0323", "ệ", "ờ"]),
    max_size=12,
)


@given(st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=8), st.integers(1, 40))
def test_a_csv_file_normalised_a_chunk_at_a_time_gives_each_cell_its_own_nfc(records, chunk_size):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(records)
    text = buffer.getvalue()
    read = list(csv.reader(_nfc_lines(io.StringIO(text, newline=""), chunk_size=chunk_size)))
    cells = csv.reader(io.StringIO(text, newline=""))
    expected = [[unicodedata.normalize("NFC", cell) for cell in row] for row in cells]
    assert read == expected


def test_a_decomposed_csv_gives_the_same_rows_as_a_composed_one(tmp_path):
    decomposed = tmp_path / "decomposed.csv"
    composed = tmp_path / "composed.csv"
    text = 'Chủ hộ,Số nhân khẩu\n"  Hoàng   Văn\nAn ",4\nNguyễn Thị Ngọc,2\n'
    decomposed.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    composed.write_text(text, encoding="utf-8")
    rows = rows_of(open_table(decomposed, "file.csv", COLUMNS))
    assert rows == rows_of(open_table(composed, "file.csv", COLUMNS))
    assert rows == [(2, {"head": "Hoàng Văn An", "members": "4"}), (3, {"head": "Nguyễn Thị Ngọc", "members": "2"})]


def test_records_give_the_rows_values_in_the_order_asked_with_missing_columns_empty(tmp_path):
    path = tmp_path / "file.csv"
    path.write_text("Số nhân khẩu,Chủ hộ\n4,Hoàng  Văn An\n5\n", encoding="utf-8")
    keys = ["code", "head", "members"]
    assert list(open_table(path, "file.csv", COLUMNS).records(keys)) == [
        (2, ["", "Hoàng Văn An", "4"]),
        (3, ["", "", "5"]),
    ]
    workbook = xlsx(tmp_path, [["Mã hộ", "Chủ hộ", "Số nhân khẩu"], ["01837-001-0001", "Lý Văn C", 3.0], ["", "D"]])
    assert list(open_table(workbook, "file.xlsx", COLUMNS).records(keys)) == [
        (2, ["01837-001-0001", "Lý Văn C", 3]),
        (3, ["", "D", ""]),
    ]

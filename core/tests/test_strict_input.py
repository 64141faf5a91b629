"""Every input is parsed strictly: one parser of whole numbers and years (ASCII digits, a count written
the Vietnamese way, decimals refused, the column's range), and readers that refuse, before reading, a
sheet that would make them allocate more than the settings allow, formulas wherever they hide,
duplicate headers and cells no record may hold."""

import csv
import io
import time
import zipfile

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from core.parsing import INTEGER_RANGES, parse_whole_number, parse_year
from core.readers import Column, open_table

COLUMNS = [Column("head", "Chủ hộ"), Column("members", "Số nhân khẩu")]


# One parser of whole numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [("155.235", 155235), ("155 235", 155235), ("1.234.567", 1234567), ("155\u00a0235", 155235), (" 42 ", 42)]
    + [(4.0, 4), (7, 7), ("007", 7)],
)
def test_a_count_written_the_vietnamese_way_is_read(written, read):
    assert parse_whole_number(written) == read


@pytest.mark.parametrize("written", ["3,5", "3.5", 3.5, "155.23", "1.2345", ",5", "5,"])
def test_a_decimal_where_a_count_belongs_is_refused(written):
    with pytest.raises(ValidationError) as error:
        parse_whole_number(written)
    assert error.value.code == "decimal"


@pytest.mark.parametrize("written", ["①", "²", "١٢", "٣", "１２", "1e3", "+-1", "", "x", True, float("nan"), None])
def test_anything_but_ascii_digits_is_refused(written):
    with pytest.raises(ValidationError):
        parse_whole_number(written)


@pytest.mark.parametrize("written", [10**30, "1" * 40, 1e30, "9223372036854775808"])
def test_a_huge_number_is_refused_as_out_of_range(written):
    with pytest.raises(ValidationError) as error:
        parse_whole_number(written, max_value=INTEGER_RANGES["PositiveBigIntegerField"][1])
    assert error.value.code == "out_of_range"


@settings(derandomize=True, max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=INTEGER_RANGES["PositiveIntegerField"][1]))
def test_every_count_in_the_columns_range_reads_back_plain_or_grouped(number):
    grouped = f"{number:,}".replace(",", ".")
    high = INTEGER_RANGES["PositiveIntegerField"][1]
    assert parse_whole_number(str(number), max_value=high) == number
    assert parse_whole_number(grouped, max_value=high) == number
    with pytest.raises(ValidationError):
        parse_whole_number(str(high + 1 + number), max_value=high)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(
    st.tuples(
        st.text(alphabet="0123456789. ", max_size=6),
        st.characters(categories=["Nd", "No"]).filter(lambda c: not c.isascii()),
        st.text(alphabet="0123456789. ", max_size=6),
    ).map("".join)
)
def test_text_holding_a_digit_of_another_script_is_never_a_number(text):
    with pytest.raises(ValidationError):
        parse_whole_number(text)


def test_a_year_is_within_the_datas_range_and_never_grouped(settings):
    settings.KHUYENHOC_FIRST_YEAR, settings.KHUYENHOC_LAST_YEAR = 2000, 2062
    assert parse_year("2024") == 2024
    for bad in ("2.024", "1999", "2063", "²", "40000", str(2**63), "2024.5"):
        with pytest.raises(ValidationError, match="2000"):
            parse_year(bad)


# Readers that cannot be made to allocate ---------------------------------------------------------


def _workbook_xml(sheet_data: str, *, dimension: str = "A1:B2", part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A minimal xlsx built by hand: one sheet, its cells given as XML (inline strings)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/{part}" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Hộ" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="{part.removeprefix("xl/")}"/></Relationships>',
        )
        archive.writestr(
            part,
            f'<?xml version="1.0"?><worksheet xmlns="{main}"><dimension ref="{dimension}"/>'
            f"<sheetData>{sheet_data}</sheetData></worksheet>",
        )
    return buffer.getvalue()


HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Chủ hộ</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Số nhân khẩu</t></is></c></row>'
)


def _refused(tmp_path, content: bytes, name="file.xlsx") -> ValidationError:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError) as error:
        open_table(path, name, COLUMNS)
    return error.value


@pytest.mark.parametrize("dimension", ["A1:B2", "A1:XFD1048576"])
def test_one_far_cell_is_refused_quickly_naming_the_sheet_and_the_cell(tmp_path, dimension):
    """The probe's file: a few kilobytes, a header and one cell at XFD1048576, which would make the
    reader allocate the rectangle between them (hundreds of gigabytes); the declared range may lie."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    content = _workbook_xml(HEADER_ROW + far, dimension=dimension)
    assert len(content) < 6000
    started = time.monotonic()
    error = _refused(tmp_path, content)
    assert time.monotonic() - started < 2
    assert error.code == "too_many_cells"
    assert "Hộ" in error.messages[0] and "XFD1048576" in error.messages[0]


def test_a_declared_range_beyond_the_limits_is_refused_even_when_the_cells_are_few(tmp_path):
    error = _refused(tmp_path, _workbook_xml(HEADER_ROW, dimension="A1:ZZ900000"))
    assert error.code == "too_many_cells"


def test_the_limits_are_settings(tmp_path, settings):
    settings.KHUYENHOC_MAX_SHEET_COLUMNS = 1
    assert _refused(tmp_path, _workbook_xml(HEADER_ROW)).code == "too_many_cells"


@pytest.mark.parametrize(
    ("cells", "part"),
    [
        # attributes in another order than Excel writes them
        ('<row r="2"><c t="n" r="B2"><f>1+1</f><v>2</v></c></row>', "xl/worksheets/sheet1.xml"),
        # a namespace prefix on the formula
        (
            '<row r="2"><c r="B2"><x:f xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">1+1'
            "</x:f><v>2</v></c></row>",
            "xl/worksheets/sheet1.xml",
        ),
        # a cell without r, and the sheet's part under another name
        ('<row r="2"><c t="inlineStr"><is><t>An</t></is></c><c><f>1+1</f><v>2</v></c></row>', "xl/worksheets/data.xml"),
        # whitespace where a space is expected
        ('<row r="2"><c\nr="B2"\n><f\n>1+1</f><v>2</v></c></row>', "xl/sheets/any.xml"),
    ],
)
def test_formulas_are_found_in_any_layout_of_the_archive(tmp_path, cells, part):
    error = _refused(tmp_path, _workbook_xml(HEADER_ROW + cells, part=part))
    assert error.code == "formulas"
    assert "B2" in error.messages[0]


def test_formulas_on_a_sheet_that_is_not_the_first_are_refused(tmp_path):
    path = tmp_path / "file.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Hộ").write_row(0, 0, ["Chủ hộ", "Số nhân khẩu"])
    book.add_worksheet("Tổng").write_formula("C3", "=1+1")
    book.close()
    error = _refused(tmp_path, path.read_bytes())
    assert error.code == "formulas" and "Tổng" in error.messages[0] and "C3" in error.messages[0]


def test_a_column_whose_header_appears_twice_is_refused_naming_it(tmp_path):
    out = io.StringIO()
    csv.writer(out).writerows([["Chủ hộ", "Số nhân khẩu", "chu ho"], ["An", "4", "Bình"]])
    error = _refused(tmp_path, out.getvalue().encode(), name="file.csv")
    assert error.code == "duplicate_column"
    assert "Chủ hộ" in error.messages[0] and "A, C" in error.messages[0]


def _csv_table(tmp_path, rows):
    out = io.StringIO()
    csv.writer(out).writerows([["Chủ hộ", "Số nhân khẩu"], *rows])
    path = tmp_path / "file.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return open_table(path, "file.csv", COLUMNS)


@pytest.mark.parametrize("text", ["An\x00", "\x1bAn", "A\x07n"])
def test_a_control_character_in_a_cell_is_an_error_of_its_row_and_column(tmp_path, text):
    table = _csv_table(tmp_path, [["Bình", "4"], [text, "3"], ["Cường", "2"]])
    problems = []
    table.report = lambda row, key, message: problems.append((row, key))
    assert [number for number, _values in table.rows()] == [2, 4]
    assert problems == [(3, "head")]


def test_without_a_place_to_report_a_bad_cell_stops_the_reading_naming_row_and_column(tmp_path):
    table = _csv_table(tmp_path, [["An\x00", "3"]])
    with pytest.raises(ValidationError, match="dòng 2, cột “Chủ hộ”"):
        list(table.rows())


def test_tabs_and_line_breaks_in_a_cell_are_text(tmp_path):
    table = _csv_table(tmp_path, [["Hoàng\tVăn\nAn", "3"]])
    assert [values["head"] for _number, values in table.rows()] == ["Hoàng Văn An"]


def test_a_cell_longer_than_the_limit_is_an_error_of_its_row_and_beyond_the_csv_modules_limit_of_the_file(
    tmp_path, settings
):
    settings.KHUYENHOC_MAX_CELL_CHARS = 1000
    table = _csv_table(tmp_path, [["x" * 1001, "3"], ["An", "2"]])
    problems = []
    table.report = lambda row, key, message: problems.append((row, key, message))
    assert [number for number, _values in table.rows()] == [3]
    assert problems[0][:2] == (2, "head") and "1.000" in problems[0][2]
    table = _csv_table(tmp_path, [["An", "2"], ["x" * 200_000, "3"]])
    table.report = lambda row, key, message: None
    with pytest.raises(ValidationError, match="dòng 3"):
        list(table.rows())

"""No text leaves in a CSV as a formula, and no number stops being a number (OWASP's CSV injection rule);
xlsx cells written from text stay text."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.csv_safety import FORMULA_STARTS, inert_cell
from core.spreadsheets import Layout, csv_lines, write_xlsx

# What an attacker or a careless user types as a household's head or a village's name.
HOSTILE = [
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "-",
]


def csv_cells(layout, rows):
    text = "".join(csv_lines(layout, rows))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


LAYOUT = Layout("Hộ", ["Mã", "Tên", "Số"], [10, 20, 8], 1, "ho", lambda: None)


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_evaluate_gets_a_leading_quote(text):
    assert inert_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Hoàng Văn An", "Thôn Nà Pài", "01837-001", "a=b", "Tổ dân phố 1", "'=1", ""])
def test_ordinary_text_is_left_as_it_is(text):
    assert inert_cell(text) == text


@pytest.mark.parametrize("number", [0, 7, -5, 155235, -2.5, 3.25, Decimal("-12.50")])
def test_numbers_stay_numbers_negative_ones_too(number):
    assert inert_cell(number) is number


@pytest.mark.parametrize("text", ["-5", "+3", "-2.5", "-155,235"])
def test_a_plain_number_written_as_text_is_no_formula(text):
    assert inert_cell(text) == text


def test_an_unknown_value_is_an_empty_cell():
    assert inert_cell(None) == ""


@given(st.text(max_size=30))
def test_any_text_comes_out_inert_and_unchanged_behind_the_quote(text):
    cell = inert_cell(text)
    assert cell in (text, "'" + text)
    if cell == text:
        assert not text.startswith(FORMULA_STARTS) or text.lstrip("+-").replace(",", "").replace(".", "").isdigit()


def test_the_registry_csv_writer_quotes_formulas_and_keeps_numbers():
    rows = [[f"01837-001-{n:04d}", name, n - 4] for n, name in enumerate(HOSTILE)]
    cells = csv_cells(LAYOUT, rows)
    assert cells[0] == ["Mã", "Tên", "Số"]
    assert [row[1] for row in cells[1:]] == ["'" + name for name in HOSTILE]
    # The number column: "-4", "-3"… are numbers, so a spreadsheet still adds them up.
    assert [row[2] for row in cells[1:]] == [str(n - 4) for n in range(len(HOSTILE))]


def test_the_xlsx_writer_writes_text_as_text_never_as_a_formula():
    rows = [["01837-001-0001", name, -3] for name in HOSTILE]
    with write_xlsx(LAYOUT, rows) as output:
        content = output.read()
    # openpyxl tells a formula from a string; it leaves the carriage return escaped as Excel stores it.
    written = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2))
    assert [row[1].value.replace("_x000D_", "\r") for row in written] == HOSTILE
    assert {row[1].data_type for row in written} == {"s"}
    assert {(row[2].data_type, row[2].value) for row in written} == {("n", -3)}

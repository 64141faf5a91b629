"""What a CSV cell may hold when a spreadsheet program opens the file: text that a spreadsheet would
read as a formula (=HYPERLINK(…), +cmd|' /C calc'!A0, @SUM(…), -2+3) is made inert by a leading
single quote, the OWASP rule against CSV injection; numbers stay numbers.

Every CSV the system writes passes its cells through `inert_cell` (the registries' and the statistics'
downloads through `core.spreadsheets.csv_lines`, the API's CSV answers through their renderer). A
household's head or a village named by an officer, an imported file or an API client reaches
other users' spreadsheets this way, so the rule is applied to every text cell, headers included."""

import re
from decimal import Decimal

# Excel, LibreOffice and Google Sheets start a formula (or a DDE call) with these; tab and carriage
# return let a cell begin with one of them after a separator some programs skip. The full-width forms
# are what an East Asian input method types and some spreadsheets take as the same signs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A text that is only a plain number (a count written as text, "-5") is no formula: it stays as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def inert_cell(value):
    """The value as a CSV writer should write it: None empty, numbers unchanged (a negative number is
    a number), any other text that a spreadsheet would evaluate prefixed with a single quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def inert_row(values) -> list:
    """A row of cells, each through `inert_cell`."""
    return [inert_cell(value) for value in values]

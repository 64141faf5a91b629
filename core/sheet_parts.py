"""What the worksheets of an xlsx archive hold, read from their XML before any spreadsheet library is
asked for them: each sheet's declared dimension, its real extent (its last row and column) and its
formula cells.

Every worksheet part of the archive is read, whatever its name and place in the archive, found through
the content types, the workbook's relationships and the usual folder. A sheet in the layout every spreadsheet
program writes (`<c r="B7" …>` first thing in each cell, no prefixes) is read a megabyte at a time with
compiled patterns, a few seconds for a national file of a million rows; the read counts the cell tags
and the references it could read, and anything else (cells without `r`, attributes in another order,
namespace prefixes, any `<f>`) sends the sheet to a parse element by element with expat, which reads
attributes in any order and names in any namespace, and names the formula cells it finds.
"""

import posixpath
import re
import xml.parsers.expat
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

CHUNK = 1 << 20
# The layout every spreadsheet program writes: `<c r="B7" …>`, no namespace prefix. What is read fast.
_CELL_TAGS = b"<c "
_CELL_WITH_REFERENCE = b'<c r="'
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
# Anything else that may be a cell, a formula or a row (a prefix, other whitespace, a cell without `r`,
# any `<f>`) sends the sheet to the parse; text that merely looks like it costs a slower read, no more.
_OTHER_LAYOUT = re.compile(rb"<[\w.-]+:(?:c|f|row)[\s/>]|<c[\t\r\n/>]|<f[\s/>]")
_DIMENSION = re.compile(rb"<dimension\s+ref\s*=\s*[\"']([^\"']*)[\"']")
_REF = re.compile(r"\$?([A-Za-z]{1,4})\$?([0-9]{1,12})")

WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKSHEET_REL = "/worksheet"


@dataclass
class SheetExtent:
    part: str
    name: str
    declared: tuple[int, int] | None = None  # (rows, columns) up to the declared range's last cell
    rows: int = 0  # the last row holding a cell or a row element
    columns: int = 0  # the last column holding a cell
    formulas: list[str] = field(default_factory=list)  # a few formula cells, as Excel names them
    broken: bool = False  # the XML could not be parsed


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _declared(ref: str) -> tuple[int, int] | None:
    cells = _REF.findall(ref)
    if not cells:
        return None
    return max(int(row) for _c, row in cells), max(column_number(c) for c, _r in cells)


def _local(name: str) -> str:
    return name.rpartition("}")[2].rpartition(":")[2]


def worksheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Every worksheet part of the archive → the sheet's name (its part name when the workbook does not
    name it)."""
    names = set(archive.namelist())
    parts = {name for name in names if name.startswith("xl/worksheets/") and name.endswith(".xml")}
    try:
        types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
        for override in types.iter():
            if _local(override.tag) == "Override" and override.get("ContentType") == WORKSHEET_TYPE:
                parts.add(override.get("PartName", "").lstrip("/"))
    except (KeyError, ElementTree.ParseError):
        pass
    targets = {}
    try:
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        for relation in relations.iter():
            if _local(relation.tag) == "Relationship" and relation.get("Type", "").endswith(WORKSHEET_REL):
                target = relation.get("Target", "")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                targets[relation.get("Id")] = part
                parts.add(part)
    except (KeyError, ElementTree.ParseError):
        pass
    titles = {}
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        for sheet in workbook.iter():
            if _local(sheet.tag) == "sheet":
                relation = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
                if relation in targets:
                    titles[targets[relation]] = sheet.get("name", "")
    except (KeyError, ElementTree.ParseError):
        pass
    return {part: titles.get(part) or part for part in sorted(parts) if part in names}


def scan_sheet(archive: zipfile.ZipFile, part: str, name: str, *, formula_limit: int = 5) -> SheetExtent:
    """The sheet's extent and formulas: read fast when it has the usual layout, parsed otherwise."""
    extent = SheetExtent(part, name)
    columns: set[bytes] = set()
    with archive.open(part) as xml_file:
        tail = b""
        first = True
        while chunk := xml_file.read(CHUNK):
            data = tail + chunk
            cut = data.rfind(b">") + 1
            data, tail = data[:cut], data[cut:]
            if first:
                dimension = _DIMENSION.search(data)
                extent.declared = _declared(dimension.group(1).decode("ascii", "replace")) if dimension else None
                first = False
            found = _CELL_COLUMN.findall(data)
            if (
                len(found) != data.count(_CELL_TAGS)
                or len(found) != data.count(_CELL_WITH_REFERENCE)
                or _OTHER_LAYOUT.search(data)
            ):
                return _parse_sheet(archive, part, name, extent.declared, formula_limit)
            columns.update(found)
            extent.rows = max(extent.rows, max(map(int, set(_CELL_ROW.findall(data))), default=0))
        if tail.strip():
            return _parse_sheet(archive, part, name, extent.declared, formula_limit)
    extent.columns = max((column_number(c.decode()) for c in columns), default=0)
    return extent


class _Parse:
    """Expat handlers that follow the rows and cells as the spreadsheet reads them: a cell or row
    without `r` is the one after the previous."""

    def __init__(self, extent: SheetExtent, formula_limit: int):
        self.extent, self.formula_limit = extent, formula_limit
        self.row = self.column = 0
        self.cell = None

    def start(self, tag, attributes):
        local = _local(tag)
        if local == "row":
            reference = attributes.get("r", "")
            self.row = int(reference) if reference.isascii() and reference.isdigit() else self.row + 1
            self.column = 0
            self.extent.rows = max(self.extent.rows, self.row)
        elif local == "c":
            match = _REF.fullmatch(attributes.get("r", ""))
            if match:
                self.column = column_number(match.group(1))
                row = int(match.group(2))
            else:
                self.column += 1
                row = self.row
            self.cell = f"{column_letters(self.column)}{row}"
            self.extent.rows = max(self.extent.rows, row)
            self.extent.columns = max(self.extent.columns, self.column)
        elif local == "f" and self.cell and len(self.extent.formulas) < self.formula_limit:
            if self.cell not in self.extent.formulas:
                self.extent.formulas.append(self.cell)
        elif local == "dimension" and self.extent.declared is None:
            self.extent.declared = _declared(attributes.get("ref", ""))


def _parse_sheet(archive, part, name, declared, formula_limit) -> SheetExtent:
    extent = SheetExtent(part, name, declared)
    handlers = _Parse(extent, formula_limit)
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = handlers.start
    with archive.open(part) as xml_file:
        try:
            parser.ParseFile(xml_file)
        except xml.parsers.expat.ExpatError:
            extent.broken = True
    return extent

"""No file stops an import, and none is half saved: hand-made files of every hostile or careless kind
(far cells, zip bombs, renamed and truncated files, formulas, NUL bytes, duplicate headers, over-long
cells, huge numbers, Unicode digits, wrong types…) through every import kind, and generated rows of bad
cells in CSV and in xlsx, each uploaded as an officer would. For every file:

- the upload answers (no 500) and its job ends checked: refused (“has errors”) or ready — never failed,
  never left running;
- a refused job says where: each error has its row and column, or the message names the whole file or
  its sheet;
- nothing is written, even when asked to save a refused job; a file that passes the check saves whole.
"""

import csv
import io
import zipfile

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEntry
from imports.models import ImportJob, JobStatus
from registry.exports_network import AREA_YEAR_COLUMNS
from registry.models import AreaYear, AssociationYear, Clan, Household, Organisation

from .test_strict_input_import import far_cell_workbook

pytestmark = pytest.mark.django_db

HOUSEHOLDS = ["Mã hộ", "Mã thôn", "Tên thôn", "Chủ hộ", "Số nhân khẩu", "Còn sinh sống"]
HEADERS = {
    "households": HOUSEHOLDS,
    "clans": ["Mã dòng họ", "Mã xã", "Tên xã", "Tên dòng họ", "Trưởng họ", "Số hộ thành viên", "Có ban khuyến học"],
    "units": ["Mã đơn vị", "Mã địa bàn", "Tên địa bàn", "Tên đơn vị", "Loại", "Cấp quản lý"],
    "area_years": [header for _key, header in AREA_YEAR_COLUMNS],
}
GOOD_ROWS = {
    "households": ["", "01837-001", "", "Hoàng Văn An", 4, "Có"],
    "clans": ["", "01843", "", "Họ Hoàng", "Hoàng Văn Tộc", 42, "Có"],
    "units": ["", "01843", "", "Trường Tiểu học Sông Cầu", "Trường học", "Xã"],
    "area_years": ["01843", "Phường Bắc Kạn", 2025, 8000, "", "", "", ""],
}
# The other kinds meet the same files under the households' header: refused whole, never a crash.
KINDS = [*HEADERS, "association_years", "aggregates", "villages", "citizens", "network_units"]
# A whole-file problem names the file (“Tệp…”) or its sheet (“Trang tính…”); a cell's, its row and column.
WHOLE_FILE_WORDS = ("tệp", "trang", "tập tin")


def csv_bytes(rows, header, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header, *, sheet="Dữ liệu", extra_sheet=None) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    for name, content in [(sheet, [header, *rows]), *([extra_sheet] if extra_sheet else [])]:
        worksheet = book.add_worksheet(name)
        for r, row in enumerate(content):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.startswith("="):
                    worksheet.write_formula(r, c, value)
                elif isinstance(value, str):
                    worksheet.write_string(r, c, value)
                else:
                    worksheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A workbook whose one sheet inflates a thousand times (20 MB of blanks in a few kilobytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 20_000_000)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "không phải bảng tính")
    return buffer.getvalue()


def formula_in_raw_xml(header) -> bytes:
    """A formula written by hand, its attributes in another order and with a namespace prefix."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    cells = "".join(
        f'<x:c t="inlineStr" r="{chr(65 + i)}1"><x:is><x:t>{name}</x:t></x:is></x:c>' for i, name in enumerate(header)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="Hộ" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/data.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/data.xml",
            f'<x:worksheet xmlns:x="{main}"><x:sheetData><x:row r="1">{cells}</x:row>'
            '<x:row r="2"><x:c t="str" r="D2"><x:f>HYPERLINK("http://x","y")</x:f><x:v>y</x:v></x:c></x:row>'
            "</x:sheetData></x:worksheet>",
        )
    return buffer.getvalue()


def whole_file_cases(kind):
    """(name, file name, content) of files wrong as a whole, for `kind`."""
    header = HEADERS.get(kind, HOUSEHOLDS)
    good = GOOD_ROWS.get(kind, GOOD_ROWS["households"])
    workbook = xlsx_bytes([good], header)
    return [
        ("far cell", "tep.xlsx", far_cell_workbook()),
        ("zip bomb", "tep.xlsx", zip_bomb()),
        ("picture renamed", "tep.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("pdf renamed", "tep.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("csv renamed xlsx", "tep.xlsx", csv_bytes([good], header)),
        ("xlsx renamed csv", "tep.csv", workbook),
        ("old xls or encrypted", "tep.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
        ("zip not workbook", "tep.xlsx", plain_zip()),
        ("truncated xlsx", "tep.xlsx", workbook[: len(workbook) // 2]),
        ("truncated csv", "tep.csv", csv_bytes([good], header)[:7]),
        ("empty", "tep.csv", b""),
        ("only a BOM", "tep.csv", b"\xef\xbb\xbf"),
        ("header only", "tep.csv", csv_bytes([], header)),
        ("utf-16", "tep.csv", csv_bytes([good], header, encoding="utf-16")),
        ("latin-1", "tep.csv", "Mã hô,Chu hô\n,Bình\n".encode("latin-1")),
        ("random bytes", "tep.csv", bytes(range(256)) * 4),
        ("duplicate header", "tep.csv", csv_bytes([[*good, "x"]], [*header, header[-1]])),
        ("NUL in header", "tep.csv", csv_bytes([good], [header[0] + "\x00", *header[1:]])),
        ("header of another kind", "tep.csv", csv_bytes([["a", "b"]], ["Tên", "Tuổi"])),
        ("cell past the csv limit", "tep.csv", csv_bytes([[*good[:3], "A" * 140_000, *good[4:]]], header)),
        ("formula on a second sheet", "tep.xlsx", xlsx_bytes([good], header, extra_sheet=("Ghi chú", [["=1+1"]]))),
        ("formula, attributes reordered", "tep.xlsx", formula_in_raw_xml(header)),
    ]


CASES = [(kind, *case) for kind in KINDS for case in whole_file_cases(kind)]


def counts():
    return [model.objects.count() for model in (Household, Clan, Organisation, AreaYear, AssociationYear, AuditEntry)]


def says_where(job) -> bool:
    if job.errors:
        return all(error.get("row") and error.get("column") for error in job.errors)
    return any(word in job.message.lower() for word in WHOLE_FILE_WORDS)


def send(client_for, personas, admin_user, kind, content, name, persona):
    """Upload as the persona; the job once checked, or None when the upload form itself refused the file
    (an empty file: the form says so, no job is made)."""
    client = client_for(admin_user if persona == "admin" else personas[persona])
    jobs = ImportJob.objects.count()
    response = client.post(reverse("imports:new", args=[kind]), {"file": SimpleUploadedFile(name, content)})
    if response.status_code == 200:
        assert response.context["form"].errors["file"] and ImportJob.objects.count() == jobs
        return client, None
    assert response.status_code == 302, response.status_code
    return client, ImportJob.objects.latest("pk")


@pytest.fixture
def check(client_for, personas, admin_user, commit, django_capture_on_commit_callbacks):
    """Upload a file, then ask to save it: returns the job (None if the form refused the file). A
    refused job says where and writes nothing even when asked to save; a checked one saves whole."""

    def run(kind, content, name, persona="commune_officer"):
        before = counts()
        with django_capture_on_commit_callbacks(execute=True):
            client, job = send(client_for, personas, admin_user, kind, content, name, persona)
        if job is None:
            assert counts() == before
            return None
        job.refresh_from_db()
        assert job.status in (JobStatus.INVALID, JobStatus.PREVIEWED), (job.status, job.message)
        if job.status == JobStatus.INVALID:
            assert says_where(job), (job.message, job.errors)
            commit(client, job)
            assert counts() == before
        else:
            assert commit(client, job).status == JobStatus.COMMITTED, job.message
        return job

    return run


# Files a reader may take as they really are: the type is read from the first bytes, not from the name,
# and an unknown column (a header with a NUL is not a known header) is left aside.
READ_AS_THEY_ARE = {"xlsx renamed csv", "NUL in header"}


@pytest.mark.parametrize(("kind", "case", "name", "content"), CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_a_file_wrong_as_a_whole_is_refused_saying_so_and_nothing_is_written(check, kind, case, name, content):
    job = check(kind, content, name, persona="admin" if kind == "aggregates" else "commune_officer")
    if case not in READ_AS_THEY_ARE:
        assert job is None or job.status == JobStatus.INVALID, case


# Bad cells, by class: each is an error of its own row and column, whichever column it lands in.
BAD_CELLS = {
    "huge number": [str(10**30), str(2**63), 2.0**70, "9" * 40],
    "unicode digits": ["①", "²", "٣", "١٢", "５", "𝟕"],
    "decimal or sign": ["3,5", "3.5", 3.5, "-4", "1e3", "+5"],
    "formula": ['=HYPERLINK("http://x","y")', "=1+1"],
    "over-long": ["Đ" * 10_001],
    "control characters": ["An\x00", "Bình\x1b", "\x07"],
    "wrong type": ["không biết", "2025-11-28", "Có", "true"],
}
HOUSEHOLD_COLUMNS = {"village": 1, "head": 3, "members": 4, "active": 5}
ALL_BAD = [value for values in BAD_CELLS.values() for value in values]


@pytest.mark.parametrize("bad_class", list(BAD_CELLS))
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_each_class_of_bad_cell_is_an_error_of_its_row_and_column(check, bad_class, file_format):
    good = GOOD_ROWS["households"]
    rows = [good]
    for value in BAD_CELLS[bad_class]:
        rows.append([*good[:4], value, good[5]])  # in the count
        rows.append([*good[:3], value if isinstance(value, str) else str(value), *good[4:]])  # in the name
    content = csv_bytes(rows, HOUSEHOLDS) if file_format == "csv" else xlsx_bytes(rows, HOUSEHOLDS)
    job = check("households", content, f"ho.{file_format}")
    assert job.status == JobStatus.INVALID
    if file_format == "xlsx" and bad_class == "formula":  # a workbook with formulas is refused whole, naming the cell
        assert "E3" in job.message
        return
    assert {error["row"] for error in job.errors} >= {2 * i + 3 for i in range(len(BAD_CELLS[bad_class]))}


cell = st.one_of(
    st.sampled_from(ALL_BAD),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Cc", "Zs"]), min_size=1, max_size=6),
)


@settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cells=st.lists(st.tuples(st.sampled_from(list(HOUSEHOLD_COLUMNS.values())), cell), min_size=1, max_size=4),
    file_format=st.sampled_from(["csv", "xlsx"]),
)
def test_generated_rows_of_bad_cells_never_fail_a_job_nor_half_save(check, cells, file_format):
    row = list(GOOD_ROWS["households"])
    for column, value in cells:
        row[column] = value
    if file_format == "csv":
        content = csv_bytes([GOOD_ROWS["households"], [("" if v is None else v) for v in row]], HOUSEHOLDS)
    else:
        safe = [v if not isinstance(v, float) or v == v and abs(v) != float("inf") else str(v) for v in row]
        content = xlsx_bytes([GOOD_ROWS["households"], safe], HOUSEHOLDS)
    check("households", content, f"ho.{file_format}")


@settings(
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(figure=cell, column=st.integers(min_value=2, max_value=7))
def test_generated_bad_figures_of_an_area_never_fail_a_job_nor_half_save(check, figure, column):
    row = list(GOOD_ROWS["area_years"])
    row[column] = figure if not isinstance(figure, float) or figure == figure else "nan"
    check("area_years", csv_bytes([row], HEADERS["area_years"]), "so-lieu.csv")

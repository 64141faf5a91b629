"""Bad values through the whole import pipeline end as errors that say where (sheet, row and column, or
the whole file), never as a failed job, a partial write or a value that passes the check and fails
the save; the same values as query parameters of pages and the API answer 400 or the page with a
message, never 500."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.models import JobStatus
from registry.exports_network import AREA_YEAR_COLUMNS
from registry.models import AreaYear, Household

pytestmark = pytest.mark.django_db

HEADER = ["Mã hộ", "Mã thôn", "Tên thôn", "Chủ hộ", "Số nhân khẩu", "Còn sinh sống"]
GOOD = ["", "01837-001", "", "Hoàng Văn An", 4, "Có"]


def csv_file(rows, header=HEADER):
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def far_cell_workbook() -> bytes:
    """A few kilobytes: the households' header and one cell at XFD1048576."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    header = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>' for i, name in enumerate(HEADER))
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
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{main}"><dimension ref="A1:F1"/><sheetData><row r="1">{header}</row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>',
        )
    return buffer.getvalue()


def test_the_far_cell_file_ends_its_job_with_a_clear_message_and_the_next_import_runs(upload):
    _client, job = upload("households", far_cell_workbook(), name="ho.xlsx")
    assert job.status == JobStatus.INVALID
    assert "Hộ" in job.message and "XFD1048576" in job.message
    _client, job = upload("households", csv_file([GOOD]), name="ho.csv")
    assert job.status == JobStatus.PREVIEWED


BAD_MEMBERS = ["①", "²", "١٢", "3,5", "3.5", str(10**30), "1e3", "-4", "100"]


def test_bad_counts_are_errors_of_their_row_and_column_and_nothing_is_written(upload, commit):
    rows = [GOOD, *(["", "01837-001", "", f"Hộ {i}", value, "Có"] for i, value in enumerate(BAD_MEMBERS))]
    client, job = upload("households", csv_file(rows), name="ho.csv")
    assert job.status == JobStatus.INVALID
    assert sorted((e["row"], e["column"]) for e in job.errors) == [(i + 3, "Số nhân khẩu") for i in range(9)]
    assert all(e["sheet"] == "CSV" for e in job.errors)
    commit(client, job)
    assert Household.objects.count() == 0


def test_a_nul_byte_or_a_control_character_in_a_name_is_refused_and_never_stored(upload):
    rows = [GOOD, ["", "01837-001", "", "Đinh\x00 Bình", 3, "Có"], ["", "01837-001", "", "Lý\x1b Cường", 3, "Có"]]
    _client, job = upload("households", csv_file(rows), name="ho.csv")
    assert job.status == JobStatus.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Chủ hộ"), (4, "Chủ hộ")]
    assert Household.objects.count() == 0


def test_a_duplicate_header_says_which_and_the_whole_file_is_refused(upload):
    _client, job = upload("households", csv_file([[*GOOD, "An"]], header=[*HEADER, "Chủ hộ"]), name="ho.csv")
    assert job.status == JobStatus.INVALID
    assert "Chủ hộ" in job.message and "D, G" in job.message


def test_a_figure_beyond_its_column_is_refused_at_the_check_so_what_passes_always_saves(upload, commit, reform_year):
    header = [header for _key, header in AREA_YEAR_COLUMNS]
    population = dict(AREA_YEAR_COLUMNS)["population"]
    big_int = str(2**31)  # beyond a PositiveIntegerField, within a PositiveBigIntegerField
    rows = [
        ["01843", "Phường Bắc Kạn", reform_year, big_int, "", "", "", ""],
        ["01843", "Phường Bắc Kạn", reform_year, "12.500", "", "9.000.000.000", "", ""],
    ]
    client, job = upload("area_years", csv_file(rows, header=header), name="so-lieu.csv")
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, population)]
    client, job = upload("area_years", csv_file(rows[1:], header=header), name="so-lieu.csv")
    assert job.status == JobStatus.PREVIEWED
    assert commit(client, job).status == JobStatus.COMMITTED
    assert AreaYear.objects.get().population == 12500
    assert AreaYear.objects.get().fund_vnd == 9_000_000_000


bad_values = st.one_of(
    st.characters(categories=["Nd", "No"]).filter(lambda c: not c.isascii()),
    st.integers(min_value=100).map(str),
    st.integers(max_value=0).map(str),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda f: not f.is_integer()).map(str),
    st.text(alphabet="0123456789,.", min_size=2, max_size=8).filter(lambda t: "," in t),
    st.text(alphabet="\x00\x01\x07\x1b\x1fabc", min_size=1, max_size=5).filter(lambda t: t.strip("abc")),
    st.sampled_from(["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "", " "]),
)


@settings(
    derandomize=True,
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(members=bad_values, head=st.sampled_from(["An", "Bình\x00", "x" * 10_001]))
def test_generated_bad_values_end_as_errors_with_their_place_and_write_nothing(upload, members, head):
    rows = [GOOD, ["", "01837-001", "", head, members, "Có"]]
    _client, job = upload("households", csv_file(rows), name="ho.csv")
    assert job.status == JobStatus.INVALID
    assert job.errors and all(e["row"] == 3 and e["column"] in {"Số nhân khẩu", "Chủ hộ"} for e in job.errors)
    assert Household.objects.count() == 0


STRANGE = ["²", "①", "١٢", str(2**63), str(10**30), "2.024", "-1", "1e3", "\x00", "x" * 300]
PAGES = [
    ("registry:network", {"args": ["2025", "01843"]}),
    ("stats:overview", {}),
    ("stats:entered", {}),
    ("evaluations:list", {}),
    ("evaluations:decisions", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_strange_years_on_pages_answer_the_page_or_400_never_500(client_for, personas, name, kwargs):
    client = client_for(personas["province_officer"])
    for value in STRANGE:
        response = client.get(reverse(name, **kwargs), {"year": value})
        assert response.status_code in (200, 400), (name, value, response.status_code)


API = [
    "/api/v1/evaluations/",
    "/api/v1/statistics/figures/",
    "/api/v1/units/",
    "/api/v1/association-years/",
    "/api/v1/area-years/",
]


@pytest.mark.parametrize("path", API)
def test_strange_numbers_in_the_api_answer_400_naming_the_parameter(client_for, personas, path):
    client = client_for(personas["province_officer"])
    for param in ("year", "association", "level"):
        for value in STRANGE:
            response = client.get(path, {param: value, "area": "2025:19"})
            assert response.status_code in (200, 400), (path, param, value, response.status_code)
            if response.status_code == 400 and param == "year":
                assert "year" in response.json()


def test_an_upload_over_the_limit_is_refused_while_it_arrives_and_no_job_is_made(client_for, personas, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.template.defaultfilters import filesizeformat

    from core.uploads import LimitedUploadHandler
    from imports.models import ImportJob

    settings.KHUYENHOC_MAX_UPLOAD_BYTES = 1000
    client = client_for(personas["commune_officer"])
    content = csv_file([GOOD] * 200)
    response = client.post(reverse("imports:new", args=["households"]), {"file": SimpleUploadedFile("ho.csv", content)})
    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert filesizeformat(len(content)) in message and filesizeformat(1000) in message
    assert not ImportJob.objects.exists()
    handler = LimitedUploadHandler()
    handler.new_file("file", "ho.csv", "text/csv", None)
    kept = [handler.receive_data_chunk(b"x" * 600, start) for start in (0, 600, 1200)]
    assert [chunk is not None for chunk in kept] == [True, False, False]
    assert handler.file_complete(1800).size == 1800

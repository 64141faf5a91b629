"""A village named like a formula leaves the statistics as inert text — the page's CSV and xlsx files and
the API's CSV answer — while the figures stay numbers (issue 16: safe output)."""

import csv
import io

import openpyxl
import pytest

from areas import services as area_services
from conftest import unit
from stats import services

pytestmark = pytest.mark.django_db

PAGE = "/statistics/"
API = "/api/v1/statistics/figures/"
VILLAGE = '=HYPERLINK("http://x","Thôn")'


@pytest.fixture
def village(personas, admin_user, reform_year):
    """A village of Phường Bắc Kạn with a formula for a name and 7 households entered as recognised."""
    village = area_services.village_create(
        actor=admin_user, commune=unit("2025", "01843"), name=VILLAGE, kind="village", from_year=reform_year
    )
    services.aggregate_save(
        actor=personas["commune_officer"],
        village=village,
        year=reform_year,
        title="household",
        measure="recognised",
        value=7,
    )
    return village


def test_the_statistics_csv_quotes_the_name_and_keeps_the_figure(client_for, personas, village, reform_year):
    response = client_for(personas["commune_officer"]).get(
        PAGE, {"area": "2025:01843", "year": reform_year, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"), newline="")))
    mine = [row for row in rows if row[0] == village.code]
    assert {row[1] for row in mine} == {"'" + VILLAGE}
    assert [row[6] for row in mine if row[4] == "Gia đình học tập" and row[5] == "Được công nhận"] == ["7"]


def test_the_statistics_xlsx_holds_the_name_as_text(client_for, personas, village, reform_year):
    response = client_for(personas["commune_officer"]).get(
        PAGE, {"area": "2025:01843", "year": reform_year, "format": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    mine = [row for row in sheet.iter_rows(min_row=2) if row[0].value == village.code]
    assert {(row[1].value, row[1].data_type) for row in mine} == {(VILLAGE, "s")}
    recognised = [row[6] for row in mine if row[4].value == "Gia đình học tập" and row[5].value == "Được công nhận"]
    assert [(cell.value, cell.data_type) for cell in recognised] == [(7, "n")]


def test_the_api_csv_answer_quotes_the_name_and_keeps_the_figure(client_for, personas, village, reform_year):
    response = client_for(personas["commune_officer"]).get(
        API, {"area": "2025:01843", "year": reform_year, "children": "true", "title": "household", "format": "csv"}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    mine = [row for row in rows if row["area_code"] == village.code]
    assert {row["area_name"] for row in mine} == {"'" + VILLAGE}
    assert [row["value"] for row in mine if row["measure"] == "recognised"] == ["7"]

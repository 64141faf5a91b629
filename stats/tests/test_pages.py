"""The statistics page, its files and the API: the same figures everywhere, scoped to the user's area."""

import csv
import io

import openpyxl
import pytest

from conftest import unit
from stats import services

from .conftest import approved, published

pytestmark = pytest.mark.django_db

PAGE = "/statistics/"
API = "/api/v1/statistics/figures/"


@pytest.fixture
def recorded(personas, household_set, household, reform_year):
    """Three households registered in Phường Bắc Kạn in the reform year, two recognised; 60 households
    entered as recognised at old Phường Sông Cầu in 2018."""
    officer = personas["commune_officer"]
    made = [approved(officer, household_set, household(name), reform_year) for name in ("An", "Bình", "Cúc")]
    published(officer, made[:2], year=reform_year, area=("2025", "01843"))
    services.aggregate_save(
        actor=personas["old_province_officer"],
        unit=unit("pre2025", "01837"),
        year=2018,
        title="household",
        measure="recognised",
        value=60,
    )
    return made


# Who may open the page of Phường Bắc Kạn (2025:01843): 200 inside the area, 404 outside, login for anonymous.
MATRIX = {
    "province_officer": 200,
    "commune_officer": 200,
    "village_officer": 200,
    "viewer": 200,
    "other_commune_officer": 404,
    "district_officer": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize(("persona", "status"), MATRIX.items())
def test_who_sees_an_areas_figures(client_for, personas, recorded, persona, status):
    response = client_for(personas[persona]).get(PAGE, {"area": "2025:01843", "year": 2025})
    assert response.status_code == status


def test_the_page_shows_the_figures_of_the_year_with_rates(client_for, personas, recorded, reform_year):
    response = client_for(personas["commune_officer"]).get(PAGE, {"area": "2025:01843", "year": reform_year})
    titles = {row.title: row for row in response.context["view"].titles}
    assert (titles["household"].registered.value, titles["household"].recognised.value) == (3, 2)
    assert str(titles["household"].rate_of_registered) == "66.7"
    assert [child.code for child, _rows in response.context["view"].children] == ["01837-001", "01837-002"]
    assert "66,7%" in response.content.decode()


def test_a_new_area_shows_an_old_year_mapped_with_its_rule(client_for, personas, recorded):
    response = client_for(personas["province_officer"]).get(PAGE, {"area": "2025:19", "year": 2018})
    view = response.context["view"]
    assert view.mapped
    assert {row.title: row.recognised.value for row in view.titles}["household"] == 60
    assert any(piece.old_unit.code == "06" for piece in response.context["mapping"])


def test_a_period_gives_lượt_and_the_distinct_count(client_for, personas, recorded, reform_year):
    response = client_for(personas["province_officer"]).get(
        PAGE, {"area": "2025:19", "year": reform_year, "from": 2018, "to": reform_year}
    )
    household = {row.title: row for row in response.context["period"]}["household"]
    assert household.recognitions == 62
    assert household.distinct is None  # 2018 is an entered total


def test_the_excel_file_holds_the_pages_figures(client_for, personas, recorded, reform_year):
    response = client_for(personas["commune_officer"]).get(
        PAGE, {"area": "2025:01843", "year": reform_year, "format": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Mã địa bàn", "Tên địa bàn", "Cây đơn vị", "Năm")
    values = {(r[0], r[4], r[5]): r[6] for r in rows[1:]}
    assert values[("01843", "Gia đình học tập", "Đã đăng ký")] == 3
    assert values[("01843", "Gia đình học tập", "Được công nhận")] == 2
    assert values[("01837-001", "Gia đình học tập", "Được công nhận")] == 2


def test_the_csv_file_streams_the_same_rows(client_for, personas, recorded, reform_year):
    response = client_for(personas["commune_officer"]).get(
        PAGE, {"area": "2025:01843", "year": reform_year, "format": "csv"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["01843", "Phường Bắc Kạn", "2025", str(reform_year), "Gia đình học tập", "Đã đăng ký", "3"] in [
        row[:7] for row in rows
    ]


def test_the_api_gives_figures_with_their_sources(client_for, personas, recorded, reform_year):
    response = client_for(personas["commune_officer"]).get(
        API, {"area": "2025:01843", "year": reform_year, "title": "household", "children": "true"}
    )
    assert response.status_code == 200
    rows = {(r["area_code"], r["measure"]): r for r in response.json()["results"]}
    assert rows[("01843", "registered")]["value"] == 3
    assert rows[("01843", "recognised")]["source"] == "records"
    assert rows[("01837-001", "recognised")]["value"] == 2
    assert rows[("01837-001", "recognised")]["area_tree"] == "village"


def test_the_api_answers_in_csv_and_over_periods(client_for, personas, recorded, reform_year):
    response = client_for(personas["province_officer"]).get(
        API, {"area": "2025:19", "years": f"2018-{reform_year}", "format": "csv"}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    mapped = [r for r in rows if r["year"] == "2018" and r["title"] == "household" and r["measure"] == "recognised"]
    assert mapped[0]["value"] == "60" and mapped[0]["source"] == "mapped"
    period = (
        client_for(personas["province_officer"]).get(API, {"area": "2025:19", "years": f"2018-{reform_year}"}).json()
    )
    assert {p["title"]: p["recognitions"] for p in period["period"]}["household"] == 62


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"area": "2025:01843"}, "year"),
        ({"area": "2025:01843", "years": "2020-1990"}, "years"),
        ({"area": "2025:01843", "year": "2025", "title": "x"}, "title"),
    ],
)
def test_the_api_says_what_is_wrong_with_a_request(client_for, personas, params, field):
    response = client_for(personas["commune_officer"]).get(API, params)
    assert response.status_code == 400
    assert field in response.json()


def test_the_api_hides_areas_outside_the_callers(client_for, personas):
    assert (
        client_for(personas["other_commune_officer"]).get(API, {"area": "2025:01843", "year": 2025}).status_code == 404
    )
    assert client_for(personas["anonymous"]).get(API, {"area": "2025:01843", "year": 2025}).status_code in (401, 403)


def test_the_schema_lists_the_figures_endpoint(client_for, personas):
    schema = client_for(personas["viewer"]).get("/api/v1/openapi.json").json()
    assert "/api/v1/statistics/figures/" in schema["paths"]

"""The dashboard reads the statistics' own figures: its numbers are the figures API's for the same
area and year, each chart's CSV is the table under it, and a request it cannot answer gets a
Vietnamese message on the page (404 outside the user's scope), never an empty chart. The traffic
light's bands are data, shipped as an illustration, changed by the system administrator (audited)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from conftest import unit
from dashboards import bands, readings
from dashboards.models import LightBand
from registry import network
from stats import services

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboards:dashboard")
FIGURES_API = "/api/v1/statistics/figures/"
CHO_DON = "pre2025:064"  # a district of Bắc Kạn province (pre-2025 tree)
# Households of Chợ Đồn's communes: (base, recognised per year) entered through the services.
ENTERED = {
    "02035": (200, {2016: 80, 2017: 84, 2018: 94, 2019: 102}),  # Xã Bản Thi
    "02044": (100, {2016: 20, 2017: 25, 2018: 30, 2019: 35}),
}


@pytest.fixture
def history(admin_user):
    for code, (households, recognised) in ENTERED.items():
        commune = unit("pre2025", code)
        for year, value in recognised.items():
            network.area_year_save(actor=admin_user, area=commune, year=year, households=households)
            services.aggregate_save(
                actor=admin_user, unit=commune, year=year, title="household", measure="recognised", value=value
            )


def api_values(client, area, year):
    response = client.get(FIGURES_API, {"area": area, "year": year, "children": "true"})
    assert response.status_code == 200
    return {
        (row["area_code"], row["title"], row["measure"]): row["value"]
        for row in response.json()["results"]
        if row["measure"] in ("base", "recognised")
    }


def test_the_dashboard_shows_the_figures_api_numbers_for_the_area_and_its_sub_areas(client_for, personas, history):
    client = client_for(personas["district_officer"])
    response = client.get(PAGE, {"area": CHO_DON, "year": 2019})
    assert response.status_code == 200
    board = response.context["board"]
    through_api = api_values(client, CHO_DON, 2019)
    household = next(line for line in board.lines if line.title == "household")
    assert (household.base, household.recognised) == (300, 137)
    assert through_api[("064", "household", "base")] == household.base
    assert through_api[("064", "household", "recognised")] == household.recognised
    assert household.actual == Decimal("45.7")
    # Every sub-area in the ranking carries the API's numbers.
    for _rank, code, _name, base, recognised, _rate in board.tables["ranking"].rows:
        assert through_api.get((code, "household", "base")) == base
        assert through_api.get((code, "household", "recognised")) == recognised
    ranked = [row[1] for row in board.tables["ranking"].rows if row[5] is not None]
    assert ranked[:2] == ["02035", "02044"]  # 51 % before 35 %
    # The trend holds each year's rate (100/300 → 33,3 % in 2016) and the fitted line to the target year.
    trend = {(row[0], row[1]): row[2] for row in board.tables["trend"].rows}
    assert trend[("Gia đình học tập", "2016")] == Decimal("33.3")
    assert ("Gia đình học tập", "2020") in trend  # the national target year, projected


def test_each_charts_csv_is_the_table_under_it(client_for, personas, history):
    client = client_for(personas["district_officer"])
    board = client.get(PAGE, {"area": CHO_DON, "year": 2019}).context["board"]
    for chart in readings.CHARTS:
        params = {"chart": chart, "area": CHO_DON, "year": 2019, "tree": "pre2025", "title": "household"}
        response = client.get(reverse("dashboards:chart_csv"), params)
        assert response.status_code == 200, chart
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        header, *rows = list(csv.reader(io.StringIO(text)))
        table = board.tables[chart]
        assert header == [str(column) for column in table.columns]
        expected = [["" if value is None else str(value) for value in row] for row in table.rows]
        assert rows == expected, chart
        assert rows, chart


def test_the_page_offers_the_numbers_of_every_chart_and_a_drill_down(client_for, personas, history):
    client = client_for(personas["district_officer"])
    html = client.get(PAGE, {"area": CHO_DON, "year": 2019}).content.decode()
    for chart in readings.CHARTS:
        assert f'data-table="{chart}"' in html
        assert f'data-csv="{chart}"' in html
    assert "?area=pre2025:02035&amp;year=2019" in html  # the sub-area and its point on the map lead to it
    assert "<svg" in html and "<circle" in html
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in html
    assert "<script>" not in html  # no inline script: the numbers travel in a data attribute


def test_a_filter_change_through_htmx_answers_the_panel_only(client_for, personas, history):
    client = client_for(personas["district_officer"])
    response = client.get(PAGE, {"area": CHO_DON, "year": 2018}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "data-dashboard" in html


@pytest.mark.parametrize(
    "persona, params, status, message",
    [
        ("district_officer", {"area": "pre2025:99999"}, 404, "ngoài phạm vi"),
        ("other_district_officer", {"area": CHO_DON, "year": 2019}, 404, "ngoài phạm vi"),
        ("district_officer", {"area": CHO_DON, "year": "hai nghìn"}, 400, "nhập năm"),
        ("district_officer", {"area": CHO_DON, "year": 2019, "title": "xyz"}, 400, "danh hiệu"),
        ("district_officer", {"area": CHO_DON, "year": 2025}, 200, "không thuộc cây đơn vị trước 2025"),
        ("district_officer", {"area": CHO_DON, "year": 2010}, 200, "Chưa có số liệu năm 2010"),
    ],
)
def test_bad_input_gets_a_vietnamese_message_and_no_chart(
    client_for, personas, history, persona, params, status, message
):
    response = client_for(personas[persona]).get(PAGE, params)
    assert response.status_code == status
    html = response.content.decode()
    assert "data-problem" in html and message in html
    assert "data-chart" not in html


def test_a_csv_outside_the_scope_is_404(client_for, personas, history):
    client = client_for(personas["other_district_officer"])
    url = reverse("dashboards:chart_csv")
    assert client.get(url, {"chart": "titles", "area": CHO_DON, "year": 2019}).status_code == 404
    assert client.get(url, {"chart": "nothing", "area": CHO_DON}).status_code == 404


def test_the_2025_tree_shows_old_years_mapped_and_links_the_old_units(client_for, personas, history):
    """Chợ Đồn's communes were merged into new communes of Thái Nguyên: the province's dashboard on the
    2025 tree holds 2019, mapped, with the same numbers as the API."""
    client = client_for(personas["province_officer"])
    response = client.get(PAGE, {"area": "2025:19", "year": 2019})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.view.mapped
    household = next(line for line in board.lines if line.title == "household")
    through_api = api_values(client, "2025:19", 2019)
    assert household.recognised == through_api[("19", "household", "recognised")] == 137
    html = response.content.decode()
    assert "Tỉnh Bắc Kạn" in html  # the old province merged into it, named on the page


def test_the_shipped_bands_are_an_illustration_and_say_so(client_for, personas, history):
    assert all(band.illustration for band in LightBand.objects.all())
    html = client_for(personas["district_officer"]).get(PAGE, {"area": CHO_DON, "year": 2019}).content.decode()
    assert "minh hoạ" in html


def test_the_light_is_the_band_of_the_share_of_the_target_reached():
    shipped = bands.current_bands()
    assert bands.light_for(Decimal(50), Decimal(50), shipped).light == "green"
    assert bands.light_for(Decimal(40), Decimal(50), shipped).light == "amber"  # 80 % of the target
    assert bands.light_for(Decimal(39), Decimal(50), shipped).light == "red"
    assert bands.light_for(None, Decimal(50), shipped) is None
    assert bands.light_for(Decimal(39), None, shipped) is None


def test_the_system_administrator_changes_the_bands_audited(client_for, admin_user, personas):
    versions = {band.light: band.version for band in LightBand.objects.all()}
    page = reverse("dashboards:bands")
    refused = client_for(personas["province_officer"]).post(page, {"green": "90", "amber": "70"})
    assert refused.status_code == 403
    client = client_for(admin_user)
    bad = client.post(page, {"green": "70", "amber": "90", **{f"version_{k}": v for k, v in versions.items()}})
    assert "Ngưỡng xanh phải bắt đầu cao hơn ngưỡng vàng" in bad.content.decode()
    client.post(page, {"green": "90", "amber": "70", **{f"version_{k}": v for k, v in versions.items()}})
    saved = {band.light: band for band in LightBand.objects.all()}
    assert (saved["green"].from_share, saved["amber"].from_share) == (Decimal(90), Decimal(70))
    assert not any(band.illustration for band in saved.values())
    entry = AuditEntry.objects.get(action="dashboards.bands_save")
    assert entry.before["green"] == "100.00" and entry.after["green"] == "90.00"

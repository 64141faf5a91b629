"""The statistics page and the API drill into an area through one reading (`overview.drill_down`):
the same sub-areas, in the same order, with the same figures."""

import pytest

from .conftest import approved, published

pytestmark = pytest.mark.django_db

MEASURES = ("base", "registered", "recognised")


@pytest.fixture
def recorded(personas, household_set, household, reform_year):
    """Three households of Phường Bắc Kạn evaluated in the reform year, two recognised."""
    officer = personas["commune_officer"]
    made = [approved(officer, household_set, household(name), reform_year) for name in ("An", "Bình", "Cúc")]
    published(officer, made[:2], year=reform_year, area=("2025", "01843"))
    return made


@pytest.mark.parametrize("area, kind", [("2025:19", "2025"), ("2025:01843", "village")])
def test_the_page_and_the_api_show_the_same_sub_areas(client_for, personas, recorded, reform_year, area, kind):
    """A province drills into its communes, a commune of the year's tree into its villages."""
    client = client_for(personas["province_officer"])
    view = client.get("/statistics/", {"area": area, "year": reform_year}).context["view"]
    on_page = {
        (child.code, row.title, measure): getattr(row, measure).value
        for child, rows in view.children
        for row in rows
        for measure in MEASURES
    }
    response = client.get("/api/v1/statistics/figures/", {"area": area, "year": reform_year, "children": "true"})
    assert response.status_code == 200
    own_code = area.split(":")[1]
    children = [row for row in response.json()["results"] if row["area_tree"] == kind and row["area_code"] != own_code]
    through_api = {
        (row["area_code"], row["title"], row["measure"]): row["value"]
        for row in children
        if row["title"] and row["measure"] in MEASURES
    }
    # The page shows every title of every sub-area, the API the figures there are: the same values.
    known = {key: value for key, value in on_page.items() if value is not None}
    assert known and known.items() <= through_api.items()
    assert all(on_page[key] == value for key, value in through_api.items())
    in_api_order = list(dict.fromkeys(row["area_code"] for row in children))
    assert in_api_order == [child.code for child, _rows in view.children if child.code in in_api_order]
    recognised = sum(value or 0 for (_code, title, measure), value in on_page.items() if measure == "recognised")
    assert recognised == 2

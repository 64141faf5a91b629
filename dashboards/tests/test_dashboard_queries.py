"""The dashboard reads each of its parts for all the sub-areas and communes at once: a province of a
hundred communes costs the queries one of its districts does, and the whole country's map data (its
10,000 communes) as many as a district's."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import AdministrativeUnit, Level, Tree
from conftest import unit

from .test_dashboard import CHO_DON, history  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboards:dashboard")
MAP_DATA = reverse("dashboards:map_data")


def captured(client, url, params) -> list[str]:
    """The SQL of a request after a first one (which fills the per-process mapping of the reform), with
    nothing kept from the first (stats/caching.py): the reading itself."""
    client.get(url, params)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return [query["sql"] for query in queries]


def queries_of(client, url, params) -> int:
    return len(captured(client, url, params))


def communes_under(code: str, tree: str) -> int:
    area = unit(tree, code)
    return AdministrativeUnit.objects.filter(path__startswith=area.path, level=Level.COMMUNE).count()


@pytest.mark.parametrize("year", [2019, 2018])
def test_a_province_costs_the_queries_of_one_of_its_districts(client_for, admin_user, history, year):  # noqa: F811
    client = client_for(admin_user)
    assert communes_under("06", Tree.PRE_2025) > 5 * communes_under("064", Tree.PRE_2025)  # Bắc Kạn, Chợ Đồn
    district = queries_of(client, PAGE, {"area": CHO_DON, "year": year})
    province = queries_of(client, PAGE, {"area": "pre2025:06", "year": year})
    assert province <= district, f"{province} queries for the province, {district} for its district"


def test_a_2025_province_costs_the_queries_of_a_smaller_one_on_a_mapped_year(client_for, admin_user, history):  # noqa: F811
    client = client_for(admin_user)
    assert communes_under("19", Tree.Y2025) > 2 * communes_under("12", Tree.Y2025)  # Thái Nguyên, Lai Châu
    small = queries_of(client, PAGE, {"area": "2025:12", "year": 2019})
    large = queries_of(client, PAGE, {"area": "2025:19", "year": 2019})
    assert large <= small, f"{large} queries for Thái Nguyên, {small} for Lai Châu"


@pytest.mark.parametrize("tree, year", [(Tree.PRE_2025, 2019), (Tree.Y2025, 2019)])
def test_the_whole_countrys_map_data_costs_what_a_districts_does(client_for, admin_user, history, tree, year):  # noqa: F811
    client = client_for(admin_user)
    country = queries_of(client, MAP_DATA, {"tree": tree, "year": year})
    area = CHO_DON if tree == Tree.PRE_2025 else "2025:19"
    district = queries_of(client, MAP_DATA, {"area": area, "year": year})
    assert country <= district + 1, f"{country} queries for the country's communes, {district} for {area}'s"


def test_a_mapped_dashboard_reads_the_successions_fingerprint_once(client_for, admin_user, history):  # noqa: F811
    """Its year view, sub-areas and map each map old years onto the new units; while one page is drawn the
    successions cannot change, so whether they did is asked once (stats.mapping.reading_once)."""
    sql = captured(client_for(admin_user), PAGE, {"area": "2025:19", "year": 2019})
    fingerprints = [query for query in sql if "areas_unitsuccession" in query and "SUM(" in query.upper()]
    assert len(fingerprints) == 1, fingerprints

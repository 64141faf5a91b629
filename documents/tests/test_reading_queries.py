"""The workbook reads the villages of every commune under a district at once: the number of queries
grows with the districts, not with the communes (the whole country's workbook walks 10,000 communes;
read one at a time they cost three queries each)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from areas.models import AdministrativeUnit, Level, Tree
from conftest import unit
from documents import readings

pytestmark = pytest.mark.django_db


def test_reading_a_province_costs_queries_per_district_not_per_commune(admin_user):
    province = unit(Tree.PRE_2025, "06")
    communes = AdministrativeUnit.objects.filter(path__startswith=province.path, level=Level.COMMUNE).count()
    districts = AdministrativeUnit.objects.filter(path__startswith=province.path, level=Level.DISTRICT).count()
    with CaptureQueriesContext(connection) as queries:
        rows = list(readings.sub_areas(province, Tree.PRE_2025, [2017, 2018], admin_user, None))
    assert sum(1 for row in rows if row.kind == "units") == districts + communes
    assert communes > 100  # Bắc Kạn before the reform: 108 communes in 8 districts
    assert len(queries) < communes, f"{len(queries)} queries for {communes} communes in {districts} districts"


def test_who_sees_every_village_reads_them_without_a_list_of_all_village_ids(admin_user, villages):
    """A filter `IN (every village)` made SQLite build the country's 100,000 ids again for each district:
    more than half of the whole country's workbook. Who sees everything is not filtered at all."""
    province = unit(Tree.PRE_2025, "06")
    with CaptureQueriesContext(connection) as queries:
        rows = list(readings.sub_areas(province, Tree.PRE_2025, [2018], admin_user, None))
    assert {row.place.name for row in rows if row.kind == "villages"} >= {"Thôn Nà Pài", "Bản Khuổi Ỏ"}
    placements = [q["sql"] for q in queries if "areas_villageplacement" in q["sql"]]
    assert placements
    assert not any("areas_village" in sql.split("FROM", 2)[-1] and "IN (SELECT" in sql for sql in placements)

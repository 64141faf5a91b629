"""A NUL in an address's parameters is a 400 on both databases, never a 500 (PostgreSQL cannot take it)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["q=a%00b", "year=2024%00", "%00=1"])
def test_a_nul_in_the_query_is_refused_on_pages_and_in_the_api(client_for, personas, query):
    client = client_for(personas["commune_officer"])
    page = client.get(f"/registry/households/?{query}")
    assert page.status_code == 400
    answer = client.get(f"/api/v1/households/?{query}")
    assert answer.status_code == 400 and answer["Content-Type"].startswith("application/json")

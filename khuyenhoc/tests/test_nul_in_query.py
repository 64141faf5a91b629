"""A NUL in an address's parameters is a 400 on both databases, never a 500 (PostgreSQL cannot take it),
and the answer names the parameter that held it, in Vietnamese."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("query", "named"), [("q=a%00b", "q"), ("year=2024%00", "year"), ("%00=1", None)])
def test_a_nul_in_the_query_is_refused_on_pages_and_in_the_api(client_for, personas, query, named):
    client = client_for(personas["commune_officer"])
    page = client.get(f"/registry/households/?{query}")
    assert page.status_code == 400
    assert "ký tự NUL" in page.content.decode()
    answer = client.get(f"/api/v1/households/?{query}")
    assert answer.status_code == 400 and answer["Content-Type"].startswith("application/json")
    if named:
        assert named in answer.json() and f"“{named}”" in page.content.decode()
    else:
        assert "ký tự NUL" in answer.json()["detail"]

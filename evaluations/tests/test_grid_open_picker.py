"""The village meeting is opened from a village picker (issue 14): by the village's name too, and a
name that names no village of the user's area is a message, not an error page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_village_meeting_opens_from_the_villages_name_and_an_unknown_name_is_a_message(
    client_for, personas, villages
):
    client = client_for(personas["commune_officer"])
    response = client.get(reverse("evaluations:grid_open"), {"village": "Tổ dân phố 1", "year": "2025"})
    assert response.url == reverse("evaluations:grid", args=["01837-001", 2025])
    response = client.get(reverse("evaluations:grid_open"), {"village": "Bản Không Có", "year": "2025"}, follow=True)
    assert response.status_code == 200
    assert "Không tìm thấy thôn “Bản Không Có”" in response.content.decode()

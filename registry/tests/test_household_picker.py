"""A learning citizen's household is picked by its head's name, among the households of the village
picked on the same form (a person's household is in their own village): never typed as a code."""

import pytest
from django.urls import reverse

from registry import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(villages, admin_user):
    def add(village, head):
        return services.household_create(actor=admin_user, village=villages[village], head_name=head, members=3)

    return {
        "an_1": add("song_cau_1", "Hoàng Văn An"),
        "an_2": add("song_cau_2", "Hoàng Văn Anh"),
        "an_other_commune": add("ban_thi", "Hoàng Văn Ân"),
    }


def _listed(client, **params):
    response = client.get(reverse("registry:household_search"), params)
    assert response.status_code == 200
    return response.context["options"]


def test_the_picker_lists_the_picked_village_s_households_by_head_name(personas, households, client_for):
    client = client_for(personas["commune_officer"])
    everywhere = _listed(client, q="hoang van an")
    assert [o["value"] for o in everywhere] == [households["an_1"].code, households["an_2"].code]
    in_village = _listed(client, q="Hoàng", village="01837-002")
    assert [o["value"] for o in in_village] == [households["an_2"].code]
    assert in_village[0]["label"].startswith("Hoàng Văn Anh · Tổ dân phố 2")


def test_the_picker_lists_nothing_outside_the_scope(personas, households, client_for):
    assert _listed(client_for(personas["commune_officer"]), q="Ân", village="02035-001") == []
    assert _listed(client_for(personas["village_officer"]), q="Hoàng") == [
        {
            "value": households["an_1"].code,
            "label": "Hoàng Văn An · Tổ dân phố 1 · Phường Bắc Kạn",
            "name": "Hoàng Văn An",
            "detail": "Tổ dân phố 1 · Phường Bắc Kạn",
        }
    ]
    assert client_for(None).get(reverse("registry:household_search"), {"q": "Hoàng"}).status_code == 302


def test_the_citizen_form_asks_the_picker_with_its_village(personas, client_for):
    page = client_for(personas["commune_officer"]).get(reverse("registry:citizen_create")).content.decode()
    assert f'data-picker-url="{reverse("registry:household_search")}"' in page
    assert 'data-picker-params="village"' in page


def test_a_refused_household_is_shown_again_by_its_head_s_name(personas, households, client_for):
    client = client_for(personas["commune_officer"])
    response = client.post(
        reverse("registry:citizen_create"),
        {
            "village": "01837-001",
            "full_name": "Hoàng Thị Lan",
            "birth_year": "1990",
            "sex": "female",
            "household_code": households["an_2"].code,
        },
    )
    assert response.status_code == 200 and "household_code" in response.context["form"].errors
    assert 'data-picker-label="Hoàng Văn Anh · Tổ dân phố 2' in response.content.decode()

"""The registry's village fields are pickers (issue 14): the household form takes the village's name,
and the households list names each village with its commune."""

import pytest
from django.urls import reverse

from registry import services

pytestmark = pytest.mark.django_db


def test_the_household_form_takes_the_villages_name_and_says_when_it_names_nothing(client_for, personas, villages):
    client = client_for(personas["commune_officer"])
    created = client.post(
        reverse("registry:household_create"), {"village": "Tổ dân phố 2", "head_name": "Lò Văn E", "members": "2"}
    )
    assert created.status_code == 302
    assert villages["song_cau_2"].households.get().head_name == "Lò Văn E"
    refused = client.post(
        reverse("registry:household_create"), {"village": "Thôn Nà Pài", "head_name": "Lò Văn F", "members": "2"}
    )
    assert refused.status_code == 200
    assert "Không tìm thấy thôn “Thôn Nà Pài” trong địa bàn của bạn." in refused.content.decode()


def test_the_households_list_shows_each_village_with_its_commune(client_for, personas, villages, admin_user):
    services.household_create(actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4)
    page = client_for(personas["commune_officer"]).get(reverse("registry:households")).content.decode()
    assert "Tổ dân phố 1 · Phường Bắc Kạn" in page

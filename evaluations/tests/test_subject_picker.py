"""Registering for a title picks who registers by name (issue 14): the form's picker lists the
households (by their head's name, with village and commune), clans, villages, units or communes of
the user's area; a whole name typed without the picker is read too, and a name that names nothing
or several records is a Vietnamese message, never a 500."""

import pytest
from django.urls import reverse

from evaluations.models import Evaluation
from registry import services as registry_services
from registry.citizens import citizen_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(admin_user, villages):
    return [
        registry_services.household_create(actor=admin_user, village=villages["song_cau_1"], head_name=name, members=4)
        for name in ("Hoàng Văn An", "Đinh Thị Bình")
    ]


def search(client, title, query):
    return client.get(reverse("evaluations:subject_search"), {"picker": "subject", "title": title, "q": query})


def test_the_picker_lists_the_households_of_the_users_area_by_their_heads_name(client_for, personas, households):
    page = search(client_for(personas["commune_officer"]), "household", "hoang van").content.decode()
    assert f'data-value="{households[0].code}"' in page
    assert "Hoàng Văn An · Tổ dân phố 1 · Phường Bắc Kạn" in page  # the household's village and commune
    assert households[1].code not in page
    elsewhere = search(client_for(personas["other_commune_officer"]), "household", "hoang").content.decode()
    assert households[0].code not in elsewhere


def test_the_picker_lists_communes_as_tree_and_code_and_says_when_nothing_matches(client_for, personas):
    client = client_for(personas["province_officer"])
    assert 'data-value="2025:01843"' in search(client, "commune", "bac kan").content.decode()
    nothing = search(client, "clan", "khong co ai").content.decode()
    assert "Không tìm thấy gì tên “khong co ai” trong địa bàn của bạn." in nothing
    assert search(client, "no-such-title", "bac kan").status_code == 200


def test_a_viewer_may_not_search_who_registers(client_for, personas):
    assert search(client_for(personas["viewer"]), "household", "hoang").status_code == 403


def test_registering_by_the_whole_name_typed_without_the_picker(
    client_for, personas, households, household_set, reform_year
):
    client = client_for(personas["village_officer"])
    fields = {"title": "household", "year": reform_year, "code": "hoang van an"}
    response = client.post(reverse("evaluations:register"), fields)
    assert response.status_code == 302
    assert Evaluation.objects.get().household == households[0]


def test_a_name_shared_by_two_households_or_naming_none_is_a_message(
    client_for, personas, households, household_set, reform_year, admin_user, villages
):
    registry_services.household_create(
        actor=admin_user, village=villages["song_cau_2"], head_name="Hoàng Văn An", members=3
    )
    client = client_for(personas["commune_officer"])
    fields = {"title": "household", "year": reform_year, "code": "Hoàng Văn An"}
    page = client.post(reverse("evaluations:register"), fields)
    assert page.status_code == 200 and page.context["form"].has_error("code", code="ambiguous")
    assert "Có nhiều hơn một kết quả tên “Hoàng Văn An”" in page.content.decode()
    page = client.post(reverse("evaluations:register"), {**fields, "code": "Không Ai Cả"})
    assert page.context["form"].has_error("code", code="scope")
    assert not Evaluation.objects.exists()


def test_namesakes_of_one_village_are_told_apart_in_the_list(client_for, personas, admin_user, villages, households):
    """Two heads called Hoàng Văn An in Tổ dân phố 1, two persons called Lý Thị Mai born in different
    years: each option says its code, and a person's says the year of birth."""
    namesake = registry_services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=2
    )
    client = client_for(personas["commune_officer"])
    page = search(client, "household", "hoang van an").content.decode()
    for household in (households[0], namesake):
        assert f"Tổ dân phố 1 · Phường Bắc Kạn · {household.code}</small>" in page
    persons = [
        citizen_create(
            actor=admin_user, village=villages["song_cau_1"], full_name="Lý Thị Mai", birth_year=year, sex="Nữ"
        )
        for year in (1975, 1990)
    ]
    page = search(client, "citizen", "ly thi mai").content.decode()
    for person in persons:
        assert f"Lý Thị Mai ({person.birth_year}) <small>Tổ dân phố 1 · Phường Bắc Kạn · {person.code}</small>" in page

"""The page of the age bounds of the learning citizens' base: a province officer adds and removes their
province's bounds (the base counted at once), bad input is refused in Vietnamese with nothing saved,
and officers who may not change them read them only."""

import pytest
from django.urls import reverse

from conftest import unit
from registry.citizens import citizen_create
from stats.models import CitizenAgeBounds

from .test_facts import value

pytestmark = pytest.mark.django_db
URL = reverse("stats:citizen_bounds")


def logged_in(client, user):
    client.force_login(user)
    return client


def test_a_province_officer_sets_their_provinces_bounds_and_the_base_follows(
    client, admin_user, personas, villages, reform_year
):
    citizen_create(
        actor=admin_user, village=villages["song_cau_1"], full_name="Lý Văn An", birth_year=reform_year - 30, sex="Nam"
    )
    page = logged_in(client, personas["province_officer"]).get(URL)
    assert page.status_code == 200
    assert "Độ tuổi" in page.content.decode() and "không phải 0" in page.content.decode()

    answer = client.post(URL, {"from_year": reform_year, "min_age": 15, "source": "Hướng dẫn của tỉnh"})
    assert answer.status_code == 302
    bounds = CitizenAgeBounds.objects.get()
    assert bounds.area == unit("2025", "19") and (bounds.min_age, bounds.max_age, bounds.to_year) == (15, None, None)
    assert value(unit("2025", "19"), reform_year, "citizen", "base") == 1
    assert "15 tuổi trở lên" in client.get(URL).content.decode()

    client.post(URL, {"delete": bounds.pk})
    assert not CitizenAgeBounds.objects.exists()
    assert value(unit("2025", "19"), reform_year, "citizen", "base") == 0


def test_bad_bounds_are_refused_in_vietnamese_and_nothing_is_saved(client, personas):
    officer = logged_in(client, personas["province_officer"])
    answer = officer.post(URL, {"from_year": 2025, "min_age": 60, "max_age": 15})
    assert answer.status_code == 200
    assert "Tuổi tối đa không được nhỏ hơn tuổi tối thiểu" in answer.content.decode()
    answer = officer.post(URL, {"from_year": "năm nay", "min_age": 15})
    assert answer.status_code == 200 and "Hãy nhập một số nguyên" in answer.content.decode()
    assert not CitizenAgeBounds.objects.exists()


def test_officers_below_a_province_read_the_bounds_but_may_not_change_them(client, admin_user, personas):
    CitizenAgeBounds.objects.create(area=None, from_year=2025, min_age=15)
    commune = logged_in(client, personas["commune_officer"])
    page = commune.get(URL)
    assert page.status_code == 200 and "15 tuổi trở lên" in page.content.decode()
    assert 'name="min_age"' not in page.content.decode()
    assert commune.post(URL, {"from_year": 2026, "min_age": 18}).status_code == 403
    assert CitizenAgeBounds.objects.count() == 1


@pytest.mark.parametrize("written", ["other script", "past every id", "a word"])
def test_a_removal_naming_no_bounds_is_refused_and_removes_nothing(client, personas, written):
    bounds = CitizenAgeBounds.objects.create(area=unit("2025", "19"), from_year=2025, min_age=15)
    value = {
        "other script": str(bounds.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        "past every id": "9" * 30,
        "a word": "hết",
    }[written]
    answer = logged_in(client, personas["province_officer"]).post(URL, {"delete": value})
    assert answer.status_code == 403
    assert CitizenAgeBounds.objects.filter(pk=bounds.pk).exists()

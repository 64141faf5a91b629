"""No dead ends (issue 14): the error pages are Vietnamese, styled, with a way back, and pass the
landmark rules (one main, one h1); the menu offers only what the user may open; every tab names the
page and the site."""

import re

import pytest
from django.template import loader
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def visible(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", response.content.decode()))


def landmarks_hold(html: str) -> None:
    assert html.count("<main") == 1
    assert html.count("<h1") == 1
    assert re.search(r"<title>[^<]+ — Xã hội học tập</title>", html)


def test_an_address_that_names_nothing_answers_a_vietnamese_page_with_ways_back(client_for, personas):
    response = client_for(personas["viewer"]).get("/trang-khong-co/")
    assert response.status_code == 404
    html = response.content.decode()
    landmarks_hold(html)
    assert "Không tìm thấy trang" in visible(response)
    assert 'href="/"' in html and "data-back" in html and reverse("areas:search") in html
    assert "Not Found" not in html


def test_a_page_the_role_may_not_open_answers_a_vietnamese_403(client_for, personas):
    response = client_for(personas["viewer"]).get(reverse("accounts:list"))
    assert response.status_code == 403
    landmarks_hold(response.content.decode())
    assert "Bạn không được mở trang này" in visible(response)


def test_a_bad_year_answers_400_with_what_was_wrong(client_for, personas):
    response = client_for(personas["province_officer"]).get(reverse("stats:overview"), {"year": "năm ngoái"})
    assert response.status_code == 400
    landmarks_hold(response.content.decode())
    assert "Hãy nhập năm" in visible(response)


def test_the_500_page_needs_neither_the_request_nor_the_database(django_assert_num_queries):
    with translation.override("vi"), django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    landmarks_hold(html)
    assert "Hệ thống gặp lỗi" in html and 'href="/"' in html


def menu(response) -> str:
    return re.search(r'<nav class="mainnav.*?</nav>', response.content.decode(), re.S).group(0)


def test_the_viewer_is_offered_only_what_a_viewer_may_use(client_for, personas):
    nav = menu(client_for(personas["viewer"]).get(reverse("stats:overview")))
    for offered in ["registry:households", "stats:overview", "areas:browse"]:
        assert reverse(offered) in nav
    for withheld in ["imports:list", "criteria:list", "accounts:list", "evaluations:list"]:
        assert reverse(withheld) not in nav


def test_an_officer_is_offered_the_imports_and_the_criteria(client_for, personas):
    nav = menu(client_for(personas["commune_officer"]).get(reverse("stats:overview")))
    for offered in ["imports:list", "criteria:list", "accounts:list", "evaluations:list"]:
        assert reverse(offered) in nav


def test_the_header_search_shows_only_the_search_pages_own_words(client_for, personas):
    client = client_for(personas["province_officer"])
    page = client.get(reverse("stats:overview"), {"area": "2025:19", "year": "2024"}).content.decode()
    assert re.search(r'<input type="search" name="q" value=""', page)
    found = client.get(reverse("areas:search"), {"q": "Bắc Kạn"}).content.decode()
    assert re.search(r'<input type="search" name="q" value="Bắc Kạn"', found)


def test_the_phone_menu_folds_behind_a_button_that_needs_no_inline_script(client_for, personas):
    html = client_for(personas["viewer"]).get(reverse("stats:overview")).content.decode()
    assert 'class="menu-toggle' in html and 'aria-controls="main-menu account-menu"' in html
    assert "<script>" not in html and "onclick" not in html


def test_an_old_province_names_the_new_one_without_a_link_that_answers_404(client_for, personas):
    """Bắc Kạn's officer sees that it went into Thái Nguyên, which holds other provinces' data."""
    client = client_for(personas["old_province_officer"])
    page = client.get(reverse("areas:unit", args=["pre2025", "06"])).content.decode()
    assert "Thái Nguyên" in page
    assert reverse("areas:unit", args=["2025", "19"]) not in page
    stats = client.get(reverse("stats:overview"), {"area": "pre2025:06", "year": "2024"}).content.decode()
    assert "Thái Nguyên" in stats and "area=2025:19" not in stats
    # The new province's officer may open the old one it was made from.
    newer = client_for(personas["province_officer"]).get(reverse("areas:unit", args=["2025", "19"])).content.decode()
    assert reverse("areas:unit", args=["pre2025", "06"]) in newer


def test_statistics_open_on_the_last_year_of_the_areas_tree(client_for, personas, reform_year):
    from stats.models import OpenedYear

    for year in (reform_year - 1, reform_year):
        OpenedYear.objects.get_or_create(year=year)
    page = client_for(personas["old_province_officer"]).get(reverse("stats:overview"))
    assert page.status_code == 200
    assert page.context["view"].year == reform_year - 1
    assert not page.context["view"].unavailable
    # Asked for a year of the other tree, the page says why and where to look.
    other = client_for(personas["old_province_officer"]).get(reverse("stats:overview"), {"year": reform_year})
    text = visible(other)
    assert f"Năm {reform_year} thuộc cây đơn vị 2025" in text
    assert f"Xem Tỉnh Bắc Kạn năm {reform_year - 1}" in text


def test_a_form_sent_without_its_check_answers_a_vietnamese_page(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["commune_officer"])
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    landmarks_hold(response.content.decode())
    assert "Không gửi được biểu mẫu" in visible(response)

"""What an officer sees and does in the area browser."""

import pytest
from django.urls import reverse

from areas.models import AreaClassMembership, Village
from conftest import unit

pytestmark = pytest.mark.django_db


def test_a_province_page_lists_its_communes_with_counts_and_breadcrumbs(client_for, personas):
    page = client_for(personas["old_province_officer"]).get(reverse("areas:unit", args=["pre2025", "058"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tỉnh Bắc Kạn" in html  # breadcrumb
    children = {c.code: c for c in page.context["children"]}
    assert set(children) == {"01834", "01837", "01840", "01843", "01846", "01849", "01852", "01855"}
    assert children["01837"].village_count == 2  # in the last pre-reform year


def test_village_counts_roll_up_to_districts_and_follow_the_year(client_for, personas, reform_year):
    old = client_for(personas["old_province_officer"]).get(
        reverse("areas:unit", args=["pre2025", "06"]), {"year": 2018}
    )
    counts = {c.code: c.village_count for c in old.context["children"]}
    assert counts["058"] == 2 and counts["064"] == 1 and counts["060"] == 1 and counts["061"] == 0
    new = client_for(personas["province_officer"]).get(
        reverse("areas:unit", args=["2025", "19"]), {"year": reform_year}
    )
    counts = {c.code: c.village_count for c in new.context["children"]}
    assert counts["01843"] == 2 and sum(counts.values()) == 2  # the two unmoved villages stay on the old tree


def test_children_are_in_vietnamese_alphabetical_order(client_for, personas):
    page = client_for(personas["old_province_officer"]).get(reverse("areas:unit", args=["pre2025", "06"]))
    names = [c.short_name for c in page.context["children"]]
    assert names == ["Ba Bể", "Bạch Thông", "Bắc Kạn", "Chợ Đồn", "Chợ Mới", "Na Rì", "Ngân Sơn", "Pác Nặm"]


def test_a_commune_page_shows_the_villages_of_the_chosen_year(client_for, personas, reform_year):
    client = client_for(personas["commune_officer"])
    now = client.get(reverse("areas:unit", args=["2025", "01843"]), {"year": reform_year})
    assert [v.code for v in now.context["villages"]] == ["01837-001", "01837-002"]
    before = client.get(reverse("areas:unit", args=["pre2025", "01837"]), {"year": 2018})
    assert [v.code for v in before.context["villages"]] == ["01837-001", "01837-002"]
    after = client.get(reverse("areas:unit", args=["pre2025", "01837"]), {"year": reform_year})
    assert list(after.context["villages"]) == []


def test_the_new_commune_page_names_the_old_units_and_the_old_page_names_the_new(client_for, personas):
    client = client_for(personas["commune_officer"])
    new = client.get(reverse("areas:unit", args=["2025", "01843"])).content.decode()
    assert "Phường Sông Cầu" in new and "Phường Xuất Hóa" in new
    old = client.get(reverse("areas:unit", args=["pre2025", "01837"])).content.decode()
    assert "Phường Bắc Kạn" in old


def test_search_finds_units_and_villages_without_diacritics(client_for, personas):
    client = client_for(personas["province_officer"])
    response = client.get(reverse("areas:search"), {"q": "bac kan"}, HTTP_HX_REQUEST="true")
    names = [u.name for u in response.context["units"]]
    assert "Tỉnh Bắc Kạn" in names and "Phường Bắc Kạn" in names
    assert "<html" not in response.content.decode()  # a fragment for htmx
    villages = client.get(reverse("areas:search"), {"q": "KHUOI O"}).context["villages"]
    assert [v.code for v in villages] == ["01876-001"]


def test_search_is_scoped(client_for, personas):
    villages = client_for(personas["commune_officer"]).get(reverse("areas:search"), {"q": "na pai"}).context["villages"]
    assert villages == []
    units = client_for(personas["commune_officer"]).get(reverse("areas:search"), {"q": "cho don"}).context["units"]
    assert units == []


def test_a_commune_officer_adds_a_village_through_the_form(client_for, personas, reform_year):
    client = client_for(personas["commune_officer"])
    response = client.post(
        reverse("areas:village_create", args=["2025", "01843"]),
        {"name": "Tổ dân phố  Mới ", "kind": "residential_group", "from_year": reform_year},
    )
    assert response.status_code == 302
    village = Village.objects.get(name="Tổ dân phố Mới")
    assert village.code == "01843-001"
    assert village.placement_in(reform_year).commune == unit("2025", "01843")


def test_a_duplicate_village_name_gets_a_vietnamese_error_and_changes_nothing(client_for, personas, reform_year):
    client = client_for(personas["commune_officer"])
    before = Village.objects.count()
    response = client.post(
        reverse("areas:village_create", args=["2025", "01843"]),
        {"name": "tổ dân phố 1", "kind": "residential_group", "from_year": reform_year},
    )
    assert response.status_code == 200
    assert "Phường Bắc Kạn đã có thôn tên “Tổ dân phố 1”." in response.content.decode()
    assert Village.objects.count() == before


def test_bulk_move_brings_in_the_villages_of_the_old_communes(client_for, personas, admin_user, reform_year):
    from areas import services

    xuat_hoa = unit("pre2025", "01855")
    services.village_create(
        actor=admin_user, commune=xuat_hoa, name="Tổ dân phố 1", kind="residential_group", from_year=2016
    )
    services.village_create(
        actor=admin_user, commune=xuat_hoa, name="Tổ dân phố 5", kind="residential_group", from_year=2016
    )
    client = client_for(personas["commune_officer"])
    page = client.get(reverse("areas:villages_move", args=["2025", "01843"]))
    assert set(page.context["form"].initial["villages"]) == {"01855-001", "01855-002"}
    response = client.post(
        reverse("areas:villages_move", args=["2025", "01843"]),
        {"villages": ["01855-001", "01855-002"], "from_year": reform_year, "rename_clashes": "on"},
    )
    assert response.status_code == 302
    names = sorted(Village.objects.in_commune(unit("2025", "01843"), reform_year).values_list("name", flat=True))
    assert names == ["Tổ dân phố 1", "Tổ dân phố 1 (Xuất Hóa)", "Tổ dân phố 2", "Tổ dân phố 5"]


def test_a_province_officer_enters_area_classes_by_code(client_for, personas):
    client = client_for(personas["old_province_officer"])
    response = client.post(
        reverse("areas:area_classes"),
        {"area_class": 1, "year": 2020, "tree": "pre2025", "unit_codes": "01837, 02035\n01876"},
    )
    assert response.status_code == 302
    assert AreaClassMembership.objects.filter(year=2020).count() == 3


def test_area_classes_refuse_units_outside_the_area_and_save_nothing(client_for, personas):
    client = client_for(personas["old_province_officer"])
    response = client.post(
        reverse("areas:area_classes"), {"area_class": 1, "year": 2020, "tree": "pre2025", "unit_codes": "01837 00001"}
    )
    assert "00001" in response.content.decode()
    assert not AreaClassMembership.objects.exists()


def test_a_commune_officer_cannot_enter_area_classes(client_for, personas):
    response = client_for(personas["commune_officer"]).post(
        reverse("areas:area_classes"), {"area_class": 1, "year": 2020, "tree": "2025", "unit_codes": "01843"}
    )
    assert response.status_code == 403
    assert not AreaClassMembership.objects.exists()


def test_the_area_classes_list_shows_every_membership_a_page_at_a_time_newest_year_first(client_for, personas):
    """A province's classes over the years are hundreds of rows: the list pages through all of them (it
    once showed the first 500, oldest first, and never said so), keeping the year and class chosen."""
    from areas.models import AreaClass
    from areas.views import MEMBERSHIPS_PAGE

    communes = ["01834", "01837", "01840", "01843", "01846", "01849", "01852", "01855"]
    classes = list(AreaClass.objects.order_by("pk"))
    AreaClassMembership.objects.bulk_create(
        AreaClassMembership(area_class=area_class, unit=unit("pre2025", code), year=year)
        for year in range(2016, 2021)
        for area_class in classes
        for code in communes
    )
    total = 5 * len(classes) * len(communes)
    assert total > MEMBERSHIPS_PAGE
    client = client_for(personas["old_province_officer"])
    first = client.get(reverse("areas:area_classes"))
    assert first.context["page"].paginator.count == total
    years = [m.year for m in first.context["page"]]
    assert len(years) == MEMBERSHIPS_PAGE and years[0] == 2020 and years == sorted(years, reverse=True)
    html = first.content.decode()
    assert 'value="None"' not in html  # no year chosen: the box is empty
    assert f"1 / {-(-total // MEMBERSHIPS_PAGE)}" in html
    last = client.get(reverse("areas:area_classes"), {"page": 2})
    assert len(last.context["page"]) == total - MEMBERSHIPS_PAGE and last.context["page"][-1].year == 2016

    chosen = classes[1]
    filtered = client.get(reverse("areas:area_classes"), {"year": 2018, "class": chosen.pk})
    rows = list(filtered.context["page"])
    assert len(rows) == len(communes) and {(m.year, m.area_class_id) for m in rows} == {(2018, chosen.pk)}
    assert f'<option value="{chosen.pk}" selected>' in filtered.content.decode()
    odd = client.get(reverse("areas:area_classes"), {"class": "<b>", "page": "x"})
    assert odd.status_code == 200 and odd.context["page"].paginator.count == total

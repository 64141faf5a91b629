"""Pickers (issue 14): a village or a unit is picked by typing part of its name, over the user's area,
with the commune beside each village; what was sent (a code, tree:code, or a whole name) is read back,
and text that names nothing or several places answers in Vietnamese, never a 500."""

import pytest
from django.urls import reverse

from areas.models import AdministrativeUnit, Level, Village
from areas.search import pick_units, pick_villages, picker_options
from areas.widgets import Picker, UnitField, VillageField

pytestmark = pytest.mark.django_db


def options(client, kind, query):
    response = client.get(reverse("areas:search"), {"picker": kind, "q": query})
    assert response.status_code == 200
    return response


def test_the_village_picker_lists_the_villages_of_the_users_area_with_their_commune(client_for, personas, villages):
    response = options(client_for(personas["commune_officer"]), "village", "to dan pho")  # without diacritics
    page = response.content.decode()
    assert 'data-value="01837-001"' in page and 'data-value="01837-002"' in page
    assert 'data-label="Tổ dân phố 1 · Phường Bắc Kạn"' in page
    assert "Thôn Nà Pài" not in options(client_for(personas["commune_officer"]), "village", "na pai").content.decode()


def test_a_village_officer_is_offered_their_own_village_only(client_for, personas, villages):
    page = options(client_for(personas["village_officer"]), "village", "to dan").content.decode()
    assert 'data-value="01837-001"' in page and 'data-value="01837-002"' not in page


def test_a_unit_picker_sends_tree_and_code_and_a_commune_picker_lists_communes_only(client_for, personas):
    client = client_for(personas["province_officer"])
    units = options(client, "unit", "bac kan").content.decode()
    assert 'data-value="2025:01843"' in units
    communes = options(client, "commune", "bac kan").content.decode()
    assert 'data-value="2025:01843"' in communes
    levels = {
        AdministrativeUnit.objects.get(tree=value.split(":")[0], code=value.split(":")[1]).level
        for value in (o["value"] for o in picker_options(personas["province_officer"], "bac kan", "commune"))
    }
    assert levels == {Level.COMMUNE}


def test_a_picker_that_finds_nothing_says_so_in_vietnamese_with_a_way_forward(client_for, personas, villages):
    page = options(client_for(personas["commune_officer"]), "village", "khong co dau").content.decode()
    assert "Không tìm thấy thôn “khong co dau” trong địa bàn của bạn." in page
    assert reverse("areas:browse") in page


def test_an_unknown_picker_kind_or_a_short_query_is_no_error(client_for, personas):
    client = client_for(personas["commune_officer"])
    assert options(client, "village", "t").content.decode().strip() == ""
    assert client.get(reverse("areas:search"), {"picker": "household", "q": "ab"}).status_code == 200


def test_what_a_picker_sent_is_read_as_a_code_a_label_or_a_whole_name(villages):
    everywhere = Village.objects.all()
    assert pick_villages("01837-001", everywhere) == [villages["song_cau_1"]]
    assert pick_villages("Tổ dân phố 1 · Phường Bắc Kạn (01837-001)", everywhere) == [villages["song_cau_1"]]
    assert pick_villages("thon na pai", everywhere) == [villages["ban_thi"]]
    assert pick_villages("Thôn không có", everywhere) == []
    both = pick_units("01843", AdministrativeUnit.objects.all())
    assert sorted(unit.tree for unit in both) == ["2025", "pre2025"]  # the same code on both trees: the form asks which
    assert [u.tree for u in pick_units("2025:01843", AdministrativeUnit.objects.all())] == ["2025"]


def test_a_village_field_reads_a_name_and_refuses_a_name_shared_by_two_villages(admin_user, villages):
    from areas import services

    field = VillageField(queryset=Village.objects.all())
    assert field.clean("Thôn Nà Pài") == villages["ban_thi"]
    services.village_create(
        actor=admin_user,
        commune=AdministrativeUnit.objects.get(tree="pre2025", code="01876"),
        name="Thôn Nà Pài",
        kind="village",
        from_year=2016,
    )
    with pytest.raises(Exception) as refused:
        field.clean("Thôn Nà Pài")
    assert "Có nhiều hơn một kết quả tên “Thôn Nà Pài”" in str(refused.value)


def test_a_unit_field_outside_the_offered_units_names_nothing(villages):
    field = UnitField(queryset=AdministrativeUnit.objects.filter(code="01843"), kind="commune")
    assert field.clean("2025:01843").code == "01843"
    with pytest.raises(Exception) as refused:
        field.clean("2025:01840")
    assert "Không tìm thấy xã “2025:01840”" in str(refused.value)


def test_without_javascript_the_picker_is_a_text_input_with_the_name_and_commune_beside_it(villages):
    widget = Picker("village")
    widget.queryset = Village.objects.all()
    html = widget.render("village", "01837-001")
    assert 'name="village"' in html and 'value="01837-001"' in html
    assert "Tổ dân phố 1 · Phường Bắc Kạn" in html
    assert "<script>" not in html  # the content security policy allows no inline script
    assert 'src="/static/areas/picker.js"' in html


def test_area_classes_take_the_units_a_picker_sends_as_tree_and_code(client_for, personas):
    from areas.models import AreaClassMembership

    client = client_for(personas["old_province_officer"])
    response = client.post(
        reverse("areas:area_classes"),
        {"area_class": 1, "year": 2020, "tree": "2025", "unit_codes": "pre2025:01837 pre2025:02035"},
    )
    assert response.status_code == 302
    assert sorted(AreaClassMembership.objects.values_list("unit__tree", "unit__code")) == [
        ("pre2025", "01837"),
        ("pre2025", "02035"),
    ]


def test_a_picker_of_several_lists_the_names_of_the_codes_it_holds(villages):
    from areas.widgets import PickerMany

    widget = PickerMany("village")
    widget.queryset = Village.objects.all()
    html = widget.render("village_codes", "01837-001 01837-002 99999-999")
    assert 'value="01837-001 01837-002 99999-999"' in html  # without JavaScript: the codes, as typed
    assert 'data-value="01837-001">Tổ dân phố 1 · Phường Bắc Kạn</span>' in html
    assert 'data-value="99999-999"' not in html  # a code that names nothing gets no name

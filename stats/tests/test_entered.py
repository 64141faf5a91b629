"""Entered totals: typed in on a page or imported from Excel, with the same checks; bad input changes
nothing and says why in Vietnamese."""

import io
import re

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from conftest import unit
from stats import services
from stats.models import EnteredAggregate, Fact

pytestmark = pytest.mark.django_db


def province_value(year, title, measure, code="19", tree="2025"):
    fact = Fact.objects.filter(unit=unit(tree, code), year=year, title=title, measure=measure).first()
    return fact.value if fact else 0


def test_a_commune_officer_enters_a_total_on_the_page(client_for, personas, reform_year):
    client = client_for(personas["commune_officer"])
    response = client.post(
        "/statistics/entered/",
        {"area": "01843", "year": reform_year, "title": "clan", "measure": "base", "value": 14, "note": "Sổ theo dõi"},
    )
    assert response.status_code == 302
    assert province_value(reform_year, "clan", "base") == 14
    aggregate = EnteredAggregate.objects.get()
    assert AuditEntry.objects.filter(action="aggregate.save", object_id=str(aggregate.pk)).exists()
    page = client.get("/statistics/entered/", {"area": "2025:01843"})
    assert "Sổ theo dõi" in page.content.decode()
    client.post(f"/statistics/entered/{aggregate.pk}/delete/", {"version": aggregate.version})
    assert province_value(reform_year, "clan", "base") == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"area": "01840"}, "area"),  # another commune
        ({"area": "99999"}, "area"),
        ({"value": -1}, "value"),
        ({"measure": "population"}, None),  # entered in the area's yearly figures
        ({"title": "", "measure": "registered"}, None),
    ],
)
def test_bad_totals_are_refused_and_change_nothing(client_for, personas, reform_year, fields, field):
    data = {"area": "01843", "year": reform_year, "title": "clan", "measure": "base", "value": 3, **fields}
    response = client_for(personas["commune_officer"]).post("/statistics/entered/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors if field is None else field in form.errors
    assert not EnteredAggregate.objects.exists()
    assert not Fact.objects.filter(entered__isnull=False).exists()


@pytest.mark.parametrize("persona", ["viewer", "village_officer"])
def test_only_officers_enter_totals(personas, persona, reform_year):
    with pytest.raises(PermissionDenied):
        services.aggregate_save(
            actor=personas[persona], unit=unit("2025", "01843"), year=reform_year, title="clan", measure="base", value=1
        )


def test_a_district_officer_cannot_enter_for_another_district(personas):
    with pytest.raises(ValidationError):
        services.aggregate_save(
            actor=personas["district_officer"],
            unit=unit("pre2025", "060"),
            year=2018,
            title="clan",
            measure="base",
            value=1,
        )


def _sheet(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã địa bàn", "Tên địa bàn", "Năm", "Danh hiệu", "Chỉ tiêu", "Giá trị", "Ghi chú"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_history_imported_from_excel_reaches_the_province_and_a_second_upload_changes_nothing(
    upload, commit, personas, villages
):
    content = _sheet(
        [
            ["01837", "Phường Sông Cầu", 2018, "Gia đình học tập", "Được công nhận", 410, "Báo cáo 2018"],
            ["01837", "Phường Sông Cầu", 2018, "Gia đình học tập", "Đã đăng ký", 450, ""],
            [villages["ban_thi"].code, "", 2018, "household", "recognised", 35, ""],
            ["064", "Huyện Chợ Đồn", 2017, "", "Hội khuyến học cấp xã", 22, ""],
        ]
    )
    client, job = upload("aggregates", content, "so-lieu.xlsx", "old_province_officer")
    assert job.error_count == 0, job.errors
    assert job.counts["create"] == 4
    commit(client, job)
    assert province_value(2018, "household", "recognised", code="06", tree="pre2025") == 445
    assert province_value(2017, "", "associations_commune", code="06", tree="pre2025") == 22
    _client, again = upload("aggregates", content, "so-lieu.xlsx", "old_province_officer")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 4}


def test_the_check_names_each_figure_it_would_add_or_change(upload, commit, personas, villages):
    """A new total reads as its history entry (area, year, title, figure, value); a changed one says which
    figure of which area and year beside its value before and after."""
    first = ["01837", "Phường Sông Cầu", 2018, "Gia đình học tập", "Được công nhận", 410, "Báo cáo 2018"]
    client, job = upload("aggregates", _sheet([first]), "so-lieu.xlsx", "old_province_officer")
    page = _text(client.get(reverse("imports:job", args=[job.pk])))
    assert "Năm: 2018" in page and "Danh hiệu: Gia đình học tập" in page and "Giá trị: 410" in page
    assert re.search(r"Chỉ tiêu: Được công nhận", page)
    commit(client, job)
    changed = [*first[:5], 1520, "Báo cáo 2018, sửa"]
    client, job = upload("aggregates", _sheet([changed]), "so-lieu.xlsx", "old_province_officer")
    assert job.counts["update"] == 1
    page = _text(client.get(reverse("imports:job", args=[job.pk])))
    assert "01837 · 2018 · Gia đình học tập — Được công nhận" in page
    assert "Giá trị: 410 → 1.520" in page
    assert "Nguồn hoặc ghi chú: Báo cáo 2018 → Báo cáo 2018, sửa" in page


def _text(response) -> str:
    html = re.sub(r"</?(b|small)>", "", response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_import_with_any_bad_row_saves_nothing(upload, personas):
    content = _sheet(
        [
            ["01837", "", 2018, "Gia đình học tập", "Được công nhận", 410, ""],
            ["01837", "", 2018, "Gia đình học tập", "Được công nhận", 5, ""],  # the same figure twice
            ["01837", "", 2018, "Không có", "Được công nhận", 5, ""],
            ["01837", "", 2018, "Gia đình học tập", "Dân số", 5, ""],
            ["01837", "", 2018, "Gia đình học tập", "Đã đăng ký", -2, ""],
            ["19", "", 2018, "Gia đình học tập", "Đã đăng ký", 2, ""],  # the 2025 province in 2018
        ]
    )
    _client, job = upload("aggregates", content, "so-lieu.xlsx", "old_province_officer")
    assert job.error_count == 5
    assert {e["row"] for e in job.errors} == {3, 4, 5, 6, 7}
    assert not EnteredAggregate.objects.exists()


def test_a_village_total_is_picked_by_the_village_and_an_area_of_the_other_tree_is_refused(
    client_for, personas, villages, reform_year
):
    client = client_for(personas["commune_officer"])
    village = villages["song_cau_1"]
    base = {"year": reform_year, "title": "household", "measure": "registered", "value": 40, "note": ""}
    both = client.post("/statistics/entered/", {**base, "area": "2025:01843", "village": village.code})
    assert "village" in both.context["form"].errors
    neither = client.post("/statistics/entered/", {**base, "area": "", "village": ""})
    assert "area" in neither.context["form"].errors
    old_tree = client.post("/statistics/entered/", {**base, "area": "pre2025:01837"})
    assert "cây" in " ".join(old_tree.context["form"].errors["area"])
    assert not EnteredAggregate.objects.exists()
    saved = client.post("/statistics/entered/", {**base, "area": "", "village": village.code})
    assert saved.status_code == 302
    assert EnteredAggregate.objects.get().village == village

"""Households: codes issued by the system, shared validation, scoped pages and API, full history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from audit.models import AuditEntry
from registry import services
from registry.models import Household
from registry.validation import clean_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(villages, admin_user):
    return [
        services.household_create(
            actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
        ),
        services.household_create(
            actor=admin_user, village=villages["song_cau_1"], head_name="Đinh Thị Bình", members=6
        ),
        services.household_create(actor=admin_user, village=villages["ban_thi"], head_name="Lý Văn Cường", members=3),
    ]


def test_codes_are_the_village_code_and_a_number(households):
    assert [h.code for h in households] == ["01837-001-0001", "01837-001-0002", "02035-001-0001"]


@pytest.mark.parametrize("value, expected", [("5", 5), (5, 5), (5.0, 5), (" 12 ", 12)])
def test_members_accept_what_spreadsheets_send(value, expected):
    assert clean_members(value) == expected


@pytest.mark.parametrize("value", ["-1", 0, 2.5, "năm", "", None, True, 100])
def test_members_refuse_what_is_not_a_household_size(value):
    with pytest.raises(ValidationError):
        clean_members(value)


@given(st.integers(min_value=-1000, max_value=1000))
def test_members_are_accepted_exactly_from_1_to_99(number):
    try:
        assert clean_members(number) == number and 1 <= number <= 99
    except ValidationError:
        assert not 1 <= number <= 99


def test_an_edit_records_before_and_after(households, admin_user):
    household = households[0]
    services.household_update(
        actor=admin_user,
        household=household,
        version=household.version,
        village=household.village,
        head_name="Hoàng Văn Ân",
        members=5,
        is_active=True,
    )
    entry = AuditEntry.objects.filter(action="household.update", object_id=str(household.pk)).get()
    assert entry.before == {"village": "01837-001", "head_name": "Hoàng Văn An", "members": 4, "is_active": True}
    assert entry.after["head_name"] == "Hoàng Văn Ân" and entry.after["members"] == 5


def test_saving_without_a_change_writes_no_history(households, admin_user):
    household = households[0]
    services.household_update(
        actor=admin_user,
        household=household,
        version=household.version,
        village=household.village,
        head_name=household.head_name,
        members=household.members,
        is_active=True,
    )
    assert not AuditEntry.objects.filter(action="household.update").exists()


def test_the_village_officer_sees_only_their_villages_households(client_for, personas, households):
    page = client_for(personas["village_officer"]).get(reverse("registry:households"))
    assert [h.code for h in page.context["page"]] == ["01837-001-0002", "01837-001-0001"]  # Đinh before Hoàng
    other = client_for(personas["village_officer"]).get(reverse("registry:household", args=["02035-001-0001"]))
    assert other.status_code == 404


def test_search_by_head_of_household_without_diacritics(client_for, personas, households):
    page = client_for(personas["old_province_officer"]).get(reverse("registry:households"), {"q": "dinh thi binh"})
    assert [h.code for h in page.context["page"]] == ["01837-001-0002"]


def test_a_village_officer_adds_a_household_in_their_village(client_for, personas, households):
    client = client_for(personas["village_officer"])
    response = client.post(
        reverse("registry:household_create"), {"village": "01837-001", "head_name": " Lò  Văn Dũng ", "members": "7"}
    )
    assert response.status_code == 302
    assert Household.objects.get(code="01837-001-0003").head_name == "Lò Văn Dũng"


def test_a_village_officer_cannot_add_to_another_village(client_for, personas, households):
    response = client_for(personas["village_officer"]).post(
        reverse("registry:household_create"), {"village": "02035-001", "head_name": "Lò Văn E", "members": "2"}
    )
    assert response.status_code == 200
    assert "Không tìm thấy thôn “02035-001” trong địa bàn của bạn." in response.content.decode()
    assert Household.objects.count() == 3


def test_a_negative_member_count_is_refused_in_vietnamese_and_saves_nothing(client_for, personas, households):
    response = client_for(personas["commune_officer"]).post(
        reverse("registry:household", args=["01837-001-0001"]),
        {"village": "01837-001", "head_name": "Hoàng Văn An", "members": "-3", "is_active": "on", "version": "1"},
    )
    assert response.status_code == 200
    assert Household.objects.get(code="01837-001-0001").members == 4


def test_viewers_see_households_but_cannot_change_them(client_for, personas, households):
    client = client_for(personas["viewer"])
    assert client.get(reverse("registry:household", args=["01837-001-0001"])).status_code == 200
    response = client.post(
        reverse("registry:household", args=["01837-001-0001"]),
        {"village": "01837-001", "head_name": "X", "members": "1"},
    )
    assert response.status_code == 403
    assert client.get(reverse("registry:household_create")).status_code == 403


def test_the_api_lists_creates_and_updates_through_the_services(personas, households):
    api = APIClient()
    api.force_authenticate(personas["commune_officer"])
    listing = api.get("/api/v1/households/").json()
    # In the order of the households page: by village, then the head's name (Đinh before Hoàng).
    assert [h["code"] for h in listing["results"]] == ["01837-001-0002", "01837-001-0001"]
    created = api.post("/api/v1/households/", {"village": "01837-002", "head_name": "Nông Thị G", "members": 2})
    assert created.status_code == 201 and created.json()["code"] == "01837-002-0001"
    updated = api.patch("/api/v1/households/01837-002-0001/", {"members": 3, "version": 1}, format="json")
    assert updated.json()["members"] == 3
    assert AuditEntry.objects.filter(action__startswith="household.", object_type="registry.household").count() == 5
    refused = api.post("/api/v1/households/", {"village": "02035-001", "head_name": "X", "members": 2})
    assert refused.status_code == 400
    api.force_authenticate(personas["viewer"])
    assert api.patch("/api/v1/households/01837-001-0001/", {"members": 9}, format="json").status_code == 403


def test_the_xlsx_export_holds_the_filtered_households_with_numbers_as_numbers(client_for, personas, households):
    import io

    from python_calamine import CalamineWorkbook

    response = client_for(personas["commune_officer"]).get(
        reverse("registry:household_export", args=["xlsx"]), {"village": "01837-001"}
    )
    content = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["Mã hộ", "Mã thôn", "Tên thôn", "Chủ hộ", "Số nhân khẩu", "Còn sinh sống"]
    assert rows[1:] == [
        ["01837-001-0001", "01837-001", "Tổ dân phố 1", "Hoàng Văn An", 4.0, "Có"],
        ["01837-001-0002", "01837-001", "Tổ dân phố 1", "Đinh Thị Bình", 6.0, "Có"],
    ]


def test_the_csv_export_is_scoped_and_opens_in_excel(client_for, personas, households):
    import csv
    import io

    response = client_for(personas["district_officer"]).get(reverse("registry:household_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1:] == [["02035-001-0001", "02035-001", "Thôn Nà Pài", "Lý Văn Cường", "3", "Có"]]


def test_an_unknown_export_format_is_404(client_for, personas):
    response = client_for(personas["commune_officer"]).get("/registry/households/export.pdf", follow=True)
    assert response.status_code == 404


def test_the_history_of_a_household_through_the_api(personas, households, admin_user):
    household = households[0]
    services.household_update(
        actor=admin_user,
        household=household,
        version=household.version,
        village=household.village,
        head_name="Hoàng Văn An",
        members=7,
        is_active=True,
    )
    api = APIClient()
    api.force_authenticate(personas["commune_officer"])
    history = api.get(f"/api/v1/households/{household.code}/history/").json()["results"]
    assert [entry["action"] for entry in history] == ["household.update", "household.create"]
    assert (history[0]["before"]["members"], history[0]["after"]["members"]) == (4, 7)
    api.force_authenticate(personas["other_commune_officer"])
    assert api.get(f"/api/v1/households/{household.code}/history/").status_code == 404

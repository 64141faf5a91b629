"""Households from Excel: upload → check (nothing written) → save (all or nothing); re-uploading changes nothing."""

import csv
import functools
import io

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from audit.models import AuditEntry
from imports.models import JobStatus
from registry import services
from registry.models import Household

pytestmark = pytest.mark.django_db

HEADER = ["Mã hộ", "Mã thôn", "Tên thôn", "Chủ hộ", "Số nhân khẩu", "Còn sinh sống"]


def workbook(rows):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Hộ gia đình")
    for r, row in enumerate([HEADER, *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def csv_file(rows):
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@pytest.fixture
def upload(upload):
    """The shared upload, to the households import."""
    return functools.partial(upload, "households")


ROWS = [
    ["", "01837-001", "Tổ dân phố 1", "Hoàng Văn An", 4, "Có"],
    ["", "01837-001", "", "Đinh Thị Bình", 6.0, ""],
    ["", "01837-002", "", "Lý Văn Cường", "3", "Không"],
]


def test_check_writes_nothing_then_save_creates_with_codes(upload, commit):
    client, job = upload(workbook(ROWS))
    assert job.status == JobStatus.PREVIEWED
    assert job.counts == {"create": 3, "update": 0, "unchanged": 0}
    assert Household.objects.count() == 0
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED
    assert sorted(Household.objects.values_list("code", "head_name", "members", "is_active")) == [
        ("01837-001-0001", "Hoàng Văn An", 4, True),
        ("01837-001-0002", "Đinh Thị Bình", 6, True),
        ("01837-002-0001", "Lý Văn Cường", 3, False),
    ]
    assert AuditEntry.objects.filter(action="import.commit", object_id=str(job.pk)).get().after["create"] == 3


def test_uploading_the_same_file_again_changes_nothing(upload, commit):
    client, job = upload(workbook(ROWS))
    commit(client, job)
    client, again = upload(workbook(list(reversed(ROWS))))
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3}
    commit(client, again)
    assert Household.objects.count() == 3


def test_an_exported_file_edited_and_uploaded_updates_by_code_with_history(
    upload, client_for, personas, admin_user, villages, commit
):
    services.household_create(actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4)
    services.household_create(actor=admin_user, village=villages["song_cau_1"], head_name="Đinh Thị Bình", members=6)
    exported = client_for(personas["commune_officer"]).get(reverse("registry:household_export", args=["xlsx"]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(exported.streaming_content))).get_sheet_by_index(0)
    rows = rows.to_python()
    rows[1][4] = 5  # Hoàng Văn An's household has a new member
    client, job = upload(workbook(rows[1:]))
    assert job.counts == {"create": 0, "update": 1, "unchanged": 1}
    assert job.samples["update"][0]["before"]["members"] == 4
    commit(client, job)
    household = Household.objects.get(code="01837-001-0001")
    assert household.members == 5
    entry = AuditEntry.objects.get(action="household.update", object_id=str(household.pk))
    assert (entry.before["members"], entry.after["members"]) == (4, 5)
    assert entry.source == job.audit_source
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Hoàng Văn An (01837-001-0001)" in page and "4 → 5" in page
    assert "Đinh Thị Bình" not in page  # unchanged rows are not listed as changes


def test_every_bad_row_is_reported_with_its_place_and_nothing_can_be_saved(upload, commit):
    bad = [
        ["", "01837-001", "", "Hoàng Văn An", -2, "Có"],
        ["", "99999-999", "", "Người Lạ", 3, "Có"],
        ["", "02035-001", "", "Ngoài Địa Bàn", 3, "Có"],
        ["", "01837-001", "", "", 3, "Có"],
        ["", "01837-001", "", "Đinh Thị Bình", 2, "Có"],
        ["", "01837-001", "", "đinh thị bình", 2, "Có"],
        ["01837-001-9999", "01837-001", "", "Mã Lạ", 2, "Có"],
        ["", "01837-001", "", "Lò Văn Hải", 2, "Chắc vậy"],
    ]
    client, job = upload(csv_file(bad), name="ho.csv")
    assert job.status == JobStatus.INVALID
    places = {(e["row"], e["column"]) for e in job.errors}
    assert places == {
        (2, "Số nhân khẩu"),
        (3, "Mã thôn"),
        (4, "Mã thôn"),
        (5, "Chủ hộ"),
        (7, "Mã hộ"),
        (8, "Mã hộ"),
        (9, "Còn sinh sống"),
    }
    assert {e["sheet"] for e in job.errors} == {"CSV"}
    assert "Một hộ có ít nhất một nhân khẩu." in [e["message"] for e in job.errors]
    response = client.post(reverse("imports:commit", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.INVALID and Household.objects.count() == 0


def test_a_broken_file_fails_the_check_with_a_clear_message(upload):
    client, job = upload(b"PK\x03\x04garbage", name="ho.xlsx")
    assert job.status == JobStatus.INVALID
    assert "Tệp bị hỏng" in job.message
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Tệp bị hỏng" in page


def test_a_wrong_template_names_the_missing_columns(upload):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet().write_row(0, 0, ["Tên đăng nhập", "Họ và tên"])
    book.close()
    _, job = upload(buffer.getvalue())
    assert job.status == JobStatus.INVALID and "“Mã thôn”" in job.message and "“Tên đăng nhập”" in job.message


def test_viewers_cannot_import_and_jobs_are_private(client_for, personas, upload):
    viewer = client_for(personas["viewer"])
    assert viewer.get(reverse("imports:new", args=["households"])).status_code == 403
    _, job = upload(workbook(ROWS))
    other = client_for(personas["other_commune_officer"])
    assert other.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert other.post(reverse("imports:commit", args=[job.pk])).status_code == 404


def test_the_template_lists_the_villages_of_the_area(client_for, personas):
    response = client_for(personas["commune_officer"]).get(reverse("imports:template", args=["households"]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.get_sheet_by_index(0).to_python()[0] == HEADER
    assert book.get_sheet_by_name("Thôn").to_python()[1:] == [
        ["01837-001", "Tổ dân phố 1"],
        ["01837-002", "Tổ dân phố 2"],
    ]


def test_an_unknown_kind_is_404(client_for, personas):
    assert client_for(personas["commune_officer"]).get("/imports/tanks/new/").status_code == 404


def test_a_household_added_by_someone_else_after_the_check_stops_the_save(upload, admin_user, villages, commit):
    client, job = upload(workbook(ROWS))
    assert job.counts["create"] == 3
    services.household_create(actor=admin_user, village=villages["song_cau_2"], head_name="Lý Văn Cường", members=3)
    job = commit(client, job)
    assert job.status == JobStatus.FAILED and "thay đổi" in job.message
    assert list(Household.objects.values_list("head_name", flat=True)) == ["Lý Văn Cường"]


def test_a_household_edited_by_someone_else_after_the_check_is_not_overwritten(upload, admin_user, villages, commit):
    household = services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
    )
    client, job = upload(workbook([[household.code, "01837-001", "", "Hoàng Văn An", 5, "Có"], ROWS[1]]))
    assert job.counts == {"create": 1, "update": 1, "unchanged": 0}
    services.household_update(
        actor=admin_user,
        household=household,
        version=household.version,
        village=household.village,
        head_name="Hoàng Văn An",
        members=7,
        is_active=True,
    )
    job = commit(client, job)
    assert job.status == JobStatus.FAILED
    household.refresh_from_db()
    assert household.members == 7 and Household.objects.count() == 1


def test_a_row_without_a_code_finds_its_household_in_a_full_village_ignoring_case(upload, commit, admin_user, villages):
    # Six households and one row: the lookup goes by the (village, sort key) index, not village-wide.
    for name in ["Hoàng Văn An", "Đinh Thị Bình", "Lý Văn Cường", "Ma Văn Dũng", "Hà Thị Giang", "Bế Văn Hải"]:
        services.household_create(actor=admin_user, village=villages["song_cau_1"], head_name=name, members=4)
    client, job = upload(workbook([["", "01837-001", "", "MA VĂN DŨNG", 5, "Có"]]))
    assert job.counts == {"create": 0, "update": 1, "unchanged": 0}
    assert commit(client, job).status == JobStatus.COMMITTED
    assert Household.objects.count() == 6 and Household.objects.get(head_name="MA VĂN DŨNG").members == 5

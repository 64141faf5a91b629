"""Learning citizens from a spreadsheet: the same validators as the form, row and column named for every
error in Vietnamese, nothing saved on any error, re-uploads idempotent, the user's scope applied."""

import csv
import functools
import io
import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from imports.models import JobStatus
from registry import services
from registry.citizens import citizen_create, snapshot
from registry.exports_citizens import CITIZEN_COLUMNS
from registry.models import Citizen, TargetGroup

pytestmark = pytest.mark.django_db


def csv_file(rows):
    out = io.StringIO()
    csv.writer(out).writerows([CITIZEN_COLUMNS, *rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@pytest.fixture
def upload(upload):
    return functools.partial(upload, "citizens")


ROWS = [
    ["", "01837-001", "", "Hoàng Thị Mai", "1985", "Nữ", "", "", "Có"],
    ["", "01837-002", "", "Đinh Văn Sơn", 1979, "Nam", "", "", ""],
]


def test_the_import_creates_with_codes_then_changes_nothing_again(upload, commit):
    client, job = upload(csv_file(ROWS), "cd.csv")
    assert job.status == JobStatus.PREVIEWED and job.counts == {"create": 2, "update": 0, "unchanged": 0}
    assert not Citizen.objects.exists()
    commit(client, job)
    assert sorted(Citizen.objects.values_list("code", "full_name", "birth_year", "sex")) == [
        ("01837-001-CD-0001", "Hoàng Thị Mai", 1985, "female"),
        ("01837-002-CD-0001", "Đinh Văn Sơn", 1979, "male"),
    ]
    assert AuditEntry.objects.filter(action="citizen.create").count() == 2
    _client, again = upload(csv_file(ROWS), "cd.csv")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2}


def test_each_new_persons_history_entry_is_the_one_the_form_writes(upload, commit, villages, admin_user):
    """The import writes its entries' JSON from their parts (registry.citizens.snapshot_json): the same
    entry as the one-person service's, with the household and target group by code."""
    TargetGroup.objects.create(code="nong-dan", name="Nông dân")
    household = services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn Đức", members=4
    )
    rows = [
        ["", "01837-001", "", 'Hoàng Thị "Mai"\\ Út', 1985, "Nữ", household.code, "Nông dân", "Không"],
        ["", "01837-002", "", "Đinh Văn Sơn", 1979, "Nam", "", "", ""],
    ]
    client, job = upload(csv_file(rows), "cd.csv")
    assert job.counts["create"] == 2, job.errors
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    for citizen in Citizen.objects.select_related("village", "household", "target_group"):
        entry = AuditEntry.objects.get(action="citizen.create", object_id=str(citizen.pk))
        assert entry.after == snapshot(citizen)
    mai = Citizen.objects.get(household=household)
    assert (mai.full_name, mai.search_name, mai.is_active) == ('Hoàng Thị "Mai"\\ Út', 'hoang thi "mai"\\ ut', False)
    assert snapshot(mai)["target_group"] == "nong-dan"


def text_of(response) -> str:
    html = re.sub(r"</?(b|small)>", "", response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_check_shows_new_and_changed_persons_in_words_and_each_saved_one_links_to_its_page(
    upload, commit, villages, admin_user
):
    """What a check would do is worded as the persons' history is: field labels and "Nữ", never the
    stored keys (full_name, sex: female)."""
    citizen_create(
        actor=admin_user, village=villages["song_cau_1"], full_name="Đinh Văn Sơn", birth_year=1979, sex="Nam"
    )
    changed = Citizen.objects.get()
    rows = [ROWS[0], [changed.code, "01837-001", "", "Đinh Văn Sơn", 1979, "Nam", "", "", "Không"]]
    client, job = upload(csv_file(rows), "cd.csv")
    assert job.counts == {"create": 1, "update": 1, "unchanged": 0}, job.errors
    page = text_of(client.get(reverse("imports:job", args=[job.pk])))
    assert "Họ và tên: Hoàng Thị Mai" in page and "Năm sinh: 1985" in page and "Giới tính: Nữ" in page
    assert re.search(r"Còn sinh sống tại địa phương: Có → Không", page)
    for stored in ("full_name", "birth_year", "is_active", "female", "target_group"):
        assert stored not in page
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    for citizen in Citizen.objects.all():
        assert f'href="{reverse("registry:citizen", args=[citizen.code])}"' in page


def test_a_person_without_a_village_names_the_row_and_column_and_nothing_is_saved(upload):
    TargetGroup.objects.create(code="nong-dan", name="Nông dân")
    rows = [
        *ROWS,
        ["", "", "", "Ma Văn Tư", 1980, "Nam", "", "", ""],
        ["", "01837-002", "", "Lý Văn Năm", 1850, "Nam", "", "công nhân", ""],
        ["", "01837-001", "", "Ma Thị Sáu", 1991, "Nữ", "02035-001-0001", "nông dân", ""],
    ]
    _client, job = upload(csv_file(rows), "cd.csv")
    assert job.status == JobStatus.INVALID
    places = {(e["row"], e["column"]) for e in job.errors}
    assert places == {(4, "Mã thôn"), (5, "Năm sinh"), (5, "Nhóm đối tượng"), (6, "Mã hộ")}
    message = next(e["message"] for e in job.errors if e["row"] == 4)
    assert message.startswith("Nhập thôn")
    assert not Citizen.objects.exists()


def test_repeated_cells_are_checked_once_yet_every_bad_cell_is_named(upload, commit):
    """The year, sex, target group and still-living cells repeat in thousands of rows and are checked once
    per combination; a bad cell is still an error of its own row and column, every time it appears."""
    rows = [
        ["", "01837-001", "", "Lò Thị A", "1985", "Nữ", "", "", "Có"],
        ["", "01837-001", "", "Lò Thị B", "1985", "Nữ", "", "", "Chưa rõ"],
        ["", "01837-002", "", "Lò Thị C", "1985", "Nữ", "", "", "Chưa rõ"],
        ["", "01837-002", "", "Lò Văn D", 1985, "nam", "", "", "có"],
        ["", "01837-002", "", "Lò Thị E", "1985", "Nu", "", "", "Có"],
    ]
    _client, job = upload(csv_file(rows), "cd.csv")
    assert job.status == JobStatus.INVALID
    assert {(e["row"], e["column"]) for e in job.errors} == {(3, "Còn sinh sống"), (4, "Còn sinh sống")}
    client, job = upload(csv_file([rows[0], *rows[3:]]), "cd.csv")
    assert job.counts["create"] == 3, job.errors
    commit(client, job)
    assert sorted(Citizen.objects.values_list("full_name", "birth_year", "sex", "is_active")) == [
        ("Lò Thị A", 1985, "female", True),
        ("Lò Thị E", 1985, "female", True),
        ("Lò Văn D", 1985, "male", True),
    ]


def test_a_row_naming_two_persons_of_one_name_and_year_asks_for_the_code(upload, villages, admin_user):
    for _ in range(2):
        citizen_create(
            actor=admin_user, village=villages["song_cau_1"], full_name="Hoàng Thị Mai", birth_year=1985, sex="Nữ"
        )
    _client, job = upload(csv_file([["", "01837-001", "", "hoàng thị mai", 1985, "Nữ", "", "", ""]]), "cd.csv")
    assert job.status == JobStatus.INVALID
    [error] = job.errors
    assert (error["row"], error["column"]) == (2, "Mã công dân")
    assert error["message"] == "Tổ dân phố 1 có nhiều người tên hoàng thị mai sinh năm 1985: hãy ghi mã công dân."
    assert Citizen.objects.count() == 2


def test_a_village_officer_imports_their_village_only(upload):
    _client, job = upload(csv_file(ROWS), "cd.csv", "village_officer")
    assert job.status == JobStatus.INVALID
    assert {(e["row"], e["column"]) for e in job.errors} == {(3, "Mã thôn")}


def test_viewers_may_not_import_persons(personas, client_for):
    assert client_for(personas["viewer"]).get(reverse("imports:new", args=["citizens"])).status_code == 403

"""The learning citizens' import keeps what its check found and only writes it at the save, as the
households' does (issue 15's speed goal): what another user changed in between is caught at the save,
which then fails with nothing saved; the figures it keeps are those a rebuild counts."""

import pytest

from audit.models import AuditEntry
from evaluations.demo_sets import build_illustration_sets
from imports.models import JobStatus
from imports.tests.test_citizen_import import csv_file
from registry import services
from registry.citizens import citizen_create, citizen_update
from stats.citizen_bounds import bounds_save
from stats.tests.test_citizen_figures import approved
from stats.tests.test_citizen_villages_and_base import equal_to_a_rebuild
from stats.tests.test_facts import value

pytestmark = pytest.mark.django_db

CHANGED = "Dữ liệu đã thay đổi sau khi kiểm tra nên chưa lưu gì."  # the save's message, in Vietnamese


def test_a_person_registered_by_someone_else_since_the_check_fails_the_save(
    upload, commit, villages, admin_user, reform_year
):
    rows = [
        ["", "01837-001", "", "Hoàng Thị Mai", "1985", "Nữ", "", "", "Có"],
        ["", "01837-002", "", "Đinh Văn Sơn", 1979, "Nam", "", "", ""],
    ]
    client, job = upload("citizens", csv_file(rows), "cd.csv")
    assert job.counts == {"create": 2, "update": 0, "unchanged": 0}, job.errors
    mai = citizen_create(
        actor=admin_user, village=villages["song_cau_1"], full_name="HOÀNG THỊ MAI", birth_year=1985, sex="Nữ"
    )
    job = commit(client, job)
    assert (job.status, job.message[: len(CHANGED)]) == (JobStatus.FAILED, CHANGED)
    assert list(villages["song_cau_1"].citizens.all()) == [mai]
    assert not villages["song_cau_2"].citizens.exists()
    assert not AuditEntry.objects.filter(source=job.audit_source).exists()


def test_a_person_changed_since_the_check_is_not_changed_again(upload, commit, villages, admin_user):
    mai = citizen_create(
        actor=admin_user, village=villages["song_cau_1"], full_name="Hoàng Thị Mai", birth_year=1985, sex="Nữ"
    )
    new = ["", "01837-002", "", "Đinh Văn Sơn", 1979, "Nam", "", "", ""]
    client, job = upload(
        "citizens", csv_file([[mai.code, "01837-001", "", "Hoàng Thị Mai", 1986, "Nữ", "", "", ""], new]), "cd.csv"
    )
    assert job.counts == {"create": 1, "update": 1, "unchanged": 0}, job.errors
    citizen_update(
        actor=admin_user,
        citizen=mai,
        version=mai.version,
        village=mai.village,
        full_name="Hoàng Thị Mai",
        birth_year=1984,
        sex="Nữ",
        household=None,
        target_group=None,
        is_active=True,
    )
    job = commit(client, job)
    assert (job.status, job.message[: len(CHANGED)]) == (JobStatus.FAILED, CHANGED)
    mai.refresh_from_db()
    assert (mai.birth_year, mai.version) == (1984, 2)
    assert not villages["song_cau_2"].citizens.exists()
    assert not AuditEntry.objects.filter(source=job.audit_source).exists()


def test_a_household_moved_to_another_village_since_the_check_fails_the_save(upload, commit, villages, admin_user):
    first, second = villages["song_cau_1"], villages["song_cau_2"]
    household = services.household_create(actor=admin_user, village=first, head_name="Hoàng Văn Lộc", members=4)
    rows = [["", first.code, "", "Hoàng Thị Mai", 1985, "Nữ", household.code, "", ""]]
    client, job = upload("citizens", csv_file(rows), "cd.csv")
    assert job.counts == {"create": 1, "update": 0, "unchanged": 0}, job.errors
    services.household_update(
        actor=admin_user,
        household=household,
        version=household.version,
        village=second,
        head_name=household.head_name,
        members=4,
        is_active=True,
    )
    job = commit(client, job)
    assert (job.status, job.message[: len(CHANGED)]) == (JobStatus.FAILED, CHANGED)
    assert not first.citizens.exists()


def test_new_and_moved_persons_are_counted_as_a_rebuild_counts_them(upload, commit, villages, admin_user, reform_year):
    """A person moving to another village takes their evaluation along; new persons join the base."""
    bounds_save(actor=admin_user, area=None, from_year=reform_year, to_year=None, min_age=15, max_age=None)
    citizen_set = build_illustration_sets(actor=admin_user)[0]["citizen"]
    first, second = villages["song_cau_1"], villages["song_cau_2"]
    mai = citizen_create(actor=admin_user, village=first, full_name="Hoàng Thị Mai", birth_year=1985, sex="Nữ")
    approved(admin_user, citizen_set, mai, reform_year)
    rows = [
        [mai.code, second.code, "", "Hoàng Thị Mai", 1985, "Nữ", "", "", "Có"],
        ["", second.code, "", "Ma Văn Tư", 1980, "Nam", "", "", ""],
        ["", first.code, "", "Đinh Văn Sơn", reform_year - 10, "Nam", "", "", ""],
        ["", first.code, "", "Lý Thị Năm", 1950, "Nữ", "", "", "Không"],
    ]
    client, job = upload("citizens", csv_file(rows), "cd.csv")
    assert job.counts == {"create": 3, "update": 1, "unchanged": 0}, job.errors
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    assert sorted(second.citizens.values_list("code", flat=True)) == [mai.code, f"{second.code}-CD-0001"]
    assert sorted(first.citizens.values_list("code", flat=True)) == [f"{first.code}-CD-0002", f"{first.code}-CD-0003"]
    assert value(second, reform_year, "citizen", "registered") == 1
    assert value(first, reform_year, "citizen", "registered") == 0
    # Mai and Tư are in the base of the second village; Sơn is under 15 and Năm no longer lives in the first.
    assert value(second, reform_year, "citizen", "base") == 2
    assert value(first, reform_year, "citizen", "base") == 0
    entries = AuditEntry.objects.filter(source=job.audit_source)
    assert sorted(entries.values_list("action", flat=True)) == ["citizen.create"] * 3 + ["citizen.update"]
    update = entries.get(action="citizen.update")
    assert (update.object_id, update.before["village"], update.after["village"]) == (
        str(mai.pk),
        first.code,
        second.code,
    )
    mai.refresh_from_db()
    assert mai.version == 2
    equal_to_a_rebuild()


def test_the_base_moves_in_every_opened_year_by_the_bounds_of_that_year(
    upload, commit, villages, admin_user, personas, reform_year
):
    """National bounds from the year before the reform (no upper age), Thái Nguyên's own from the reform
    (15–60): an import moving one person and adding two changes each opened year by its own bounds. A
    person leaving a village and another born the same year joining it leave that village's count as
    it was (the changes are netted per village and year of birth)."""
    before = reform_year - 1
    bounds_save(actor=admin_user, area=None, from_year=before, to_year=None, min_age=15, max_age=None)
    thai_nguyen = villages["song_cau_1"].placements.get(commune__tree="2025").commune.parent
    bounds_save(
        actor=personas["province_officer"],
        area=thai_nguyen,
        from_year=reform_year,
        to_year=None,
        min_age=15,
        max_age=60,
    )
    first, second = villages["song_cau_1"], villages["song_cau_2"]
    mai = citizen_create(actor=admin_user, village=first, full_name="Hoàng Thị Mai", birth_year=1985, sex="Nữ")
    assert [value(first, year, "citizen", "base") for year in (before, reform_year)] == [1, 1]
    rows = [
        [mai.code, second.code, "", "Hoàng Thị Mai", 1985, "Nữ", "", "", "Có"],
        ["", first.code, "", "Vũ Văn Bảy", 1985, "Nam", "", "", ""],
        ["", first.code, "", "Lò Thị Tám", reform_year - 70, "Nữ", "", "", ""],
    ]
    client, job = upload("citizens", csv_file(rows), "cd.csv")
    assert job.counts == {"create": 2, "update": 1, "unchanged": 0}, job.errors
    assert commit(client, job).status == JobStatus.COMMITTED
    # Before the reform the national bounds count Tám (69); from it Thái Nguyên's stop at 60.
    assert [value(first, year, "citizen", "base") for year in (before, reform_year)] == [2, 1]
    assert [value(second, year, "citizen", "base") for year in (before, reform_year)] == [1, 1]
    equal_to_a_rebuild()

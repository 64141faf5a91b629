"""The villages import keeps what its check found and only writes it at the save (issue 15's speed goal):
what another user changed in between is caught at the save, which then fails with nothing saved, as
when the save checked the file again."""

import pytest

from areas import services as area_services
from areas.models import Tree, Village
from audit.models import AuditEntry
from conftest import unit
from imports.models import JobStatus
from imports.tests.test_village_import import workbook
from stats.models import Fact
from stats.rebuild import rebuild_year

pytestmark = pytest.mark.django_db

CHANGED = "Dữ liệu đã thay đổi sau khi kiểm tra nên chưa lưu gì."  # the save's message, in Vietnamese


def village_base(year):
    return {f.unit_id: f.value for f in Fact.objects.filter(year=year, village=None, title="village", measure="base")}


def test_a_village_of_the_same_name_made_since_the_check_fails_the_save(upload, commit, admin_user, reform_year):
    rows = [["", "01843", "", "Thôn Nà Cù", "", ""], ["", "01840", "", "Thôn Khuổi Hẻo", "", ""]]
    client, job = upload("villages", workbook(rows), persona="province_officer")
    assert job.status == JobStatus.PREVIEWED, job.errors
    area_services.village_create(
        actor=admin_user, commune=unit(Tree.Y2025, "01843"), name="THÔN NÀ CÙ", kind="village", from_year=reform_year
    )
    figures = village_base(reform_year)
    job = commit(client, job)
    assert (job.status, job.message[: len(CHANGED)]) == (JobStatus.FAILED, CHANGED)
    assert not Village.objects.filter(name__in=["Thôn Nà Cù", "Thôn Khuổi Hẻo"]).exists()
    assert not AuditEntry.objects.filter(source=job.audit_source, action="village.create").exists()
    assert village_base(reform_year) == figures


def test_a_rename_onto_a_name_taken_since_the_check_fails_the_save(upload, commit, villages, admin_user, reform_year):
    tdp1 = villages["song_cau_1"]
    client, job = upload("villages", workbook([[tdp1.code, "01843", "", "Tổ dân phố 7", "", ""]]))
    assert job.counts == {"create": 0, "update": 1, "unchanged": 0}, job.errors
    area_services.village_create(
        actor=admin_user,
        commune=unit(Tree.Y2025, "01843"),
        name="Tổ dân phố 7",
        kind="residential_group",
        from_year=2026,
    )
    job = commit(client, job)
    assert (job.status, job.message[: len(CHANGED)]) == (JobStatus.FAILED, CHANGED)
    tdp1.refresh_from_db()
    assert (tdp1.name, tdp1.version) == ("Tổ dân phố 1", 1)


def test_a_village_renamed_since_the_check_is_not_renamed_again(upload, commit, villages, admin_user):
    tdp2 = villages["song_cau_2"]
    client, job = upload("villages", workbook([[tdp2.code, "01843", "", "Tổ dân phố Hai", "", ""]]))
    area_services.village_update(
        actor=admin_user, village=tdp2, version=tdp2.version, name="Tổ dân phố Số 2", kind=tdp2.kind
    )
    job = commit(client, job)
    assert (job.status, job.message[: len(CHANGED)]) == (JobStatus.FAILED, CHANGED)
    tdp2.refresh_from_db()
    assert tdp2.name == "Tổ dân phố Số 2"


def test_a_file_of_many_communes_is_counted_as_a_rebuild_counts_it(upload, commit, reform_year):
    """Every commune's count moves by its own villages, however many communes and rows the file holds."""
    rebuild_year(reform_year)
    before = village_base(reform_year)
    communes = ["01843", "01840", "01843", "01840", "01843"]
    rows = [["", code, "", f"Thôn Mới {n}", "", ""] for n, code in enumerate(communes)]
    client, job = upload("villages", workbook(rows), persona="province_officer")
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    kept = village_base(reform_year)
    assert kept[unit(Tree.Y2025, "01843").pk] == before.get(unit(Tree.Y2025, "01843").pk, 0) + 3
    assert kept[unit(Tree.Y2025, "01840").pk] == before.get(unit(Tree.Y2025, "01840").pk, 0) + 2
    province = unit(Tree.Y2025, "01843").parent
    assert kept[province.pk] == before[province.pk] + 5
    rebuild_year(reform_year)
    assert {pk: n for pk, n in village_base(reform_year).items() if n} == {pk: n for pk, n in kept.items() if n}

"""Villages from Excel (issue 15): check (nothing written) → save; re-uploading changes nothing; renames,
kinds and moves by code; duplicate names within a commune refused at their row and column, names that
differ only by diacritics a warning the officer confirms; communes outside the area refused."""

import io

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from areas.models import Tree, Village, VillagePlacement
from audit.models import AuditEntry
from conftest import unit
from imports.models import JobStatus
from stats.models import Fact
from stats.rebuild import rebuild_year

pytestmark = pytest.mark.django_db

HEADER = ["Mã thôn", "Mã xã", "Tên xã", "Tên thôn", "Loại", "Từ năm"]


def workbook(rows, header=HEADER):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def confirm(client, job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[job.pk]), {"warnings_confirmed": "1"})
    job.refresh_from_db()
    return job


def errors_at(job):
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


def in_commune(code, year=2025):
    return set(Village.objects.in_commune(unit(Tree.Y2025, code), year).values_list("name", flat=True))


def test_a_commune_officer_creates_villages_and_a_second_upload_changes_nothing(upload, commit, reform_year):
    rows = [
        ["", "01843", "Phường Bắc Kạn", "Tổ dân phố 3", "Tổ dân phố", ""],
        ["", "01843", "", "Thôn Nà Cù", "", ""],
        ["", "01843", "", "Bản Pác Nặm", "Bản, ấp, làng", 2026],
    ]
    client, job = upload("villages", workbook(rows))
    assert job.status == JobStatus.PREVIEWED, job.errors
    assert job.counts == {"create": 3, "update": 0, "unchanged": 0}
    assert not Village.objects.filter(name="Thôn Nà Cù").exists()
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    made = {v.name: v for v in Village.objects.filter(name__in=["Tổ dân phố 3", "Thôn Nà Cù", "Bản Pác Nặm"])}
    assert made["Tổ dân phố 3"].kind == "residential_group"
    assert made["Thôn Nà Cù"].kind == "village"
    assert made["Bản Pác Nặm"].kind == "hamlet"
    assert all(v.code.startswith("01843-") for v in made.values())
    assert len({v.code for v in made.values()}) == 3
    placement = VillagePlacement.objects.get(village=made["Thôn Nà Cù"])
    assert (placement.commune.code, placement.from_year, placement.to_year) == ("01843", reform_year, None)
    assert VillagePlacement.objects.get(village=made["Bản Pác Nặm"]).from_year == 2026
    entries = AuditEntry.objects.filter(source=job.audit_source, action="village.create")
    assert entries.count() == 3
    # Each entry says what was created as the one-village service's entry does (its JSON is written
    # from parts), and the search finds the village without its diacritics.
    nacu = made["Thôn Nà Cù"]
    assert entries.get(object_id=str(nacu.pk)).after == {
        "code": nacu.code,
        "name": "Thôn Nà Cù",
        "kind": "village",
        "placements": [{"commune": "01843", "tree": "2025", "from_year": reform_year, "to_year": None}],
    }
    assert nacu.search_name == "thon na cu"
    # The same file again: every row names a village that is already as written.
    client, again = upload("villages", workbook(rows))
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3}, again.errors


def test_the_figures_count_the_imported_villages_as_a_rebuild_does(upload, commit, reform_year):
    rebuild_year(reform_year)
    before = Fact.objects.get(
        unit=unit(Tree.Y2025, "01843"), village=None, year=reform_year, title="village", measure="base"
    ).value
    client, job = upload("villages", workbook([["", "01843", "", f"Thôn {n}", "", ""] for n in range(1, 6)]))
    commit(client, job)
    kept = {(f.unit_id, f.village_id, f.title, f.measure): f.value for f in Fact.objects.filter(year=reform_year)}
    assert kept[(unit(Tree.Y2025, "01843").pk, None, "village", "base")] == before + 5
    rebuild_year(reform_year)
    rebuilt = {(f.unit_id, f.village_id, f.title, f.measure): f.value for f in Fact.objects.filter(year=reform_year)}
    assert {k: v for k, v in kept.items() if v} == {k: v for k, v in rebuilt.items() if v}


def test_renames_and_kinds_by_code_and_a_move_from_a_year(upload, commit, villages, personas):
    tdp1, tdp2 = villages["song_cau_1"], villages["song_cau_2"]
    rows = [
        [tdp1.code, "01843", "", "Tổ dân phố Một", "Tổ dân phố", ""],
        [tdp2.code, "01843", "", "Tổ dân phố 2", "Tiểu khu, khu phố", ""],
    ]
    client, job = upload("villages", workbook(rows))
    assert job.counts == {"create": 0, "update": 2, "unchanged": 0}, job.errors
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    tdp1.refresh_from_db()
    tdp2.refresh_from_db()
    assert (tdp1.name, tdp2.kind) == ("Tổ dân phố Một", "sub_area")
    assert tdp1.version == 2  # a page opened before the import is refused as stale
    # The province officer moves Tổ dân phố 2 into Phường Đức Xuân from 2026; 2025 keeps Phường Bắc Kạn.
    client, job = upload(
        "villages", workbook([[tdp2.code, "01840", "", "Tổ dân phố 2", "", 2026]]), persona="province_officer"
    )
    assert job.counts == {"create": 0, "update": 1, "unchanged": 0}, job.errors
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    assert tdp2.placement_in(2025).commune.code == "01843"
    assert tdp2.placement_in(2026).commune.code == "01840"
    tdp2.refresh_from_db()
    assert tdp2.kind == "sub_area"  # an empty kind cell keeps the village's kind
    assert AuditEntry.objects.filter(source=job.audit_source, action="village.move").count() == 1


def test_a_file_without_the_kind_column_renames_and_keeps_each_villages_kind(upload, commit, villages):
    tdp2 = villages["song_cau_2"]
    Village.objects.filter(pk=tdp2.pk).update(kind="sub_area")
    header = [column for column in HEADER if column != "Loại"]
    client, job = upload("villages", workbook([[tdp2.code, "01843", "", "Tổ dân phố Hai", ""]], header=header))
    assert job.counts == {"create": 0, "update": 1, "unchanged": 0}, job.errors
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    tdp2.refresh_from_db()
    assert (tdp2.name, tdp2.kind) == ("Tổ dân phố Hai", "sub_area")


def test_duplicate_names_in_a_commune_are_refused_at_their_row_and_column(upload):
    rows = [
        ["", "01843", "", "Thôn Nà Cù", "", ""],
        ["", "01843", "", "THÔN  NÀ CÙ", "", ""],  # the same name after NFC and case folding
        ["", "01840", "", "Thôn Nà Cù", "", ""],  # another commune: allowed
        ["", "01843", "", "Thôn Na\u0300 Cu\u0300", "", ""],  # decomposed: the same name after NFC
    ]
    _client, job = upload("villages", workbook(rows), persona="province_officer")
    assert job.status == JobStatus.INVALID
    errors = errors_at(job)
    assert set(errors) == {(3, "Tên thôn"), (5, "Tên thôn")}
    assert " 2 " in errors[(3, "Tên thôn")] and "Thôn Nà Cù" in errors[(3, "Tên thôn")]
    assert not Village.objects.filter(name="Thôn Nà Cù").exists()


def test_a_rename_onto_another_villages_name_is_refused(upload, villages):
    rows = [[villages["song_cau_1"].code, "01843", "", "tổ dân phố 2", "", ""]]
    _client, job = upload("villages", workbook(rows))
    assert job.status == JobStatus.INVALID
    assert list(errors_at(job)) == [(2, "Tên thôn")]
    assert "Tổ dân phố 2" in job.errors[0]["message"]


def test_names_differing_only_by_diacritics_are_a_warning_to_confirm(
    upload, commit, villages, django_capture_on_commit_callbacks
):
    rows = [
        ["", "01843", "", "Thôn Nà Cù", "", ""],
        ["", "01843", "", "Thôn Na Cu", "", ""],
        ["", "01843", "", "Tô dân phô 1", "", ""],  # against the existing Tổ dân phố 1
    ]
    client, job = upload("villages", workbook(rows))
    assert job.status == JobStatus.PREVIEWED, job.errors
    assert [(w["row"], w["column"]) for w in job.warnings] == [(3, "Tên thôn"), (4, "Tên thôn")]
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Thôn Na Cu" in page and 'name="warnings_confirmed"' in page
    # Saving without ticking the confirmation saves nothing.
    job = commit(client, job)
    assert job.status == JobStatus.PREVIEWED
    assert not Village.objects.filter(name="Thôn Na Cu").exists()
    job = confirm(client, job, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.COMMITTED, job.message
    assert in_commune("01843") >= {"Thôn Nà Cù", "Thôn Na Cu", "Tô dân phô 1", "Tổ dân phố 1"}


def test_a_village_cannot_be_placed_or_moved_outside_the_area(upload, villages):
    rows = [
        ["", "01840", "", "Thôn Mới", "", ""],  # Phường Đức Xuân: another commune's
        [villages["song_cau_1"].code, "01840", "", "Tổ dân phố 1", "", 2026],
        ["", "99999", "", "Thôn Lạ", "", ""],
        [villages["ban_thi"].code, "01843", "", "Thôn Nà Pài", "", 2026],  # not a village of this commune
    ]
    _client, job = upload("villages", workbook(rows))
    assert job.status == JobStatus.INVALID
    errors = errors_at(job)
    assert "ngoài địa bàn" in errors[(2, "Mã xã")] or "outside your area" in errors[(2, "Mã xã")]
    assert (3, "Mã xã") in errors
    assert "99999" in errors[(4, "Mã xã")]
    assert villages["ban_thi"].code in errors[(5, "Mã thôn")]
    assert villages["song_cau_1"].placement_in(2026).commune.code == "01843"


def test_bad_values_are_named_by_row_and_column(upload):
    rows = [
        ["", "01843", "", "", "", ""],
        ["", "01843", "", "Thôn A", "Phố cổ", ""],
        ["", "01843", "", "Thôn B", "", "năm ngoái"],
        ["", "", "", "Thôn C", "", ""],
        ["", "01843", "", "x" * 121, "", ""],
    ]
    _client, job = upload("villages", workbook(rows))
    assert job.status == JobStatus.INVALID
    assert set(errors_at(job)) == {(2, "Tên thôn"), (3, "Loại"), (4, "Từ năm"), (5, "Mã xã"), (6, "Tên thôn")}
    assert not Village.objects.filter(name__in=["Thôn A", "Thôn B", "Thôn C"]).exists()


@pytest.mark.parametrize("persona", ["village_officer", "viewer"])
def test_roles_without_village_management_cannot_import_villages(client_for, personas, persona):
    client = client_for(personas[persona])
    assert client.get(reverse("imports:new", args=["villages"])).status_code == 403
    assert client.get(reverse("imports:template", args=["villages"])).status_code == 403


def test_the_template_lists_the_communes_of_the_users_area(client_for, personas):
    response = client_for(personas["commune_officer"]).get(reverse("imports:template", args=["villages"]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.get_sheet_by_index(0).to_python()[0] == HEADER
    communes = book.get_sheet_by_name("Xã").to_python()
    assert communes[1:] == [["01843", "Phường Bắc Kạn"]]
    province = client_for(personas["province_officer"]).get(reverse("imports:template", args=["villages"]))
    listed = CalamineWorkbook.from_filelike(io.BytesIO(province.content)).get_sheet_by_name("Xã").to_python()
    assert len(listed) > 50 and ["01840", "Phường Đức Xuân"] in listed


def test_a_province_file_of_1400_villages(upload, commit, reform_year):
    communes = ["01843", "01840"]
    rows = [["", communes[n % 2], "", f"Thôn Số {n}", "", ""] for n in range(1400)]
    client, job = upload("villages", workbook(rows), persona="province_officer")
    assert job.counts == {"create": 1400, "update": 0, "unchanged": 0}, job.errors[:3]
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    assert Village.objects.filter(name__startswith="Thôn Số ").count() == 1400
    assert len(in_commune("01840")) == 700
    assert AuditEntry.objects.filter(source=job.audit_source, action="village.create").count() == 1400

"""The network's yearly figures from Excel and back: upload → check (nothing written) → save (all or
nothing); re-uploading changes nothing; an exported file edited and uploaded updates with history."""

import csv
import io
import re

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from audit.models import AuditEntry
from conftest import unit
from imports.models import JobStatus
from registry import network
from registry.exports_network import AREA_YEAR_COLUMNS, ASSOCIATION_YEAR_COLUMNS, level_labels
from registry.models import AreaYear, Association, AssociationYear

pytestmark = pytest.mark.django_db

AREA_HEADER = [header for _key, header in AREA_YEAR_COLUMNS]
ASSOCIATION_HEADER = [header for _key, header in ASSOCIATION_YEAR_COLUMNS]
COUNTS = {
    "members": 1200,
    "village_branches": 9,
    "agency_branches": 3,
    "agency_boards": 2,
    "school_boards": 4,
    "clan_boards": 5,
}


def workbook(header, rows):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Số liệu")
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            if value not in ("", None):
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def csv_file(header, rows):
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sheet_rows(content: bytes):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def export(client, tree, code, what, file_format="xlsx", year=None):
    url = reverse("registry:network_export", args=[tree, code, what, file_format])
    response = client.get(url, {"year": year} if year else {})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def places(job):
    return {(e["row"], e["column"]) for e in job.errors}


@pytest.fixture
def area_rows(reform_year):
    """The new ward in the reform year, and two of the old communes it was formed from, earlier."""
    return [
        ["01843", "Phường Bắc Kạn", reform_year, 8421, 2310, "", 12, 36_000_000],
        ["01837", "Phường Sông Cầu", 2020, 5000, "", "", "", ""],
        ["01843", "Phường Phùng Chí Kiên", 2020, 3000, 800, 150_000_000, "", ""],
    ]


def test_area_years_check_writes_nothing_then_save_creates_on_the_tree_of_each_year(
    upload, commit, area_rows, reform_year
):
    client, job = upload("area_years", workbook(AREA_HEADER, area_rows))
    assert job.status == JobStatus.PREVIEWED
    assert job.counts == {"create": 3, "update": 0, "unchanged": 0}
    assert not AreaYear.objects.exists()
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED
    new_ward = AreaYear.objects.get(area=unit("2025", "01843"), year=reform_year)
    assert (
        new_ward.population,
        new_ward.households,
        new_ward.fund_vnd,
        new_ward.scholarships,
        new_ward.scholarships_vnd,
    ) == (8421, 2310, None, 12, 36_000_000)
    assert AreaYear.objects.get(area=unit("pre2025", "01843"), year=2020).fund_vnd == 150_000_000
    assert AreaYear.objects.get(area=unit("pre2025", "01837"), year=2020).households is None
    entries = AuditEntry.objects.filter(action="area_year.save")
    assert entries.count() == 3 and {e.before for e in entries} == {None}
    assert all(re.search(rf"\b{job.pk}$", e.reason) for e in entries)  # "Import #<job>"
    assert {e.source for e in entries} == {job.audit_source}
    assert entries.get(object_id=str(new_ward.pk)).after["population"] == 8421


def test_uploading_the_same_area_years_again_changes_nothing(upload, commit, area_rows):
    client, job = upload("area_years", workbook(AREA_HEADER, area_rows))
    commit(client, job)
    audit_before = AuditEntry.objects.filter(action="area_year.save").count()
    client, again = upload("area_years", csv_file(AREA_HEADER, reversed(area_rows)), name="so-lieu.csv")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3}
    assert commit(client, again).status == JobStatus.COMMITTED
    assert AreaYear.objects.count() == 3
    assert AuditEntry.objects.filter(action="area_year.save").count() == audit_before


def test_an_exported_area_file_edited_and_uploaded_updates_with_history(
    upload, commit, client_for, personas, reform_year
):
    actor = personas["province_officer"]
    network.area_year_save(actor=actor, area=unit("2025", "19"), year=reform_year, population=1_300_000)
    saved = network.area_year_save(
        actor=actor, area=unit("2025", "01843"), year=reform_year, population=8421, households=2310
    )
    rows = sheet_rows(export(client_for(actor), "2025", "19", "area-years"))
    assert rows[0] == AREA_HEADER
    assert [row[:4] for row in rows[1:]] == [
        ["19", "Tỉnh Thái Nguyên", reform_year, 1_300_000],
        ["01843", "Phường Bắc Kạn", reform_year, 8421],
    ]
    rows[2][4] = 2400  # the ward counted its households again
    client, job = upload("area_years", workbook(AREA_HEADER, rows[1:]), persona="province_officer")
    assert job.counts == {"create": 0, "update": 1, "unchanged": 1}
    assert job.samples["update"][0]["before"]["households"] == 2310
    commit(client, job)
    saved.refresh_from_db()
    assert saved.households == 2400
    entry = AuditEntry.objects.filter(action="area_year.save", object_id=str(saved.pk)).latest("id")
    assert (entry.before["households"], entry.after["households"]) == (2310, 2400)
    assert entry.before["population"] == entry.after["population"] == 8421


def test_area_year_errors_name_row_and_column_and_nothing_can_be_saved(upload, reform_year):
    bad = [
        ["99999", "", reform_year, 10, "", "", "", ""],  # no such unit
        ["01840", "Phường Đức Xuân", reform_year, 10, "", "", "", ""],  # another ward's
        ["01837", "Phường Sông Cầu", reform_year, 10, "", "", "", ""],  # merged away before that year
        ["01843", "", reform_year, -5, "", "", "", ""],
        ["01843", "", 2023, "", "mười", "", "", ""],
        ["01843", "", 2022, 100, "", "", "", ""],
        ["01843", "", 2022, 200, "", "", "", ""],  # the same unit and year as the row above
        ["01843", "", "năm ngoái", 100, "", "", "", ""],
        ["01843", "", 2021, "", "", "", 2.5, ""],
    ]
    client, job = upload("area_years", csv_file(AREA_HEADER, bad), name="so-lieu.csv")
    assert job.status == JobStatus.INVALID
    assert places(job) == {
        (2, "Mã địa bàn"),
        (3, "Mã địa bàn"),
        (4, "Mã địa bàn"),
        (5, "Dân số"),
        (6, "Số hộ"),
        (8, "Năm"),
        (9, "Năm"),
        (10, "Số suất học bổng"),
    }
    duplicate = next(e for e in job.errors if e["row"] == 8)
    assert "7" in duplicate["message"]
    client.post(reverse("imports:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.INVALID and not AreaYear.objects.exists()


def test_a_code_of_the_2025_tree_with_an_earlier_year_is_refused(upload):
    # Côn Đảo became a special zone in the reform: its code exists on the 2025 tree only.
    _client, job = upload(
        "area_years",
        csv_file(AREA_HEADER, [["26732", "", 2020, 10, "", "", "", ""]]),
        name="so-lieu.csv",
        persona="admin",
    )
    assert job.status == JobStatus.INVALID and places(job) == {(2, "Mã địa bàn")}


@pytest.fixture
def association(personas):
    return network.association_create(
        actor=personas["commune_officer"],
        level="commune",
        area=unit("2025", "01843"),
        name="Hội Khuyến học phường Bắc Kạn",
    )


def association_row(code, level, name, year, **figures):
    counts = {**COUNTS, **figures}
    return [code, "", level, name, year, *(counts[key] for key, _header in ASSOCIATION_YEAR_COLUMNS[5:])]


def test_association_years_match_by_folded_name_and_create_missing_associations(
    upload, commit, association, reform_year
):
    labels = level_labels()
    rows = [
        association_row("01843", "commune", "hoi khuyen hoc phuong bac kan", reform_year),
        association_row("01837", labels["commune"], "Hội Khuyến học phường Sông Cầu", 2020, members=640),
        association_row("01837", "Commune association", "Hội Khuyến học phường Sông Cầu", 2021, members=655),
    ]
    client, job = upload("association_years", workbook(ASSOCIATION_HEADER, rows))
    assert job.status == JobStatus.PREVIEWED, job.errors
    assert job.counts == {"create": 3, "update": 0, "unchanged": 0}
    assert Association.objects.count() == 1 and not AssociationYear.objects.exists()
    commit(client, job)
    assert AssociationYear.objects.get(association=association, year=reform_year).members == 1200
    song_cau = Association.objects.get(area=unit("pre2025", "01837"))
    assert (song_cau.level, song_cau.name) == ("commune", "Hội Khuyến học phường Sông Cầu")
    assert list(song_cau.years.order_by("year").values_list("year", "members")) == [(2020, 640), (2021, 655)]
    created = AuditEntry.objects.get(action="association.create", object_id=str(song_cau.pk))
    assert created.after == {"level": "commune", "area": "01837", "tree": "pre2025", "name": song_cau.name}
    assert AuditEntry.objects.filter(action="association_year.save").count() == 3

    client, again = upload("association_years", csv_file(ASSOCIATION_HEADER, rows), name="hoi.csv")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3}
    commit(client, again)
    assert Association.objects.count() == 2 and AssociationYear.objects.count() == 3


def test_an_exported_association_file_edited_and_uploaded_updates_with_history(
    upload, commit, client_for, association, personas, reform_year
):
    saved = network.association_year_save(
        actor=personas["commune_officer"], association=association, year=reform_year, **COUNTS
    )
    client = client_for(personas["commune_officer"])
    rows = sheet_rows(export(client, "2025", "01843", "association-years", year=reform_year))
    assert rows[0] == ASSOCIATION_HEADER
    assert rows[1] == [
        "01843",
        "Phường Bắc Kạn",
        level_labels()["commune"],
        association.name,
        reform_year,
        *COUNTS.values(),
    ]
    rows[1][5] = 1250
    client, job = upload("association_years", workbook(ASSOCIATION_HEADER, rows[1:]))
    assert job.counts == {"create": 0, "update": 1, "unchanged": 0}
    commit(client, job)
    saved.refresh_from_db()
    assert saved.members == 1250
    entry = AuditEntry.objects.filter(action="association_year.save", object_id=str(saved.pk)).latest("id")
    assert (entry.before["members"], entry.after["members"]) == (1200, 1250)
    assert not Association.objects.exclude(pk=association.pk).exists()


def test_association_year_errors_name_row_and_column_and_nothing_can_be_saved(upload, association, reform_year):
    bad = [
        association_row("01843", "Hội cấp thôn", "Hội Khuyến học phường Bắc Kạn", reform_year),
        association_row("01843", "province", "Hội Khuyến học tỉnh", reform_year),  # a ward is no province
        association_row("01843", "commune", "Hội Khuyến học phường Bắc Kạn", reform_year, members=-1),
        association_row("01843", "commune", "Hội Khuyến học phường Bắc Kạn", reform_year, village_branches=""),
        association_row("01843", "commune", "", reform_year),
        association_row("01843", "commune", "Hội Khuyến học phường Bắc Kạn", reform_year + 1),
        association_row("01843", "commune", "HỘI KHUYẾN HỌC PHƯỜNG BẮC KẠN", reform_year + 1),
        association_row("01840", "commune", "Hội Khuyến học phường Đức Xuân", reform_year),
    ]
    _client, job = upload("association_years", csv_file(ASSOCIATION_HEADER, bad), name="hoi.csv")
    assert job.status == JobStatus.INVALID
    assert places(job) == {
        (2, "Cấp hội"),
        (3, "Cấp hội"),
        (4, "Số hội viên"),
        (5, "Chi hội thôn"),
        (6, "Tên hội"),
        (8, "Năm"),
        (9, "Mã địa bàn"),
    }
    assert not AssociationYear.objects.exists() and Association.objects.count() == 1


def test_viewers_cannot_import_but_may_export_their_area(client_for, personas):
    viewer = client_for(personas["viewer"])
    for kind in ("area_years", "association_years"):
        assert viewer.get(reverse("imports:new", args=[kind])).status_code == 403
        assert viewer.get(reverse("imports:template", args=[kind])).status_code == 403
    assert viewer.get(reverse("registry:network_export", args=["2025", "19", "area-years", "csv"])).status_code == 200
    page = viewer.get(reverse("registry:network", args=["2025", "19"])).content.decode()
    assert reverse("registry:network_export", args=["2025", "19", "area-years", "xlsx"]) in page
    assert reverse("imports:new", args=["area_years"]) not in page
    other = client_for(personas["other_commune_officer"])
    assert other.get(reverse("registry:network_export", args=["2025", "01843", "area-years", "csv"])).status_code == 404


def test_the_page_links_managers_to_the_imports_and_templates(client_for, personas):
    page = client_for(personas["commune_officer"]).get(reverse("registry:network", args=["2025", "01843"]))
    content = page.content.decode()
    for kind in ("area_years", "association_years"):
        assert reverse("imports:new", args=[kind]) in content
        assert reverse("imports:template", args=[kind]) in content


def test_exports_hold_the_figures_of_the_subtree_and_of_one_year_when_asked(client_for, personas, reform_year):
    actor = personas["province_officer"]
    network.area_year_save(actor=actor, area=unit("2025", "19"), year=reform_year, population=1_300_000)
    network.area_year_save(
        actor=actor, area=unit("2025", "01843"), year=reform_year + 1, population=8500, fund_vnd=12_500_000_000
    )
    network.area_year_save(actor=actor, area=unit("2025", "01840"), year=reform_year, households=1900)
    client = client_for(personas["province_officer"])
    expected = [
        [code, name, year, *figures]
        for code, name, year, *figures in AreaYear.objects.order_by("area__path", "year").values_list(
            "area__code",
            "area__name",
            "year",
            "population",
            "households",
            "fund_vnd",
            "scholarships",
            "scholarships_vnd",
        )
    ]
    xlsx_rows = sheet_rows(export(client, "2025", "19", "area-years"))[1:]
    assert xlsx_rows == [["" if value is None else value for value in row] for row in expected]
    assert sum(row[5] or 0 for row in xlsx_rows) == 12_500_000_000

    text = export(client, "2025", "19", "area-years", "csv").decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert lines[0] == AREA_HEADER
    assert lines[1:] == [["" if value is None else str(value) for value in row] for row in expected]

    one_year = sheet_rows(export(client, "2025", "19", "area-years", year=reform_year))[1:]
    assert {row[2] for row in one_year} == {reform_year} and len(one_year) == 2
    ward_only = sheet_rows(export(client, "2025", "01843", "area-years"))[1:]
    assert [row[0] for row in ward_only] == ["01843"]


def test_the_area_template_lists_the_units_of_the_area_and_comes_back_filled_in(
    client_for, personas, upload, commit, reform_year
):
    client = client_for(personas["province_officer"])
    rows = sheet_rows(client.get(reverse("imports:template", args=["area_years"])).content)
    assert rows[0] == AREA_HEADER
    codes = [row[0] for row in rows[1:]]
    assert codes[0] == "19" and "01843" in codes and "01840" in codes
    assert len(codes) == unit("2025", "19").children.count() + 1
    assert {row[2] for row in rows[1:]} == {""}
    filled = [list(row) for row in rows[1:]]
    filled[0][2:4] = [reform_year, 1_300_000]
    client, job = upload("area_years", workbook(AREA_HEADER, filled), persona="province_officer")
    assert job.counts == {"create": 1, "update": 0, "unchanged": 0}
    commit(client, job)
    assert AreaYear.objects.get().area == unit("2025", "19")


def test_the_association_template_lists_associations_and_units_without_one(client_for, personas, association):
    client = client_for(personas["commune_officer"])
    content = client.get(reverse("imports:template", args=["association_years"])).content
    rows = sheet_rows(content)
    assert rows[0] == ASSOCIATION_HEADER
    assert [row[:4] for row in rows[1:]] == [
        ["01843", "Phường Bắc Kạn", level_labels()["commune"], "Hội Khuyến học phường Bắc Kạn"]
    ]
    units = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("Địa bàn").to_python()
    assert units[1:] == [["01843", "Phường Bắc Kạn"]]

"""Clans and units from Excel and back: check (nothing written) → save; re-uploading changes nothing;
an exported file, edited, updates by code; every bad value is reported at its row and column."""

import csv
import io
import zipfile

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from audit.models import AuditEntry
from conftest import unit
from imports.models import JobStatus
from registry import services
from registry.models import Clan, Organisation

pytestmark = pytest.mark.django_db

CLAN_HEADER = [
    "Mã dòng họ",
    "Mã xã",
    "Tên xã",
    "Tên dòng họ",
    "Trưởng họ",
    "Số hộ thành viên",
    "Có ban khuyến học",
    "Mã các thôn",
]
UNIT_HEADER = ["Mã đơn vị", "Mã địa bàn", "Tên địa bàn", "Tên đơn vị", "Loại", "Cấp quản lý"]
HEADERS = {"clans": CLAN_HEADER, "units": UNIT_HEADER}

CLAN_ROWS = [
    ["", "01843", "Phường Bắc Kạn", "Họ Hoàng", "Hoàng Văn Tộc", 42, "Có", "01837-001; 01837-002"],
    ["", "01843", "", "Họ Nông", "", 17.0, "Không", ""],
    ["", "01843", "", "Họ Lý", "Lý Văn Cả", "9", "", "01837-002"],
]
UNIT_ROWS = [
    ["", "01843", "Phường Bắc Kạn", "Trường Tiểu học Sông Cầu", "Trường học", "Xã"],
    ["", "01843", "", "Trạm Y tế Phường Bắc Kạn", "agency", "commune"],
    ["", "01843", "", "Công ty Chè Bắc Kạn", "Enterprise", "xa"],
]


def workbook(kind, rows, header=None):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([header or HEADERS[kind], *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def csv_file(kind, rows):
    out = io.StringIO()
    csv.writer(out).writerows([HEADERS[kind], *rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def exported(client, url_name, file_format="xlsx", **params):
    response = client.get(reverse(url_name, args=[file_format]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def sheet_rows(content):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_checking_clans_writes_nothing_then_saving_creates_them_with_codes(upload, commit):
    client, job = upload("clans", workbook("clans", CLAN_ROWS))
    assert job.status == JobStatus.PREVIEWED, job.errors
    assert job.counts == {"create": 3, "update": 0, "unchanged": 0}
    assert not Clan.objects.exists()
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED
    clans = Clan.objects.order_by("code")
    assert [(c.code, c.name, c.head_name, c.member_households, c.has_board, c.commune.code) for c in clans] == [
        ("01843-DH-0001", "Họ Hoàng", "Hoàng Văn Tộc", 42, True, "01843"),
        ("01843-DH-0002", "Họ Nông", "", 17, False, "01843"),
        ("01843-DH-0003", "Họ Lý", "Lý Văn Cả", 9, False, "01843"),
    ]
    assert [sorted(c.villages.values_list("code", flat=True)) for c in clans] == [
        ["01837-001", "01837-002"],
        [],
        ["01837-002"],
    ]
    created = AuditEntry.objects.filter(action="clan.create")
    assert created.count() == 3 and len({e.reason for e in created}) == 1 and str(job.pk) in created[0].reason
    assert AuditEntry.objects.filter(action="import.commit", object_id=str(job.pk)).get().after["create"] == 3


def test_checking_units_writes_nothing_then_saving_creates_them_with_codes(upload, commit):
    client, job = upload("units", csv_file("units", UNIT_ROWS), name="don-vi.csv")
    assert job.status == JobStatus.PREVIEWED, job.errors
    assert job.counts == {"create": 3, "update": 0, "unchanged": 0}
    assert not Organisation.objects.exists()
    commit(client, job)
    assert sorted(Organisation.objects.values_list("code", "name", "kind", "managing_level", "area__code")) == [
        ("01843-DV-0001", "Trường Tiểu học Sông Cầu", "school", "commune", "01843"),
        ("01843-DV-0002", "Trạm Y tế Phường Bắc Kạn", "agency", "commune", "01843"),
        ("01843-DV-0003", "Công ty Chè Bắc Kạn", "enterprise", "commune", "01843"),
    ]
    assert AuditEntry.objects.filter(action="organisation.create", reason__contains=str(job.pk)).count() == 3


@pytest.mark.parametrize(("kind", "rows", "model"), [("clans", CLAN_ROWS, Clan), ("units", UNIT_ROWS, Organisation)])
def test_uploading_the_same_file_again_rows_reversed_changes_nothing(upload, commit, kind, rows, model):
    client, job = upload(kind, workbook(kind, rows))
    commit(client, job)
    client, again = upload(kind, workbook(kind, list(reversed(rows))))
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3}
    assert commit(client, again).status == JobStatus.COMMITTED
    assert model.objects.count() == 3
    assert not AuditEntry.objects.filter(action__endswith=".update").exists()


@pytest.fixture
def clans(villages, personas):
    officer = personas["commune_officer"]
    made = [
        services.clan_save(
            actor=officer,
            clan=None,
            commune=unit("2025", "01843"),
            name=name,
            head_name=head,
            member_households=households,
            has_board=board,
            villages=chosen,
        )
        for name, head, households, board, chosen in [
            ("Họ Hoàng", "Hoàng Văn Tộc", 42, True, [villages["song_cau_1"], villages["song_cau_2"]]),
            ("Họ Nông", "", 17, False, []),
        ]
    ]
    # Outside the commune officer's area: never exported to them.
    services.clan_save(
        actor=personas["province_officer"],
        clan=None,
        commune=unit("2025", "01840"),
        name="Họ Ma",
        head_name="",
        member_households=3,
        has_board=False,
        villages=[],
    )
    return made


@pytest.fixture
def organisations(villages, personas):
    return [
        services.organisation_save(
            actor=personas["commune_officer"],
            organisation=None,
            name=name,
            kind=kind,
            managing_level="commune",
            area=unit("2025", "01843"),
        )
        for name, kind in [("Trường Mầm non Sông Cầu", "school"), ("Công ty Chè Bắc Kạn", "enterprise")]
    ]


def test_an_exported_clan_file_edited_and_uploaded_updates_by_code_with_history(
    upload, commit, client_for, personas, clans
):
    rows = sheet_rows(exported(client_for(personas["commune_officer"]), "registry:clan_export"))
    assert rows[0] == CLAN_HEADER
    assert [row[0] for row in rows[1:]] == ["01843-DH-0001", "01843-DH-0002"]
    rows[1][5] = 45  # Họ Hoàng has three more member households
    rows[1][7] = "01837-001"  # and no longer lives in Tổ dân phố 2
    client, job = upload("clans", workbook("clans", rows[1:]))
    assert job.counts == {"create": 0, "update": 1, "unchanged": 1}
    assert job.samples["update"][0]["before"]["member_households"] == 42
    commit(client, job)
    clan = Clan.objects.get(code="01843-DH-0001")
    assert clan.member_households == 45
    assert list(clan.villages.values_list("code", flat=True)) == ["01837-001"]
    entry = AuditEntry.objects.get(action="clan.update", object_id=str(clan.pk))
    assert (entry.before["member_households"], entry.after["member_households"]) == (42, 45)
    assert (entry.before["villages"], entry.after["villages"]) == (["01837-001", "01837-002"], ["01837-001"])
    assert str(job.pk) in entry.reason


def test_an_exported_unit_file_edited_and_uploaded_updates_by_code_with_history(
    upload, commit, client_for, personas, organisations
):
    content = exported(client_for(personas["commune_officer"]), "registry:organisation_export", "csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == UNIT_HEADER
    rows[1][3] = "Trường Mầm non Hoa Sen"
    client, job = upload("units", csv_file("units", rows[1:]), name="don-vi.csv")
    assert job.counts == {"create": 0, "update": 1, "unchanged": 1}
    commit(client, job)
    school = Organisation.objects.get(code="01843-DV-0001")
    assert school.name == "Trường Mầm non Hoa Sen" and school.search_name == "truong mam non hoa sen"
    entry = AuditEntry.objects.get(action="organisation.update", object_id=str(school.pk))
    assert (entry.before["name"], entry.after["name"]) == ("Trường Mầm non Sông Cầu", "Trường Mầm non Hoa Sen")


def test_a_row_without_a_code_updates_the_clan_of_the_same_commune_and_name(upload, commit, clans):
    client, job = upload(
        "clans", workbook("clans", [["", "01843", "", "họ hoàng", "Hoàng Văn Tộc", 50, "Có", "01837-001, 01837-002"]])
    )
    assert job.counts == {"create": 0, "update": 1, "unchanged": 0}
    commit(client, job)
    assert Clan.objects.get(code="01843-DH-0001").member_households == 50


def test_columns_left_out_of_the_file_keep_what_is_recorded(upload, clans):
    header = ["Mã dòng họ", "Mã xã", "Tên dòng họ", "Số hộ thành viên"]
    _, job = upload("clans", workbook("clans", [["01843-DH-0001", "01843", "Họ Hoàng", 42]], header=header))
    assert job.counts == {"create": 0, "update": 0, "unchanged": 1}


def test_every_bad_clan_row_is_reported_with_its_place_and_nothing_can_be_saved(upload, clans):
    bad = [
        ["", "99999", "", "Họ Lạ", "", 3, "Có", ""],
        ["", "01840", "", "Họ Ngoài", "", 3, "Không", ""],
        ["", "01843", "", "Họ Không", "", 0, "Có", ""],
        ["", "01843", "", "Họ Âm", "", -3, "Có", ""],
        ["", "01843", "", "Họ Lý", "", 5, "Có", "01837-001, 02035-001"],
        ["", "01843", "", "Họ Lý", "", 5, "Có", "01837-999"],
        ["", "01843", "", "Họ Đinh", "", 5, "Có", ""],
        ["", "01843", "", "họ  đinh", "", 6, "Không", ""],
        ["01843-DH-9999", "01843", "", "Họ Mã", "", 2, "Có", ""],
        ["", "01843", "", "Họ Bế", "", 2, "Chắc vậy", ""],
        ["", "01843", "", "", "", 2, "Có", ""],
        ["01843-DH-0002", "01843", "", "Họ Nông", "", 17, "Không", ""],
        ["", "01843", "", "Họ Nông", "", 18, "Không", ""],
        ["", "01843-001", "", "Họ Thôn", "", 2, "Có", ""],
    ]
    client, job = upload("clans", csv_file("clans", bad), name="dong-ho.csv")
    assert job.status == JobStatus.INVALID
    places = {(e["row"], e["column"]) for e in job.errors}
    assert places == {
        (2, "Mã xã"),
        (3, "Mã xã"),
        (4, "Số hộ thành viên"),
        (5, "Số hộ thành viên"),
        (6, "Mã các thôn"),
        (7, "Mã các thôn"),
        (9, "Mã dòng họ"),
        (10, "Mã dòng họ"),
        (11, "Có ban khuyến học"),
        (12, "Tên dòng họ"),
        (14, "Mã dòng họ"),
        (15, "Mã xã"),
    }
    assert {e["sheet"] for e in job.errors} == {"CSV"}
    client.post(reverse("imports:commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.INVALID
    assert Clan.objects.count() == 3 and Clan.objects.get(code="01843-DH-0002").member_households == 17


def test_every_bad_unit_row_is_reported_with_its_place_and_nothing_can_be_saved(upload, organisations):
    bad = [
        ["", "99999", "", "Trường A", "Trường học", "Xã"],
        ["", "01840", "", "Trường B", "school", "commune"],
        ["", "01843", "", "Trường C", "Trường đại học", "Xã"],
        ["", "01843", "", "Trường D", "school", "Thôn"],
        ["", "01843", "", "Sở E", "agency", "Tỉnh"],
        ["", "01843", "", "Trường F", "school", "Xã"],
        ["", "01843", "", "TRƯỜNG F", "Trường học", "commune"],
        ["01843-DV-0404", "01843", "", "Trường G", "school", "Xã"],
        ["", "01843", "", "", "school", "Xã"],
        ["", "19", "", "Sở Giáo dục", "agency", "Tỉnh"],
        ["", "01843", "", "Trường F", "agency", "Xã"],
    ]
    client, job = upload("units", workbook("units", bad))
    assert job.status == JobStatus.INVALID
    places = {(e["row"], e["column"]) for e in job.errors}
    assert places == {
        (2, "Mã địa bàn"),
        (3, "Mã địa bàn"),
        (4, "Loại"),
        (5, "Cấp quản lý"),
        (6, "Mã địa bàn"),
        (8, "Mã đơn vị"),
        (9, "Mã đơn vị"),
        (10, "Tên đơn vị"),
        (11, "Mã địa bàn"),
    }
    client.post(reverse("imports:commit", args=[job.pk]))
    assert Organisation.objects.count() == 2


def test_a_file_exported_before_the_reform_goes_back_unchanged_but_new_rows_need_a_commune_in_force(
    upload, client_for, personas, villages
):
    officer = personas["district_officer"]
    services.clan_save(
        actor=officer,
        clan=None,
        commune=unit("pre2025", "02035"),
        name="Họ Hà",
        head_name="",
        member_households=12,
        has_board=False,
        villages=[villages["ban_thi"]],
    )
    rows = sheet_rows(exported(client_for(officer), "registry:clan_export"))
    assert rows[1][:2] == ["02035-DH-0001", "02035"]
    _, job = upload(
        "clans",
        workbook("clans", [*rows[1:], ["", "02035", "", "Họ Mới", "", 4, "Có", ""]]),
        persona="district_officer",
    )
    assert job.counts["unchanged"] == 1
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Mã xã")]


@pytest.mark.parametrize("kind", ["clans", "units"])
def test_a_viewer_cannot_open_the_import_page(client_for, personas, kind):
    assert client_for(personas["viewer"]).get(reverse("imports:new", args=[kind])).status_code == 403
    assert client_for(personas["commune_officer"]).get(reverse("imports:new", args=[kind])).status_code == 200


def test_the_clan_template_lists_the_communes_and_villages_of_the_area_with_dropdowns(client_for, personas, villages):
    response = client_for(personas["commune_officer"]).get(reverse("imports:template", args=["clans"]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.get_sheet_by_index(0).to_python()[0] == CLAN_HEADER
    assert book.get_sheet_by_name("Xã").to_python()[1:] == [["01843", "Phường Bắc Kạn"]]
    assert book.get_sheet_by_name("Thôn").to_python()[1:] == [
        ["01837-001", "Tổ dân phố 1"],
        ["01837-002", "Tổ dân phố 2"],
    ]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "'Xã'!$A$2:$A$2" in sheet and "Có,Không" in sheet


def test_the_unit_template_lists_the_areas_kinds_and_levels(client_for, personas, villages):
    response = client_for(personas["province_officer"]).get(reverse("imports:template", args=["units"]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.get_sheet_by_index(0).to_python()[0] == UNIT_HEADER
    areas = book.get_sheet_by_name("Địa bàn").to_python()[1:]
    assert areas[0] == ["19", "Tỉnh Thái Nguyên"] and ["01843", "Phường Bắc Kạn"] in areas
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "Trường học" in sheet and "'Địa bàn'!$A$2" in sheet


def test_the_clan_export_holds_the_filtered_rows_with_their_numbers(client_for, personas, clans):
    client = client_for(personas["commune_officer"])
    assert sheet_rows(exported(client, "registry:clan_export")) == [
        CLAN_HEADER,
        ["01843-DH-0001", "01843", "Phường Bắc Kạn", "Họ Hoàng", "Hoàng Văn Tộc", 42, "Có", "01837-001, 01837-002"],
        ["01843-DH-0002", "01843", "Phường Bắc Kạn", "Họ Nông", "", 17, "Không", ""],
    ]
    assert [row[0] for row in sheet_rows(exported(client, "registry:clan_export", q="nong"))[1:]] == ["01843-DH-0002"]
    content = exported(client, "registry:clan_export", "csv", area="01843")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == CLAN_HEADER and [row[5] for row in rows[1:]] == ["42", "17"]


def test_the_unit_export_holds_the_filtered_rows_with_vietnamese_kinds(client_for, personas, organisations):
    client = client_for(personas["province_officer"])
    assert sheet_rows(exported(client, "registry:organisation_export", kind="school")) == [
        UNIT_HEADER,
        ["01843-DV-0001", "01843", "Phường Bắc Kạn", "Trường Mầm non Sông Cầu", "Trường học", "Xã"],
    ]
    content = exported(client, "registry:organisation_export", "csv")
    assert content.startswith(b"\xef\xbb\xbf") and content.decode("utf-8-sig").count("\n") == 3
    assert sheet_rows(exported(client_for(personas["other_commune_officer"]), "registry:organisation_export")) == [
        UNIT_HEADER
    ]


def test_the_list_pages_link_the_exports_and_offer_the_import_to_managers(client_for, personas):
    for url, kind in [("registry:clans", "clans"), ("registry:organisations", "units")]:
        page = client_for(personas["commune_officer"]).get(reverse(url), {"q": "x"}).content.decode()
        assert "export.xlsx?q=x" in page and "export.csv?q=x" in page
        assert reverse("imports:new", args=[kind]) in page
        assert (
            reverse("imports:new", args=[kind]) not in client_for(personas["viewer"]).get(reverse(url)).content.decode()
        )

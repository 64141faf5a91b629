"""Associations' branches and boards from Excel: upload → check (nothing written) → save; the yearly
counts of the association then come from its list, in statistics as a rebuild computes them; a bad
row is refused with its message and nothing is saved; the same file again changes nothing."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from audit.models import AuditEntry
from conftest import unit
from imports.models import JobStatus
from registry import network
from registry import services as registry_services
from registry.importing_network_units import COLUMNS
from registry.models import AssociationYear, NetworkUnit, NetworkUnitYear
from registry.tests.test_network_units import ENTERED, association, officer
from stats.models import Fact
from stats.rebuild import rebuild_all
from stats.verify import FIELDS, _meaningful

from .test_network_import import csv_file, places, workbook

pytestmark = pytest.mark.django_db

__all__ = ["association", "officer"]  # fixtures of the list's own tests
HEADER = [header for _key, header in COLUMNS]
ASSOCIATION = "Hội Khuyến học phường Bắc Kạn"


@pytest.fixture
def places_of_the_ward(officer):
    """A clan and a school of the new ward, where boards sit."""
    ward = unit("2025", "01843")
    clan = registry_services.clan_save(
        actor=officer,
        clan=None,
        commune=ward,
        name="Họ Hoàng",
        head_name="",
        member_households=12,
        has_board=True,
        villages=[],
    )
    school = registry_services.organisation_save(
        actor=officer,
        organisation=None,
        name="Trường Tiểu học Sông Cầu",
        kind="school",
        managing_level="commune",
        area=ward,
    )
    return {"clan": clan, "school": school}


def row(kind, name, place="", *, opened, last="", year="", members="", head="", association_name=ASSOCIATION):
    return ["01843", "Phường Bắc Kạn", association_name, kind, name, place, head, opened, last, year, members]


@pytest.fixture
def good_rows(villages, places_of_the_ward, reform_year):
    return [
        row("Chi hội khuyến học ở thôn, tổ dân phố", "Chi hội Tổ dân phố 1", villages["song_cau_1"].code,
            head="Lường Văn Hải", opened=reform_year, year=reform_year, members=40),
        row("village_branch", "Chi hội Tổ dân phố 2", villages["song_cau_2"].code,
            opened=reform_year, year=reform_year, members=35),
        row("Ban khuyến học ở trường học", "Ban khuyến học trường Sông Cầu", places_of_the_ward["school"].code,
            opened=reform_year),
        row("Ban khuyến học dòng họ", "Ban khuyến học họ Hoàng", places_of_the_ward["clan"].code,
            opened=reform_year, last=reform_year),
    ]  # fmt: skip


def fact(area, year, measure):
    found = Fact.objects.filter(unit=area, year=year, title="", measure=measure).first()
    return found.value if found else None


def test_a_good_file_creates_the_list_and_the_counts_come_from_it(upload, commit, association, good_rows, reform_year):
    client, job = upload("network_units", workbook(HEADER, good_rows))
    assert job.status == JobStatus.PREVIEWED, job.errors
    assert job.counts == {"create": 4, "update": 0, "unchanged": 0}
    assert not NetworkUnit.objects.exists()  # the check writes nothing

    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    units = {u.name: u for u in NetworkUnit.objects.select_related("village", "clan", "organisation")}
    assert set(units) == {row[4] for row in good_rows}
    first = units["Chi hội Tổ dân phố 1"]
    assert (first.kind, first.village.name, first.head_name) == ("village_branch", "Tổ dân phố 1", "Lường Văn Hải")
    assert units["Ban khuyến học họ Hoàng"].last_year == reform_year
    assert sorted(NetworkUnitYear.objects.values_list("members", flat=True)) == [35, 40]
    created = AuditEntry.objects.filter(action="network_unit.create", source=job.audit_source)
    assert created.count() == 4

    # The association's yearly figures: the listed kinds counted, the others as entered.
    this_year = AssociationYear.objects.get(association=association, year=reform_year)
    assert (this_year.village_branches, this_year.school_boards, this_year.clan_boards) == (2, 1, 1)
    assert (this_year.members, this_year.agency_branches, this_year.agency_boards) == (75, 3, 2)
    next_year = AssociationYear.objects.get(association=association, year=reform_year + 1)
    assert (next_year.village_branches, next_year.school_boards, next_year.clan_boards) == (2, 1, 0)
    assert next_year.members == ENTERED["members"]  # no member known that year
    province = unit("2025", "19")
    assert fact(province, reform_year, "village_branches") == 2
    assert fact(province, reform_year, "members") == 75
    assert fact(province, reform_year + 1, "clan_boards") in (0, None)
    incremental = _meaningful(Fact.objects.values_list(*FIELDS))
    rebuild_all()
    assert _meaningful(Fact.objects.values_list(*FIELDS)) == incremental

    # The same file again changes nothing.
    records = AuditEntry.objects.exclude(action__startswith="import.")
    entries = records.count()
    client, again = upload("network_units", workbook(HEADER, good_rows))
    assert again.status == JobStatus.PREVIEWED
    assert again.counts == {"create": 0, "update": 0, "unchanged": 4}
    assert again.message
    again = commit(client, again)
    assert again.status == JobStatus.COMMITTED
    assert records.count() == entries


def test_a_changed_row_updates_its_unit_with_history(upload, commit, association, good_rows, reform_year):
    client, job = upload("network_units", workbook(HEADER, good_rows))
    commit(client, job)
    # The school's board closes; the first branch's members of the next year are known.
    good_rows[0][9:11] = [reform_year + 1, 44]
    good_rows[2][8] = reform_year
    client, job = upload("network_units", csv_file(HEADER, good_rows), name="chi-hoi.csv")
    assert job.counts == {"create": 0, "update": 2, "unchanged": 2}
    commit(client, job)
    first = NetworkUnit.objects.get(name="Chi hội Tổ dân phố 1")
    assert dict(first.years.values_list("year", "members")) == {reform_year: 40, reform_year + 1: 44}
    assert first.version == 2
    next_year = AssociationYear.objects.get(association=association, year=reform_year + 1)
    assert (next_year.school_boards, next_year.members) == (0, 44)
    assert AuditEntry.objects.filter(action="network_unit.update", source=job.audit_source).count() == 2


def test_bad_rows_are_refused_with_their_messages_and_nothing_is_saved(
    upload, admin_user, association, villages, places_of_the_ward, reform_year
):
    network.association_create(
        actor=admin_user, level="commune", area=unit("2025", "01840"), name="Hội Khuyến học phường Đức Xuân"
    )
    branch = "village_branch"
    song_cau_1 = villages["song_cau_1"].code
    bad = [
        row(branch, "Chi hội A", "01843-999", opened=reform_year),  # unknown village
        row(branch, "Chi hội B", villages["ban_thi"].code, opened=reform_year),  # a village outside the ward
        row(branch, "Chi hội C", song_cau_1, opened=reform_year, association_name="Hội Khuyến học phường Đức Xuân"),
        row(branch, "Chi hội D", song_cau_1, opened=reform_year),
        row(branch, "CHI HỘI D", song_cau_1, opened=reform_year),  # the same branch again
        row(branch, "Chi hội E", song_cau_1, opened="năm ngoái"),
        row(branch, "Chi hội F", song_cau_1, opened=reform_year, year=reform_year, members="-3"),
        row("Chi bộ", "Chi hội G", song_cau_1, opened=reform_year),
        row(branch, "Chi hội H", song_cau_1, opened=reform_year, last=reform_year - 1),
        row(branch, "Chi hội I", opened=reform_year),  # no village
        row("clan_board", "Ban khuyến học họ J", song_cau_1, opened=reform_year),  # a village is no clan
        row(branch, "Chi hội K", song_cau_1, opened=reform_year, members=20),  # members of no year
        ["00000", "", ASSOCIATION, branch, "Chi hội L", song_cau_1, "", reform_year, "", "", ""],
        row(branch, '=HYPERLINK("x")', song_cau_1, opened=reform_year, association_name="Hội nào đó"),
    ]
    entries = AuditEntry.objects.count()
    _client, job = upload("network_units", csv_file(HEADER, bad), name="chi-hoi.csv")
    assert job.status == JobStatus.INVALID
    assert places(job) == {
        (2, "Mã thôn, dòng họ hoặc đơn vị"),
        (3, "Mã thôn, dòng họ hoặc đơn vị"),
        (4, "Tên hội"),
        (6, "Tên chi hội, ban"),
        (7, "Năm thành lập"),
        (8, "Số hội viên"),
        (9, "Loại"),
        (10, "Năm cuối hoạt động"),
        (11, "Mã thôn, dòng họ hoặc đơn vị"),
        (12, "Mã thôn, dòng họ hoặc đơn vị"),
        (13, "Năm của số hội viên"),
        (14, "Mã địa bàn"),
        (15, "Tên hội"),
    }
    messages = {(e["row"], e["message"]) for e in job.errors}
    assert (2, "Mã thôn không có, hoặc thôn ngoài địa bàn của bạn: 01843-999.") in messages
    assert (9, "Hãy chọn loại chi hội hoặc ban khuyến học.") in messages
    assert (10, "Năm cuối không thể trước năm thành lập.") in messages
    assert (11, "Hãy chọn thôn, tổ dân phố của chi hội.") in messages
    assert (14, "Không có đơn vị mã “00000”.") in messages
    assert not NetworkUnit.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_the_template_lists_the_area_to_pick_and_the_list_already_kept(
    client_for, personas, upload, commit, association, good_rows
):
    client, job = upload("network_units", workbook(HEADER, good_rows))
    commit(client, job)
    response = client_for(personas["commune_officer"]).get(reverse("imports:template", args=["network_units"]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("Chi hội, ban").to_python()
    assert rows[0] == HEADER
    assert sorted(r[4] for r in rows[1:]) == sorted(r[4] for r in good_rows)
    assert book.get_sheet_by_name("Hội").to_python()[1][:3] == ["01843", "Phường Bắc Kạn", ASSOCIATION]
    villages = {r[1] for r in book.get_sheet_by_name("Thôn").to_python()[1:]}
    assert villages == {"Tổ dân phố 1", "Tổ dân phố 2"}  # the ward's, not the others'
    # The template uploaded as it is changes nothing.
    content = response.content
    _client, again = upload("network_units", content)
    assert again.status == JobStatus.PREVIEWED, again.errors
    assert again.counts == {"create": 0, "update": 0, "unchanged": 4}


def test_the_kind_is_offered_to_managers_only(client_for, personas, association):
    importing = reverse("imports:new", args=["network_units"])
    manager = client_for(personas["commune_officer"])
    assert importing in manager.get(reverse("imports:list")).content.decode()
    listed = reverse("registry:network_units", args=[association.pk])
    assert importing in manager.get(listed).content.decode()
    assert importing not in client_for(personas["viewer"]).get(listed).content.decode()
    viewer = client_for(personas["viewer"])
    assert viewer.get(reverse("imports:new", args=["network_units"])).status_code == 403

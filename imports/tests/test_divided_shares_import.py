"""Divided communes' shares from Excel (issue 15, item 4): one row per piece; the pieces of an old
commune are checked together (every new commune given, adding up to the whole), errors name their row
and column and nothing is saved; the saved shares split the old years' figures at once."""

import io
import re

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from areas.importing_shares import COLUMNS
from areas.models import UnitSuccession
from audit.models import AuditEntry
from conftest import unit
from imports.models import JobStatus
from stats import figures, services

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in COLUMNS]
OLD, SMALL, LARGE = "00007", "00025", "00008"  # Cống Vị → Giảng Võ, Ngọc Hà (its default)


def workbook(rows, header=HEADER):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Tỷ lệ")
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            if value not in ("", None):
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def counts():
    return {
        s.successor.code: s.share_count
        for s in UnitSuccession.objects.filter(predecessor__code=OLD).select_related("successor")
    }


def errors_at(job):
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


def test_check_writes_nothing_then_save_splits_the_old_years(upload, commit, admin_user):
    services.aggregate_save(
        actor=admin_user, unit=unit("pre2025", OLD), year=2018, title="household", measure="registered", value=1001
    )
    rows = [
        [OLD, "Phường Cống Vị", SMALL, "Phường Giảng Võ", "Số hộ", 1000, 3000],
        ["00022", "Phường Đội Cấn", "00004", "", "Dân số", 10, 10],
        [OLD, "Phường Cống Vị", LARGE, "Phường Ngọc Hà", "Số hộ", "2.000", "3.000"],
        ["00022", "Phường Đội Cấn", "00008", "", "Dân số", 0, 10],
    ]
    client, job = upload("divided_shares", workbook(rows), persona="admin")
    assert job.status == JobStatus.PREVIEWED, job.errors
    assert job.counts == {"create": 2, "update": 0, "unchanged": 0}
    assert counts() == {SMALL: None, LARGE: None}
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED
    assert counts() == {SMALL: 1000, LARGE: 2000}
    by_new = figures.for_units([unit("2025", SMALL), unit("2025", LARGE)], 2018, "2025")
    assert [by_new[unit("2025", c).pk].value("household", "registered") for c in (SMALL, LARGE)] == [334, 667]
    entries = AuditEntry.objects.filter(action="divided_shares.save")
    assert entries.count() == 2 and {e.source for e in entries} == {job.audit_source}
    client, again = upload("divided_shares", workbook(rows), persona="admin")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2}


def test_the_check_shows_each_old_communes_shares_in_words_and_the_saved_ones_link_to_them(upload, commit):
    """As the old commune's history words them (basis, whole, each new commune's part by name), not as
    their stored keys."""
    rows = [
        [OLD, "Phường Cống Vị", SMALL, "Phường Giảng Võ", "Số hộ", 1000, 3000],
        [OLD, "Phường Cống Vị", LARGE, "Phường Ngọc Hà", "Số hộ", 2000, 3000],
    ]
    client, job = upload("divided_shares", workbook(rows), persona="admin")
    assert job.status == JobStatus.PREVIEWED, job.errors
    html = re.sub(r"</?(b|small)>", "", client.get(reverse("imports:job", args=[job.pk])).content.decode())
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Tỷ lệ tính theo: Số hộ" in page
    assert "Tổng của xã cũ: 3.000" in page
    assert "Phần của các xã mới: Phường Ngọc Hà: 2.000; Phường Giảng Võ: 1.000" in page
    for stored in ("basis", "whole", "pieces", "households"):
        assert stored not in page
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert f'href="{reverse("areas:share", args=[OLD])}"' in page


def test_shares_that_do_not_add_up_name_the_row_and_column_and_save_nothing(upload):
    rows = [
        [OLD, "", SMALL, "", "Số hộ", 1000, 3001],
        [OLD, "", LARGE, "", "Số hộ", 2000, 3001],
    ]
    _client, job = upload("divided_shares", workbook(rows), persona="admin")
    assert job.status == JobStatus.INVALID
    message = errors_at(job)[(2, "Phần về xã mới")]
    assert "3.000" in message and "3.001" in message and "Phường Cống Vị" in message
    assert counts() == {SMALL: None, LARGE: None}


def test_each_bad_cell_is_named(upload):
    rows = [
        [OLD, "", SMALL, "", "Héc-ta", "một nghìn", 3000],  # basis and count unreadable
        [OLD, "", SMALL, "", "Số hộ", 2000, 2999],  # the same new commune again, another whole
        ["01843", "", SMALL, "", "Số hộ", 1, 1],  # not a divided old commune (a 2025 ward's code)
        [OLD, "", "", "", "Số hộ", 1, 3000],  # no new commune
    ]
    _client, job = upload("divided_shares", workbook(rows), persona="admin")
    found = errors_at(job)
    assert {(2, "Tính theo"), (2, "Phần về xã mới"), (4, "Mã xã cũ"), (5, "Mã xã mới")} <= set(found)
    assert "Héc-ta" in found[(2, "Tính theo")]
    assert counts() == {SMALL: None, LARGE: None}


def test_a_piece_left_out_is_an_error_of_the_old_communes_first_row(upload):
    _client, job = upload("divided_shares", workbook([[OLD, "", SMALL, "", "Số hộ", 3, 3]]), persona="admin")
    assert "Phường Ngọc Hà" in errors_at(job)[(2, "Mã xã mới")]


def test_another_provinces_old_commune_is_not_found(upload):
    rows = [[OLD, "", SMALL, "", "Số hộ", 1, 3], [OLD, "", LARGE, "", "Số hộ", 2, 3]]
    _client, job = upload("divided_shares", workbook(rows), persona="province_officer")  # Thái Nguyên
    assert {(2, "Mã xã cũ"), (3, "Mã xã cũ")} <= set(errors_at(job))


def test_the_template_lists_the_pieces_to_fill_in(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("imports:template", args=["divided_shares"]))
    content = response.content if hasattr(response, "content") else b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0] == HEADER
    assert [OLD, "Phường Cống Vị", SMALL, "Phường Giảng Võ"] in [r[:4] for r in rows[1:]]

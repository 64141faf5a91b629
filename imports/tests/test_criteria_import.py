"""A criteria set as an xlsx file through the import pipeline: the set exported as xlsx comes back
as a new set with the same content; a file without a name row is named after the file; every mistake
is named at its row and column and nothing is created; only criteria managers import a set."""

import io

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from audit.models import AuditEntry
from criteria import services
from criteria.models import CriteriaSet
from criteria.sheets import COLUMNS
from criteria.tests.helpers import completed_household_set
from criteria.yaml_io import set_to_yaml
from imports.models import JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def household_set(admin_user):
    return completed_household_set(admin_user)


def export(client, criteria_set) -> bytes:
    response = client.get(reverse("criteria:export_xlsx", args=[criteria_set.pk]))
    assert response.status_code == 200
    return response.content


def sheet_rows(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def workbook(rows, header=COLUMNS) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def info(label, value):
    return [label, "", "Thông tin", value, "", None, None, None]


def test_a_set_exported_as_xlsx_comes_back_through_the_import_pipeline(
    client_for, personas, upload, commit, household_set
):
    client = client_for(personas["province_officer"])
    content = export(client, household_set)
    rows = sheet_rows(content)
    assert rows[0] == COLUMNS
    assert ["3", "", "Tiêu chí", "Điều kiện học tập của gia đình", "Chấm điểm", 20.0, "", ""] in rows
    client, job = upload("criteria_set", content, name="gdht.xlsx", persona="province_officer")
    assert job.status == JobStatus.PREVIEWED, job.errors
    assert job.counts["create"] == 1 + 9
    assert CriteriaSet.objects.filter(name="GĐHT minh hoạ").count() == 1
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    created = CriteriaSet.objects.filter(name="GĐHT minh hoạ").latest("pk")
    assert created.pk != household_set.pk and not created.is_default
    assert sheet_rows(export(client, created)) == rows
    assert set_to_yaml(created) == set_to_yaml(household_set)
    assert AuditEntry.objects.filter(source=job.audit_source, action="criteria_set.create").count() == 1


def test_an_xlsx_set_without_a_name_row_is_named_after_its_file(upload, commit):
    rows = [
        info("Danh hiệu", "Đơn vị học tập"),
        info("Áp dụng từ năm", 2021),
        info("Cách xét kết quả", "Xếp loại theo tổng điểm"),
        info("Kết quả được tính là công nhận", "tot"),
        ["tot", "", "Xếp loại", "Tốt", "", None, 85, None],
        ["1", "", "Tiêu chí", "Điều kiện", "Cộng các phần", 30, None, None],
        ["1.1", "1", "Chỉ tiêu", "Kế hoạch", "Chấm điểm", 10, None, None],
    ]
    client, job = upload("criteria_set", workbook(rows), name="ĐVHT Thái Nguyên 2021.xlsx", persona="province_officer")
    assert job.status == JobStatus.PREVIEWED, job.errors
    commit(client, job)
    created = CriteriaSet.objects.get(name="ĐVHT Thái Nguyên 2021")
    assert (created.title, created.rule, created.recognised_results) == ("unit", "ratings", ["tot"])
    assert services.criteria_set_missing(created) == []


def test_each_mistake_in_an_xlsx_file_is_named_at_its_row_and_column_and_nothing_is_created(upload):
    rows = [
        info("Danh hiệu", "Hội thi"),
        info("Áp dụng từ năm", 2021),
        info("Màu", "đỏ"),
        ["tot", "", "Xếp loại", "Tốt", "", None, 85, None],
        ["1", "", "Tiêu chí", "Điều kiện", "Chấm điểm", 30, None, None],
        ["1.1", "9", "Chỉ tiêu", "Kế hoạch", "Chấm điểm", -1, None, None],
        ["1.2", "", "Chương", "Kế hoạch", "Chấm", None, None, "hai"],
    ]
    before = CriteriaSet.objects.count()
    _client, job = upload("criteria_set", workbook(rows), name="sai.xlsx", persona="province_officer")
    assert job.status == JobStatus.INVALID
    places = sorted((e["row"], e["column"]) for e in job.errors)
    assert places == [(1, "Loại"), (2, "Nội dung"), (4, "Mã"), (7, "Điểm tối đa"), (8, "Loại")]
    assert CriteriaSet.objects.count() == before

    rows = [
        info("Danh hiệu", "Đơn vị học tập"),
        info("Áp dụng từ năm", 2021),
        info("Cách xét kết quả", "Đạt danh hiệu khi đủ tổng điểm"),
        ["tot", "", "Xếp loại", "Tốt", "", None, 85, None],
        ["1", "", "Tiêu chí", "Điều kiện", "Chấm điểm", 30, None, None],
        ["1.1", "9", "Chỉ tiêu", "Kế hoạch", "Chấm điểm", 10, None, None],
        ["1.1", "1", "Chỉ tiêu", "Kế hoạch", "Chấm điểm", 10, None, None],
    ]
    _client, job = upload("criteria_set", workbook(rows), name="sai.xlsx", persona="province_officer")
    assert job.status == JobStatus.INVALID
    places = sorted((e["row"], e["column"]) for e in job.errors)
    assert places == [(5, "Mã"), (6, "Cách chấm"), (7, "Mã cấp trên"), (8, "Mã")]
    assert CriteriaSet.objects.count() == before


def test_only_criteria_managers_import_a_set_and_the_template_explains_the_layout(client_for, personas):
    assert client_for(personas["commune_officer"]).get(reverse("imports:new", args=["criteria_set"])).status_code == 403
    client = client_for(personas["province_officer"])
    response = client.get(reverse("imports:template", args=["criteria_set"]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0] == COLUMNS and [r[0] for r in rows[1:3]] == ["Tên bộ tiêu chí", "Danh hiệu"]
    assert len(book.sheet_names) == 2

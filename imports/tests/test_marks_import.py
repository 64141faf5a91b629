"""A village meeting's marks from Excel, through the shared import pipeline: the template lists the
village's households with the year and the set filled in and a column per scored criterion;
uploading checks every mark as the grid does (nothing written), saving registers and marks the
households all at once with their results; the same file again changes nothing."""

import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from audit.models import AuditEntry
from evaluations.models import Evaluation, EvaluationState, Mark
from evaluations.tests.conftest import FULL_MARKS
from imports.models import ImportJob, JobStatus
from registry import services as registry_services

pytestmark = pytest.mark.django_db

KIND = "household_marks"
HEADER = ["Mã hộ", "Chủ hộ", "Năm", "Mã bộ tiêu chí", *FULL_MARKS, "Gửi phê duyệt"]


@pytest.fixture
def households(admin_user, villages):
    """Three households of the village officer's village, in the order the template lists them."""
    made = [
        registry_services.household_create(actor=admin_user, village=villages["song_cau_1"], head_name=name, members=4)
        for name in ("Hoàng Văn An", "Lý Thị Bình", "Nông Văn Cường")
    ]
    assert made == sorted(made, key=lambda household: household.sort_key)
    return made


@pytest.fixture
def neighbour(admin_user, villages):
    """A household of the next village, in the same commune."""
    return registry_services.household_create(
        actor=admin_user, village=villages["song_cau_2"], head_name="Ma Văn Đức", members=3
    )


@pytest.fixture
def officer(client_for, personas):
    return client_for(personas["village_officer"])


def template_rows(client) -> list[list]:
    response = client.get(reverse("imports:template", args=[KIND]))
    assert response.status_code == 200
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def fill(rows: list[list], marks: dict, submit: dict | None = None) -> list[list]:
    """The template's rows with the marks typed in ({household code: {criterion: value}})."""
    header = rows[0]
    filled = [header]
    for row in rows[1:]:
        row = list(row)
        for code, value in marks.get(row[0], {}).items():
            row[header.index(code)] = value
        if submit and row[0] in submit:
            row[header.index("Gửi phê duyệt")] = submit[row[0]]
        filled.append(row)
    return filled


def workbook(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Chấm điểm hộ")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value not in ("", None):
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def places(job) -> set:
    return {(error["row"], error["column"]) for error in job.errors}


def results() -> dict:
    return {e.household: (e.state, e.total, e.result) for e in Evaluation.objects.all()}


def test_the_template_lists_the_villages_households_with_the_year_the_set_and_a_column_per_criterion(
    officer, households, neighbour, household_set
):
    rows = template_rows(officer)
    assert rows[0] == HEADER
    assert [row[:4] for row in rows[1:]] == [
        [h.code, h.head_name, timezone.localdate().year, household_set.pk] for h in households
    ]
    response = officer.get(reverse("imports:template", args=[KIND]))
    criteria = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("Tiêu chí").to_python()
    assert "minh hoạ" in criteria[1][1]
    texts = {row[0]: row[1] for row in criteria[4:]}
    assert list(texts) == list(FULL_MARKS) and all(texts.values())


def test_two_households_filled_in_are_checked_without_writing_then_registered_and_marked(
    officer, upload, commit, households, household_set
):
    an, binh, _cuong = households
    rows = fill(template_rows(officer), {an.code: FULL_MARKS, binh.code: {**FULL_MARKS, "3": 0, "4": "5"}})
    client, job = upload(KIND, workbook(rows), persona="village_officer")
    assert job.status == JobStatus.PREVIEWED, job.errors or job.message
    assert job.counts == {"create": 2, "update": 0, "unchanged": 1}
    assert not Evaluation.objects.exists()
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    assert results() == {
        an: (EvaluationState.IN_PROGRESS, Decimal(100), "achieved"),
        binh: (EvaluationState.IN_PROGRESS, Decimal(65), "not_achieved"),
    }
    assert all(e.criteria_set == household_set for e in Evaluation.objects.all())
    # The job lists what it changed: each household registered, then marked.
    actions = sorted(AuditEntry.objects.filter(source=job.audit_source).values_list("action", flat=True))
    assert actions == ["evaluation.marks"] * 2 + ["evaluation.register"] * 2


def test_the_same_file_again_changes_nothing_and_a_new_template_holds_the_saved_marks(
    officer, upload, commit, households, household_set
):
    an, binh, _cuong = households
    content = workbook(fill(template_rows(officer), {an.code: FULL_MARKS, binh.code: {"1.1": "7,5"}}))
    client, job = upload(KIND, content, persona="village_officer")
    commit(client, job)
    versions = dict(Evaluation.objects.values_list("household", "version"))
    client, job = upload(KIND, content, persona="village_officer")
    assert job.counts == {"create": 0, "update": 0, "unchanged": 3}
    assert commit(client, job).status == JobStatus.COMMITTED
    assert dict(Evaluation.objects.values_list("household", "version")) == versions
    again = template_rows(officer)
    header = again[0]
    assert again[1][header.index("4")] == 20 and again[2][header.index("1.1")] == 7.5
    _client, job = upload(KIND, workbook(again), persona="village_officer")
    assert job.counts == {"create": 0, "update": 0, "unchanged": 3}


def test_a_changed_mark_is_an_update_and_only_complete_rows_asked_to_be_submitted_are(
    officer, upload, commit, households, household_set
):
    an, binh, cuong = households
    partial = {code: value for code, value in FULL_MARKS.items() if code != "4"}
    rows = fill(template_rows(officer), {an.code: FULL_MARKS, binh.code: partial, cuong.code: FULL_MARKS})
    client, job = upload(KIND, workbook(rows), persona="village_officer")
    commit(client, job)
    rows = fill(template_rows(officer), {an.code: {"4": 15}}, submit={an.code: "Có", binh.code: "Có"})
    client, job = upload(KIND, workbook(rows), persona="village_officer")
    assert job.counts == {"create": 0, "update": 1, "unchanged": 2}
    assert job.samples["update"][0]["before"] == {"4": "20", "Gửi phê duyệt": "Không"}
    assert "Gửi phê duyệt" in client.get(reverse("imports:job", args=[job.pk])).content.decode()
    job = commit(client, job)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 200
    assert results() == {
        an: (EvaluationState.SUBMITTED, Decimal(95), "achieved"),
        binh: (EvaluationState.IN_PROGRESS, Decimal(80), "achieved"),  # incomplete: not submitted
        cuong: (EvaluationState.IN_PROGRESS, Decimal(100), "achieved"),
    }


def test_bad_marks_are_errors_with_their_row_and_column_and_nothing_is_saved(
    officer, upload, commit, households, household_set
):
    household_set.nodes.filter(code="4").update(scoring="pass_fail", max_points=None)
    an, binh, cuong = households
    rows = fill(
        template_rows(officer),
        {
            an.code: {**FULL_MARKS, "1.1": 11, "4": "Đạt"},
            binh.code: {**FULL_MARKS, "2.1": "abc", "4": "Không đạt"},
            cuong.code: {**FULL_MARKS, "4": 7},
        },
    )
    _client, job = upload(KIND, workbook(rows), persona="village_officer")
    assert job.status == JobStatus.INVALID
    assert places(job) == {(2, "1.1"), (3, "2.1"), (4, "4")}
    assert not Evaluation.objects.exists()


def test_passed_or_not_is_written_dat_or_khong_dat_and_also_x_1_0_co_khong(
    officer, upload, commit, households, household_set
):
    household_set.nodes.filter(code="4").update(scoring="pass_fail", max_points=None)
    an, binh, cuong = households
    rows = fill(
        template_rows(officer),
        {an.code: {"4": "Đạt"}, binh.code: {"4": "không"}, cuong.code: {"4": "x"}},
    )
    client, job = upload(KIND, workbook(rows), persona="village_officer")
    assert commit(client, job).status == JobStatus.COMMITTED
    passed = dict(Mark.objects.values_list("evaluation__household", "passed"))
    assert passed == {an.pk: True, binh.pk: False, cuong.pk: True}


def test_a_household_of_another_village_or_one_given_twice_is_an_error(
    officer, upload, households, neighbour, household_set
):
    rows = fill(template_rows(officer), {households[0].code: FULL_MARKS})
    year, set_id = rows[1][2], rows[1][3]
    rows.append([neighbour.code, neighbour.head_name, year, set_id, *FULL_MARKS.values(), ""])
    rows.append([households[0].code, "", year, set_id, *FULL_MARKS.values(), ""])
    _client, job = upload(KIND, workbook(rows), persona="village_officer")
    assert job.status == JobStatus.INVALID
    assert places(job) == {(5, "Mã hộ"), (6, "Mã hộ")}
    assert not Evaluation.objects.exists()


def test_a_set_that_cannot_be_used_is_an_error_on_its_cell(officer, upload, households, household_set):
    from criteria.models import CriteriaSet

    shipped = CriteriaSet.objects.get(is_default=True, title="household")
    rows = template_rows(officer)
    rows = [rows[0], *[[*row[:3], shipped.pk, *row[4:]] for row in rows[1:]]]
    _client, job = upload(KIND, workbook(rows), persona="village_officer")
    assert job.status == JobStatus.INVALID
    assert places(job) == {(2, "Mã bộ tiêu chí")}


def test_a_viewer_gets_neither_the_template_nor_the_upload(client_for, personas, households, household_set):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(personas["viewer"])
    assert client.get(reverse("imports:template", args=[KIND])).status_code == 403
    response = client.post(reverse("imports:new", args=[KIND]), {"file": SimpleUploadedFile("tep.xlsx", b"PK")})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_the_grid_links_to_the_template_and_the_upload(officer, villages, households, household_set):
    year = timezone.localdate().year
    page = officer.get(reverse("evaluations:grid", args=[villages["song_cau_1"].code, year])).content.decode()
    assert reverse("imports:template", args=[KIND]) in page and reverse("imports:new", args=[KIND]) in page


def test_a_year_closed_by_the_approving_commune_is_an_error_on_the_marked_rows(
    officer, upload, personas, households, household_set
):
    from evaluations import services

    commune = personas["commune_officer"]
    services.year_close(actor=commune, title="household", year=timezone.localdate().year, area=commune.unit)
    rows = fill(template_rows(officer), {households[1].code: FULL_MARKS})
    _client, job = upload(KIND, workbook(rows), persona="village_officer")
    assert job.status == JobStatus.INVALID
    assert places(job) == {(3, "Mã hộ")}


def test_without_a_complete_set_for_the_year_the_template_has_no_criteria_and_the_upload_says_why(
    officer, upload, households, household_set
):
    household_set.valid_to = timezone.localdate().year - 1
    household_set.save()
    rows = template_rows(officer)
    assert rows[0] == ["Mã hộ", "Chủ hộ", "Năm", "Mã bộ tiêu chí", "Gửi phê duyệt"]
    assert all(row[3] == "" for row in rows[1:])
    _client, job = upload(KIND, workbook(rows), persona="village_officer")
    assert job.status == JobStatus.INVALID
    assert places(job) == {(2, "Mã bộ tiêu chí")}

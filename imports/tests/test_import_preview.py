"""An import's results one can see (issue 14): the check's page shows the first rows to create and to
change with their values in words (field labels, Vietnamese numbers, village with its commune), its
errors in the order of the file; after saving, each record links to its page; and the marks template
of a past year has the criteria of the set that applied that year."""

import functools
import io
import re

import pytest
import xlsxwriter
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from evaluations.tests.conftest import FULL_MARKS
from imports.kinds import IMPORTERS
from imports.preview import RECORD_MODELS
from registry import services

pytestmark = pytest.mark.django_db

HEADER = ["Mã hộ", "Mã thôn", "Tên thôn", "Chủ hộ", "Số nhân khẩu", "Còn sinh sống"]


def workbook(rows, header=HEADER, sheet_name="Hộ gia đình"):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(sheet_name)
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            if value not in ("", None):
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def text_of(response) -> str:
    """The page's text, tags dropped (inline ones without a space) and spaces squeezed."""
    html = re.sub(r"</?(b|small|strong)>", "", response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def upload(upload):
    return functools.partial(upload, "households")


def test_the_check_shows_the_first_rows_to_create_with_their_values_in_words(upload):
    client, job = upload(workbook([["", "01837-001", "", "Hoàng Văn An", 12, "Có"]]))
    page = text_of(client.get(reverse("imports:job", args=[job.pk])))
    assert "Các dòng đầu sẽ thêm" in page
    assert "Chủ hộ: Hoàng Văn An" in page
    assert "Số nhân khẩu: 12" in page
    # The village with its commune, in the history's words, not its code.
    assert re.search(r"Thôn: Tổ dân phố 1[,·] +Phường Bắc Kạn", page.replace(" ·", "·"))
    assert "members" not in page and "head_name" not in page


def test_the_check_shows_the_first_rows_to_change_before_and_after(upload, admin_user, villages):
    household = services.household_create(
        actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=8
    )
    client, job = upload(workbook([[household.code, "01837-001", "", "Hoàng Văn An", 6, "Có"]]))
    assert job.counts["update"] == 1
    page = text_of(client.get(reverse("imports:job", args=[job.pk])))
    assert "Các dòng đầu sẽ sửa" in page
    assert "Số nhân khẩu: 8 → 6" in page
    assert household.code in page


def test_errors_are_listed_by_row_then_by_column_in_the_files_order(upload):
    rows = [
        ["", "01837-001", "", "Hoàng Văn An", 4, "Có"],
        ["", "99999-999", "", "", "nhiều", "Có"],  # row 3: three errors
        ["", "01837-001", "", "", 4, "Có"],  # row 4: one error
    ]
    client, job = upload(workbook(rows))
    stored = [(e["row"], e["column"]) for e in job.errors]
    response = client.get(reverse("imports:job", args=[job.pk]))
    shown = [(e["row"], e["column"]) for e in response.context["errors"]]
    assert sorted(stored) == sorted(shown)
    order = {header: i for i, header in enumerate(HEADER)}
    assert shown == sorted(shown, key=lambda place: (place[0], order[place[1]]))
    assert [row for row, _column in shown] == sorted(row for row, _column in shown)
    assert {row for row, _column in shown} == {3, 4}


def test_after_saving_each_record_links_to_its_page(upload, commit):
    client, job = upload(workbook([["", "01837-001", "", "Hoàng Văn An", 4, "Có"]]))
    job = commit(client, job)
    response = client.get(reverse("imports:job", args=[job.pk]))
    household_page = reverse("registry:household", args=["01837-001-0001"])
    assert f'href="{household_page}"' in response.content.decode()


# A criteria set's file makes one new set: the check counts it and keeps no example rows.
KINDS_WITHOUT_EXAMPLES = {"criteria_set"}


@pytest.mark.parametrize("kind", sorted(set(IMPORTERS) - KINDS_WITHOUT_EXAMPLES))
def test_every_kind_words_its_examples_as_its_records_history_does(kind):
    """A kind left out of RECORD_MODELS shows its examples' stored keys (full_name: …, sex: male)."""
    assert apps.get_model(RECORD_MODELS[kind])


# ---------------------------------------------------------------------------------------------------------
# The marks template of a past year


def marks_template(client, **params):
    response = client.get(reverse("imports:template", args=["household_marks"]), params)
    assert response.status_code == 200
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def test_the_marks_template_of_a_past_year_has_the_criteria_of_the_set_of_that_year(
    client_for, personas, admin_user, villages, household_set
):
    """Backfilling 2019 with a set that applied 2016–2020 and none today: 2019's template has the
    set's criteria; this year's has none (there is no set for it)."""
    household_set.valid_from, household_set.valid_to = 2016, 2020
    household_set.save()
    services.household_create(actor=admin_user, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4)
    officer = client_for(personas["village_officer"])
    past = marks_template(officer, year="2019")
    assert past[0] == ["Mã hộ", "Chủ hộ", "Năm", "Mã bộ tiêu chí", *FULL_MARKS, "Gửi phê duyệt"]
    assert past[1][2:4] == [2019, household_set.pk]
    today = marks_template(officer)
    assert today[0] == ["Mã hộ", "Chủ hộ", "Năm", "Mã bộ tiêu chí", "Gửi phê duyệt"]
    assert today[1][2] == timezone.localdate().year


def test_the_upload_page_offers_the_marks_template_by_year_and_a_bad_year_is_a_message(client_for, personas):
    officer = client_for(personas["village_officer"])
    page = officer.get(reverse("imports:new", args=["household_marks"])).content.decode()
    assert 'name="year"' in page
    response = officer.get(reverse("imports:template", args=["household_marks"]), {"year": "hai nghìn"}, follow=True)
    assert response.status_code == 200
    assert "Hãy nhập năm từ 2000" in text_of(response)

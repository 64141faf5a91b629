"""An evaluation's history reads in words (issue 14): its title and state by name, its marks by
criterion, the year a title was closed on an area."""

import pytest
from django.utils import translation

from audit.services import history_of
from audit.wording import changes
from evaluations import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def test_registering_and_marking_read_as_the_title_the_state_and_each_criterion(
    personas, household, household_set, reform_year
):
    village = personas["village_officer"]
    evaluation = services.evaluation_register(
        actor=village,
        title="household",
        year=reform_year,
        subject=household("Hoàng Văn An"),
        criteria_set=household_set,
    )
    services.evaluation_marks_save(
        actor=village, evaluation=evaluation, version=evaluation.version, marks={"1.1": 10, "1.2": 5}
    )
    marks, registered = history_of(evaluation)
    assert changes(marks) == [
        ("Trạng thái", "Đã đăng ký", "Đang tự đánh giá"),
        ("Tiêu chí 1.1", "—", "10"),
        ("Tiêu chí 1.2", "—", "5"),
    ]
    rows = {label: after for label, _before, after in changes(registered)}
    assert rows["Danh hiệu"] == "Gia đình học tập"
    assert rows["Năm"] == str(reform_year)
    assert rows["Đối tượng đánh giá"].startswith("Hoàng Văn An")
    assert "household" not in str(rows)


def test_a_note_on_a_criterion_reads_as_the_note_of_that_criterion(personas, household, household_set, reform_year):
    village = personas["village_officer"]
    evaluation = services.evaluation_register(
        actor=village, title="household", year=reform_year, subject=household("Lý Thị Mai"), criteria_set=household_set
    )
    evaluation = services.evaluation_marks_save(
        actor=village, evaluation=evaluation, version=evaluation.version, marks={"1.1": 10}
    )
    services.evaluation_marks_save(
        actor=village,
        evaluation=evaluation,
        version=evaluation.version,
        marks={"1.1": 10},
        notes={"1.1": "Sổ họp thôn"},
    )
    noted = history_of(evaluation)[0]
    assert changes(noted) == [("Ghi chú tiêu chí 1.1", "—", "Sổ họp thôn")]

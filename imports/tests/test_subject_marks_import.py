"""Marks of clans, villages and units from Excel (issue 15), as the households' marks: the template lists
the user's clans (villages, units) with the year, the set and a column per criterion; uploading checks
every mark (nothing written); saving registers and marks them; the same file again changes nothing; bad
marks and codes outside the area are named by row and column."""

import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from conftest import unit
from criteria.services import definition_of
from evaluations import demo_sets
from evaluations.models import Evaluation, EvaluationState
from imports.models import JobStatus
from registry import services as registry_services

pytestmark = pytest.mark.django_db

YEAR = 2025
KINDS = {
    "clan_marks": ("clan", "Mã dòng họ"),
    "village_marks": ("village", "Mã thôn"),
    "unit_marks": ("unit", "Mã đơn vị"),
}


@pytest.fixture
def subjects(admin_user, villages):
    """A clan and a unit of Phường Bắc Kạn (2025), one of Phường Đức Xuân, and the illustration sets."""
    bac_kan, duc_xuan = unit("2025", "01843"), unit("2025", "01840")

    def clan(commune, name):
        return registry_services.clan_save(
            actor=admin_user,
            clan=None,
            commune=commune,
            name=name,
            head_name="",
            member_households=20,
            has_board=True,
            villages=[],
        )

    def organisation(area, name):
        return registry_services.organisation_save(
            actor=admin_user, organisation=None, name=name, kind="school", managing_level="commune", area=area
        )

    sets = {"clan": demo_sets._clan(admin_user)[0], "village": demo_sets._village(admin_user)[0]}
    sets["unit"] = demo_sets._unit(admin_user)[0]
    return {
        "clan": clan(bac_kan, "Họ Hoàng"),
        "unit": organisation(bac_kan, "Trường Tiểu học Sông Cầu"),
        "village": villages["song_cau_1"],
        "far": {"clan": clan(duc_xuan, "Họ Ma"), "unit": organisation(duc_xuan, "Trường Mầm non Đức Xuân")},
        "sets": sets,
    }


def template(client, kind) -> list[list]:
    response = client.get(reverse("imports:template", args=[kind]), {"year": YEAR})
    assert response.status_code == 200
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def workbook(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value not in ("", None):
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def full_marks(criteria_set) -> dict:
    return {leaf.key: float(leaf.max_points) for leaf in definition_of(criteria_set).leaves}


def filled(rows, code, marks) -> list[list]:
    header = rows[0]
    out = [header]
    for row in rows[1:]:
        row = list(row)
        if row[0] == code:
            for key, value in marks.items():
                row[header.index(key)] = value
        out.append(row)
    return out


@pytest.mark.parametrize("kind", list(KINDS))
def test_marks_from_the_template_register_and_mark_then_change_nothing_again(
    client_for, personas, upload, commit, subjects, kind
):
    title, code_header = KINDS[kind]
    subject, criteria_set = subjects[title], subjects["sets"][title]
    officer = client_for(personas["commune_officer"])
    rows = template(officer, kind)
    assert rows[0][:4] == [code_header, rows[0][1], "Năm", "Mã bộ tiêu chí"]
    listed = [row[0] for row in rows[1:]]
    assert subject.code in listed
    if title != "village":
        assert subjects["far"][title].code not in listed  # another commune's
    assert all(row[2] == YEAR and row[3] == criteria_set.pk for row in rows[1:])
    content = workbook(filled(rows, subject.code, full_marks(criteria_set)))
    client, job = upload(kind, content)
    assert job.status == JobStatus.PREVIEWED, job.errors or job.message
    assert job.counts["create"] == 1 and job.counts["update"] == 0
    assert not Evaluation.objects.filter(title=title).exists()
    job = commit(client, job)
    assert job.status == JobStatus.COMMITTED, job.message
    evaluation = Evaluation.objects.get(title=title)
    assert evaluation.subject == subject and evaluation.year == YEAR and evaluation.criteria_set == criteria_set
    assert evaluation.state == EvaluationState.IN_PROGRESS
    assert evaluation.total == Decimal(sum(full_marks(criteria_set).values()))
    assert (evaluation.area.tree, evaluation.area.code) == ("2025", "01843")
    version = evaluation.version
    client, again = upload(kind, content)
    assert again.counts["create"] == 0 and again.counts["update"] == 0, again.errors
    assert commit(client, again).status == JobStatus.COMMITTED
    assert Evaluation.objects.get(title=title).version == version


@pytest.mark.parametrize("kind", ["clan_marks", "unit_marks"])
def test_bad_marks_and_codes_outside_the_area_are_named_by_row_and_column(client_for, personas, upload, subjects, kind):
    title, code_header = KINDS[kind]
    criteria_set = subjects["sets"][title]
    rows = template(client_for(personas["commune_officer"]), kind)
    header = rows[0]
    first_leaf = definition_of(criteria_set).leaves[0]
    too_many = {first_leaf.key: float(first_leaf.max_points) + 1}
    bad = [
        header,
        [subjects[title].code, "", YEAR, criteria_set.pk, *[""] * (len(header) - 4)],
        [subjects["far"][title].code, "", YEAR, criteria_set.pk, *[""] * (len(header) - 4)],
        ["KHONG-CO", "", YEAR, criteria_set.pk, *[""] * (len(header) - 4)],
    ]
    bad[1][header.index(first_leaf.key)] = too_many[first_leaf.key]
    bad[2][header.index(first_leaf.key)] = 1
    bad[3][header.index(first_leaf.key)] = 1
    _client, job = upload(kind, workbook(bad))
    assert job.status == JobStatus.INVALID
    places = {(e["row"], e["column"]) for e in job.errors}
    assert places == {(2, first_leaf.key), (3, code_header), (4, code_header)}
    assert not Evaluation.objects.exists()


def test_a_set_of_another_title_is_refused_on_the_first_row(client_for, personas, upload, subjects):
    rows = template(client_for(personas["commune_officer"]), "clan_marks")
    rows[1][3] = subjects["sets"]["village"].pk
    _client, job = upload("clan_marks", workbook(rows))
    assert job.status == JobStatus.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "Mã bộ tiêu chí")]


@pytest.mark.parametrize("persona", ["viewer", "anonymous"])
def test_who_may_not_import_marks(client_for, personas, subjects, persona):
    client = client_for(personas[persona])
    for kind in KINDS:
        response = client.get(reverse("imports:new", args=[kind]))
        assert response.status_code in (302, 403)

"""A village officer's scope is their village (issue 16, item 3): every page, download and API route
that shows households, evaluations, a meeting grid, a decision's list or figures broken down by
village shows a village officer their own village's rows only, never a name from another village of
the same commune; the decision's totals and the commune's totals stay readable. The commune officer
still sees both villages."""

import csv
import io
import json

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from criteria.tests.helpers import completed_household_set
from evaluations.models import Evaluation
from imports.models import JobStatus
from imports.tests.test_household_import import csv_file
from registry import services as registry_services
from registry.models import Household
from stats.tests.conftest import approved, published

pytestmark = pytest.mark.django_db

# Village A is the village officer's (Tổ dân phố 1), village B its neighbour in Phường Bắc Kạn.
NAMES_A = ("Nông Văn Ánh", "Triệu Thị Ảnh")
NAMES_B = ("Hà Văn Bảo", "Lục Thị Bích")
COMMUNE = "2025:01843"


@pytest.fixture
def commune(personas, admin_user, villages, reform_year):
    """Two households in each village, all approved by the commune and recognised in one published
    decision of the commune."""
    officer = personas["commune_officer"]
    household_set = completed_household_set(admin_user)
    evaluations = {}
    for village, names in (("song_cau_1", NAMES_A), ("song_cau_2", NAMES_B)):
        for name in names:
            household = registry_services.household_create(
                actor=admin_user, village=villages[village], head_name=name, members=4
            )
            evaluations[name] = approved(officer, household_set, household, reform_year)
    decision = published(officer, list(evaluations.values()), year=reform_year, area=("2025", "01843"))
    return {"decision": decision, "evaluations": evaluations, "year": reform_year}


def text_of(response) -> str:
    """What a page, an API answer or a download shows, as text (a workbook: every cell of every sheet)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        cells = [cell for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for cell in row]
        return "\n".join(str(cell) for cell in cells)
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content.decode("utf-8-sig")


def household_routes(data):
    """Routes that list households by name: pages, downloads and API."""
    year, decision = data["year"], data["decision"]
    return {
        "decision page": reverse("evaluations:decision", args=[decision.pk]),
        "evaluations page": f"{reverse('evaluations:list')}?year={year}",
        "households page": reverse("registry:households"),
        "households xlsx": reverse("registry:household_export", args=["xlsx"]),
        "households csv": reverse("registry:household_export", args=["csv"]),
        "API decision": f"/api/v1/decisions/{decision.pk}/",
        "API evaluations": f"/api/v1/evaluations/?year={year}",
        "API households": "/api/v1/households/",
    }


ROUTES = [
    "decision page",
    "evaluations page",
    "households page",
    "households xlsx",
    "households csv",
    "API decision",
    "API evaluations",
    "API households",
]


@pytest.mark.parametrize("route", ROUTES)
def test_a_village_officer_reads_their_own_villages_households_only(client_for, personas, commune, route):
    url = household_routes(commune)[route]
    response = client_for(personas["village_officer"]).get(url)
    assert response.status_code == 200
    shown = text_of(response)
    assert all(name in shown for name in NAMES_A)
    assert not any(name in shown for name in NAMES_B)


@pytest.mark.parametrize("route", ROUTES)
def test_the_commune_officer_reads_both_villages(client_for, personas, commune, route):
    url = household_routes(commune)[route]
    response = client_for(personas["commune_officer"]).get(url)
    assert response.status_code == 200
    shown = text_of(response)
    assert all(name in shown for name in (*NAMES_A, *NAMES_B))


def test_the_decision_keeps_its_total_while_its_list_shows_the_village(client_for, personas, commune):
    """The annex lists the village's subjects; the decision still says how many it recognises."""
    client = client_for(personas["village_officer"])
    decision = commune["decision"]
    page = client.get(reverse("evaluations:decision", args=[decision.pk]))
    assert len(page.context["rows"]) == 2 and page.context["total"] == 4
    own = {commune["evaluations"][name].pk for name in NAMES_A}
    answer = client.get(f"/api/v1/decisions/{decision.pk}/").json()
    assert set(answer["evaluations"]) == own and answer["recognised_total"] == 4
    assert {row["id"] for row in answer["recognised"]} == own
    listed = client.get("/api/v1/decisions/").json()["results"]
    assert [(d["recognised_total"], set(d["evaluations"])) for d in listed] == [(4, own)]
    whole = client_for(personas["commune_officer"]).get(f"/api/v1/decisions/{decision.pk}/").json()
    assert len(whole["evaluations"]) == whole["recognised_total"] == 4


def listed_in(side) -> list:
    """The evaluations a history entry's side lists (publishing records only their number)."""
    evaluations = (side or {}).get("evaluations")
    return evaluations if isinstance(evaluations, list) else []


def test_the_decisions_history_names_only_the_villages_evaluations(client_for, personas, commune):
    """The audit entries list evaluations by id: a village officer reads their village's ids only."""
    decision = commune["decision"]
    own = {commune["evaluations"][name].pk for name in NAMES_A}
    for persona, expected in (("village_officer", own), ("commune_officer", {e.pk for e in Evaluation.objects.all()})):
        client = client_for(personas[persona])
        entries = client.get(f"/api/v1/decisions/{decision.pk}/history/").json()["results"]
        listed = {pk for entry in entries for side in (entry["before"], entry["after"]) for pk in listed_in(side)}
        assert listed == expected
        page = client.get(reverse("evaluations:decision", args=[decision.pk])).context["history"]
        assert {pk for entry in page for pk in listed_in(entry.after)} == expected


def test_another_villages_records_are_not_found(client_for, personas, commune, villages):
    """Asked for by code or id, another village's household, evaluation, grid and history are 404."""
    client = client_for(personas["village_officer"])
    other = commune["evaluations"][NAMES_B[0]]
    code, year = other.household.code, commune["year"]
    for url in (
        reverse("registry:household", args=[code]),
        reverse("evaluations:detail", args=[other.pk]),
        reverse("evaluations:grid", args=[villages["song_cau_2"].code, year]),
        f"/api/v1/households/{code}/",
        f"/api/v1/households/{code}/history/",
        f"/api/v1/evaluations/{other.pk}/",
        f"/api/v1/evaluations/{other.pk}/history/",
    ):
        assert client.get(url).status_code == 404, url
    grid = client.get(reverse("evaluations:grid", args=[villages["song_cau_1"].code, year]))
    assert grid.status_code == 200 and NAMES_A[0] in text_of(grid) and NAMES_B[0] not in text_of(grid)


def statistics_rows(client, file_format, year):
    """The statistics download's rows as (area code, title, measure) → value."""
    response = client.get(reverse("stats:overview"), {"area": COMMUNE, "year": year, "format": file_format})
    assert response.status_code == 200
    if file_format == "xlsx":
        book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    else:
        rows = list(csv.reader(io.StringIO(text_of(response))))
    return {(str(r[0]), str(r[4]), str(r[5])): r[6] for r in rows[1:]}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_statistics_downloads_break_the_commune_down_into_the_own_village_only(
    client_for, personas, commune, villages, file_format
):
    a, b = villages["song_cau_1"].code, villages["song_cau_2"].code
    year = commune["year"]
    own = statistics_rows(client_for(personas["village_officer"]), file_format, year)
    assert {code for code, _title, _measure in own} == {"01843", a}
    whole = statistics_rows(client_for(personas["commune_officer"]), file_format, year)
    assert {code for code, _title, _measure in whole} == {"01843", a, b}
    # The commune's totals are the same for both; the village's own figures too.
    recognised = ("Gia đình học tập", "Được công nhận")
    assert {k: v for k, v in own.items() if k[0] == "01843"} == {k: v for k, v in whole.items() if k[0] == "01843"}
    assert int(float(own[("01843", *recognised)])) == 4 and int(float(own[(a, *recognised)])) == 2


def test_the_statistics_page_drills_into_the_own_village_only(client_for, personas, commune, villages):
    year = commune["year"]
    for persona, expected in (
        ("village_officer", ["song_cau_1"]),
        ("commune_officer", ["song_cau_1", "song_cau_2"]),
    ):
        response = client_for(personas[persona]).get(reverse("stats:overview"), {"area": COMMUNE, "year": year})
        assert [child.pk for child, _rows in response.context["view"].children] == [villages[v].pk for v in expected]
    page = text_of(response)
    assert villages["song_cau_2"].name in page


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_the_figures_api_with_children_gives_a_village_officer_their_village_only(
    client_for, personas, commune, villages, file_format
):
    a, b = villages["song_cau_1"].code, villages["song_cau_2"].code
    params = {"area": COMMUNE, "year": commune["year"], "children": "true", "format": file_format}
    for persona, expected in (("village_officer", {"01843", a}), ("commune_officer", {"01843", a, b})):
        response = client_for(personas[persona]).get("/api/v1/statistics/figures/", params)
        assert response.status_code == 200
        if file_format == "json":
            codes = {row["area_code"] for row in response.json()["results"]}
        else:
            codes = {row[1] for row in list(csv.reader(io.StringIO(text_of(response))))[1:]}
        assert codes == expected
    page = client_for(personas["village_officer"]).get(
        reverse("stats:overview"), {"area": COMMUNE, "year": commune["year"]}
    )
    assert villages["song_cau_2"].name not in text_of(page)


def test_an_import_no_longer_names_a_household_that_left_the_village(upload, commit, client_for, personas, villages):
    """The village officer imported a household; once the commune moved it to another village, the
    job page shows the change they made but no longer names or links the household."""
    client, job = upload(
        "households", csv_file([["", "01837-001", "", "Mã Văn Dời", 3, "Có"]]), "ho.csv", "village_officer"
    )
    assert job.status == JobStatus.PREVIEWED, job.errors
    job = commit(client, job)
    household = Household.objects.get(head_name="Mã Văn Dời")
    page = text_of(client.get(reverse("imports:job", args=[job.pk])))
    assert str(household) in page
    # The commune moves it to the neighbouring village (by its own import).
    moved = csv_file([[household.code, "01837-002", "", household.head_name, 3, "Có"]])
    officer, move = upload("households", moved, "chuyen.csv", "commune_officer")
    assert move.counts == {"create": 0, "update": 1, "unchanged": 0}, move.errors
    commit(officer, move)
    assert Household.objects.get(pk=household.pk).village == villages["song_cau_2"]
    client = client_for(personas["village_officer"])
    page = text_of(client.get(reverse("imports:job", args=[job.pk])))
    assert str(household) not in page
    assert reverse("registry:household", args=[household.code]) not in page

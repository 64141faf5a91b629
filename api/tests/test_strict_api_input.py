"""Every whole number, year and record id the API reads goes through the project's one strict parser:
ASCII digits only, within what its column holds (a year within the data's years), so no Unicode digit,
no 2^63, no year 40000 is stored or reaches the database; each refusal is a 400 naming the field, in
the caller's language (Vietnamese unless the request asks for English), never a Python repr, and
nothing is written. Errors outside Django REST framework (an unknown address, a method a route does
not answer, a server error) are the API's JSON too, never Django's HTML page."""

import json

import pytest
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory

from api.middleware import ApiLanguageAndErrorsMiddleware
from audit.models import AuditEntry
from conftest import unit
from evaluations import services as evaluation_services
from evaluations.models import Evaluation
from evaluations.tests.conftest import household_set  # noqa: F401  (the completed household set)
from registry import network, services
from registry.models import AreaYear, AssociationYear, Clan, Household

from .clients import api_for
from .test_api_schema_fuzz import VIETNAMESE_LETTERS

pytestmark = pytest.mark.django_db

# Each class of bad whole number the issue names, as JSON sends it (numbers and strings).
BAD_NUMBERS = [
    "①",
    "²",
    "٣",
    "١٢",
    "５",
    2**63,
    str(2**63),
    -(2**63) - 1,
    10**30,
    1e30,
    3.5,
    "3,5",
    "1e3",
    True,
    "",
    "  ",
    "12abc",
    [1],
    {"value": 1},
    float("inf"),
]
BAD_YEARS = [*BAD_NUMBERS, 40000, "40000", 1110939927403, 1999, 2063, -2025, "2.024", "2 024", 0]


@pytest.fixture
def records(personas, villages, household_set, reform_year):  # noqa: F811
    officer = personas["commune_officer"]
    commune = unit("2025", "01843")
    household = services.household_create(
        actor=officer, village=villages["song_cau_1"], head_name="Hoàng Văn An", members=4
    )
    association = network.association_create(actor=officer, level="commune", area=commune, name="Hội Khuyến học")
    evaluation = evaluation_services.evaluation_register(
        actor=personas["village_officer"],
        title="household",
        year=reform_year,
        subject=household,
        criteria_set=household_set,
    )
    neighbour = services.household_create(
        actor=officer, village=villages["song_cau_1"], head_name="Lục Thị Mai", members=3
    )
    return {
        "household": household,
        "neighbour": neighbour,
        "association": association,
        "evaluation": evaluation,
        "set": household_set,
    }


def counts():
    return [model.objects.count() for model in (Household, Clan, AreaYear, AssociationYear, Evaluation, AuditEntry)]


def routes(records, year):
    """(method, url, a good body, the field to spoil, its bad values) for every integer the API reads."""
    household, association, evaluation = records["household"], records["association"], records["evaluation"]
    area_year = {"area_tree": "2025", "area_code": "01843", "year": year, "population": 8000}
    association_year = {
        "association": association.pk,
        "year": year,
        **dict.fromkeys(network.ASSOCIATION_YEAR_FIELDS, 3),
    }
    clan = {"name": "Họ Lục", "commune_tree": "2025", "commune_code": "01843", "member_households": 12}
    register = {
        "title": "household",
        "year": year,
        "subject": records["neighbour"].code,
        "criteria_set": records["set"].pk,
    }
    return [
        ("post", "/api/v1/households/", {"village": "01837-001", "head_name": "Lục Văn Bình", "members": 3}, "members"),
        ("patch", f"/api/v1/households/{household.code}/", {"members": 5, "version": 1}, "members"),
        ("patch", f"/api/v1/households/{household.code}/", {"members": 5, "version": 1}, "version"),
        ("post", "/api/v1/clans/", clan, "member_households"),
        ("post", "/api/v1/area-years/", area_year, "year"),
        ("post", "/api/v1/area-years/", area_year, "population"),
        ("post", "/api/v1/area-years/", {**area_year, "version": 1}, "version"),
        ("post", "/api/v1/association-years/", association_year, "year"),
        ("post", "/api/v1/association-years/", association_year, "members"),
        ("post", "/api/v1/association-years/", association_year, "association"),
        ("post", "/api/v1/evaluations/", register, "year"),
        ("post", "/api/v1/evaluations/", register, "criteria_set"),
        ("post", f"/api/v1/evaluations/{evaluation.pk}/submit/", {"version": 1}, "version"),
        ("post", f"/api/v1/evaluations/{evaluation.pk}/marks/", {"version": 1, "marks": {"1.1": 5}}, "version"),
    ]


ROUTES = 14


@pytest.mark.parametrize("route", range(ROUTES))
def test_a_bad_whole_number_or_year_is_a_400_naming_the_field_in_vietnamese_and_nothing_is_written(
    personas, records, reform_year, route
):
    method, url, good, field = routes(records, reform_year)[route]
    api = api_for(personas["commune_officer"])
    before = counts()
    values = BAD_YEARS if field == "year" else BAD_NUMBERS
    if field == "criteria_set":  # optional: left empty, the newest set covering the year is used
        values = [value for value in values if value != ""]
    for value in values:
        body = json.dumps({**good, field: value}, allow_nan=True)
        response = getattr(api, method)(url, body, content_type="application/json")
        assert response.status_code == 400, (url, field, value, response.status_code, response.content)
        answer = response.json()
        messages = answer.get(field, answer.get("detail"))  # inf is not JSON: the body as a whole is refused
        assert messages, (url, field, value, answer)
        text = " ".join(messages) if isinstance(messages, list) else str(messages)
        assert VIETNAMESE_LETTERS.search(text) and "ErrorDetail" not in text, (url, field, value, text)
    assert counts() == before


def test_a_good_body_of_each_route_is_accepted(personas, records, reform_year):
    """The bodies spoiled above are good as they are: the refusals come from the spoiled field."""
    api = api_for(personas["commune_officer"])
    done = set()
    for method, url, good, _field in routes(records, reform_year):
        if (method, url) in done or url.endswith("/submit/"):  # submitting needs every mark first
            continue
        done.add((method, url))
        response = getattr(api, method)(url, good, format="json")
        assert response.status_code in (200, 201), (url, response.content)


def test_the_years_of_the_issue_are_refused_with_the_years_allowed(personas, records):
    register = {"title": "household", "subject": records["neighbour"].code, "criteria_set": records["set"].pk}
    api = api_for(personas["commune_officer"])
    for year in (2**63, 40000, 1110939927403):
        response = api.post("/api/v1/evaluations/", {**register, "year": year}, format="json")
        assert response.status_code == 400
        assert response.json()["year"] == ["Hãy nhập năm từ 2000 đến 2062."]
    english = api.post("/api/v1/evaluations/", {**register, "year": 40000}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["year"] == ["Enter a year from 2000 to 2062."]
    assert not Evaluation.objects.exclude(pk=records["evaluation"].pk).exists()


QUERY_NUMBERS = ["①", "²", "٣", str(2**63), str(10**30), "-1", "3.5", "1e3", "abc"]
QUERIES = [
    ("/api/v1/association-years/", "association"),
    ("/api/v1/association-years/", "year"),
    ("/api/v1/area-years/", "year"),
    ("/api/v1/evaluations/", "year"),
    ("/api/v1/decisions/", "year"),
    ("/api/v1/units/", "level"),
    ("/api/v1/statistics/figures/", "year"),
    ("/api/v1/households/", "page"),
    ("/api/v1/households/", "page_size"),
]


@pytest.mark.parametrize(("path", "param"), QUERIES)
def test_a_bad_number_in_a_query_is_a_400_naming_the_parameter(personas, records, path, param):
    api = api_for(personas["province_officer"])
    for value in QUERY_NUMBERS:
        response = api.get(path, {param: value})
        assert response.status_code == 400, (path, param, value, response.status_code)
        assert VIETNAMESE_LETTERS.search(" ".join(response.json()[param]))


def test_a_page_past_the_last_is_a_404_in_vietnamese(personas, records):
    response = api_for(personas["commune_officer"]).get("/api/v1/households/", {"page": 9})
    assert response.status_code == 404
    assert response.json() == {"detail": "Không có trang này: danh sách có ít trang hơn."}


def test_a_csv_answer_refused_says_why_in_csv_never_a_python_repr(personas):
    response = api_for(personas["province_officer"]).get("/api/v1/statistics/figures/", {"year": "²", "format": "csv"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "field,error"
    assert lines[1] == "year,Hãy nhập năm từ 2000 đến 2062."
    assert "ErrorDetail" not in response.content.decode()


def test_errors_outside_the_framework_are_json_in_the_callers_language(personas, records):
    api = api_for(personas["commune_officer"])
    unknown = api.get("/api/v1/no-such-route/")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/json"
    assert unknown.json() == {"detail": "Không có gì ở địa chỉ này của API."}
    english = api.get("/api/v1/no-such-route/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english.json() == {"detail": "There is nothing at this address of the API."}
    method = api.delete(f"/api/v1/households/{records['household'].code}/")
    assert method.status_code == 405 and "DELETE" in method.json()["detail"]
    assert VIETNAMESE_LETTERS.search(method.json()["detail"])
    broken = api.post("/api/v1/households/", "{", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {"detail": "Nội dung gửi lên không phải JSON hợp lệ (dòng 1, cột 2)."}
    missing = api.get("/api/v1/criteria-sets/999999/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Không tìm thấy."}


@pytest.mark.parametrize("status", [400, 403, 404, 405, 413, 500, 502])
def test_an_html_error_page_under_the_api_becomes_the_apis_json(status):
    page = HttpResponse("<h1>Server Error</h1>", status=status, content_type="text/html")
    if status == 500:
        page = HttpResponseServerError("<h1>Server Error (500)</h1>")
    middleware = ApiLanguageAndErrorsMiddleware(lambda request: page)
    answer = middleware(RequestFactory().get("/api/v1/households/"))
    assert answer.status_code == status and answer["Content-Type"] == "application/json"
    assert VIETNAMESE_LETTERS.search(json.loads(answer.content)["detail"])
    website = ApiLanguageAndErrorsMiddleware(lambda request: page)(RequestFactory().get("/registry/"))
    assert website is page  # the website's own error pages are left to it


def test_the_language_cookie_wins_over_the_header_and_no_header_means_vietnamese(personas):
    api = api_for(personas["commune_officer"])
    assert api.get("/api/v1/no-such-route/").json()["detail"] == "Không có gì ở địa chỉ này của API."
    api.cookies["django_language"] = "vi"
    answer = api.get("/api/v1/no-such-route/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.json()["detail"] == "Không có gì ở địa chỉ này của API."

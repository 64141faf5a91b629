"""The public portal as an anonymous visitor reads it: only what is published, the same figures as
the statistics, files equal to the page, cacheable answers, and plain Vietnamese for bad input."""

import csv
import io
import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import URLPattern, reverse

from accounts.models import User
from conftest import unit
from evaluations import decisions as evaluation_decisions
from portal import services, views
from portal import urls as portal_urls
from portal.views import sitemap_urls
from registry.models import Clan, Household
from stats import reports
from stats.models import ReportState
from stats.rebuild import rebuild_year

from .conftest import CLAN_HEAD, DRAFT_NUMBER, HEAD, SIGNER

pytestmark = pytest.mark.django_db


def page(client, url):
    answer = client.get(url)
    return answer, answer.content.decode()


def test_nothing_is_shown_before_it_is_published(client, portal_world):
    year = portal_world["year"]
    answer, text = page(client, f"{reverse('portal:area')}?area=2025:01843&year={year}")
    assert answer.status_code == 404 and "chưa được công bố" in text
    answer, text = page(client, f"{reverse('portal:open_data_json')}?area=2025:01843&year={year}")
    assert answer.status_code == 404
    answer, text = page(client, f"{reverse('portal:area')}?area=pre2025:06&year=2017")
    assert answer.status_code == 404 and "23.456" not in text
    # The published decision is public; the draft never is.
    answer, text = page(client, f"{reverse('portal:area')}?area=2025:01843")
    assert portal_world["decision"].number in text and DRAFT_NUMBER not in text


def test_decisions_come_a_page_at_a_time_newest_first(client, personas, portal_world, monkeypatch):
    monkeypatch.setattr(views, "DECISIONS_PER_PAGE", 1)
    evaluation_decisions.decision_publish(actor=personas["commune_officer"], decision=portal_world["draft"])
    url, older = f"{reverse('portal:area')}?area=2025:01843", portal_world["decision"].number

    _answer, first = page(client, url)
    assert DRAFT_NUMBER in first and older not in first
    assert "Quyết định 1–2 trong số 2" not in first and "Quyết định 1–1 trong số 2, mới nhất trước." in first
    assert "page=2#decisions" in first and "Quyết định cũ hơn" in first and "Quyết định mới hơn" not in first

    _answer, second = page(client, f"{url}&page=2")
    assert older in second and DRAFT_NUMBER not in second
    assert "Quyết định 2–2 trong số 2" in second and "Quyết định mới hơn" in second
    # What is not a number shows the first page, a number out of range the last, rather than an error.
    for odd, shown in (("99", older), ("-1", older), ("abc", DRAFT_NUMBER), ("1" * 40, older)):
        answer, text = page(client, f"{url}&page={odd}")
        assert answer.status_code == 200 and shown in text


def test_a_revoked_decision_and_a_revoked_publication_disappear(client, personas, portal_world):
    officer = personas["province_officer"]
    publication = services.area_year_publish(actor=officer, unit=unit("pre2025", "06"), year=2017)
    url = f"{reverse('portal:area')}?area=pre2025:06&year=2017"
    assert "23.456" in page(client, url)[1]
    services.area_year_revoke(actor=personas["province_officer"], publication=publication, reason="Kiểm tra lại")
    assert client.get(url).status_code == 404
    evaluation_decisions.decision_revoke(
        actor=personas["commune_officer"], decision=portal_world["decision"], reason="Nhầm số"
    )
    assert portal_world["decision"].number not in page(client, f"{reverse('portal:area')}?area=2025:01843")[1]


def test_an_accepted_yearly_report_publishes_the_communes_year(client, personas, portal_world):
    year = portal_world["year"]
    report = reports.year_report_submit(actor=personas["commune_officer"], commune=portal_world["commune"], year=year)
    url = f"{reverse('portal:area')}?area=2025:01843&year={year}"
    assert client.get(url).status_code == 404  # submitted is not accepted
    report = reports.year_report_accept(actor=personas["province_officer"], report=report)
    assert report.state == ReportState.ACCEPTED
    answer, text = page(client, url)
    assert answer.status_code == 200 and "<h1>Phường Bắc Kạn, 2025</h1>" in text


def test_the_seeds_entered_totals_are_shown_once_published_and_the_files_hold_the_pages_numbers(
    client, personas, portal_world
):
    services.area_year_publish(actor=personas["old_province_officer"], unit=unit("pre2025", "06"), year=2017)
    query = "?area=pre2025:06&year=2017"
    answer, text = page(client, reverse("portal:area") + query)
    assert answer.status_code == 200
    household_row = re.search(r"<th scope=\"row\">Gia đình học tập</th>(.*?)</tr>", text, re.S).group(1)
    assert "23.456" in household_row

    data = json.loads(client.get(reverse("portal:open_data_json") + query).content)
    recognised = {row["title"]: row["recognised"] for row in data["titles"]}
    assert recognised["household"] == 23456
    assert data["licence"] == "CC BY 4.0" and data["year"] == 2017 and data["area"]["code"] == "06"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["data_date"])

    rows = list(csv.DictReader(io.StringIO(client.get(reverse("portal:open_data_csv") + query).content.decode())))
    by_key = {(r["section"], r["key"]): r for r in rows}
    assert by_key[("title", "household.recognised")]["value"] == "23456"
    assert {r["licence"] for r in rows} == {"CC BY 4.0"}
    assert {r["data_date"] for r in rows} == {data["data_date"]}
    # Every figure of the page is in the file, the same number.
    for row in data["titles"]:
        for measure in ("base", "registered", "recognised"):
            assert by_key[("title", f"{row['title']}.{measure}")]["value"] == (
                "" if row[measure] is None else str(row[measure])
            )


def test_the_licence_the_province_sets_goes_into_the_files(client, personas, portal_world, reform_year):
    officer = personas["province_officer"]
    services.area_year_publish(actor=officer, unit=unit("2025", "19"), year=reform_year)
    services.licence_set(actor=officer, province=unit("2025", "19"), licence="CC0 1.0")
    data = json.loads(client.get(f"{reverse('portal:open_data_json')}?area=2025:01843&year={reform_year}").content)
    assert data["licence"] == "CC0 1.0"
    # Published at the province, the commune's year is public too and shows the decision's recognition.
    assert {r["title"]: r["recognised"] for r in data["titles"]}["household"] == 1


def test_answers_carry_an_etag_and_a_second_visit_is_answered_304(client, personas, portal_world):
    url = f"{reverse('portal:area')}?area=2025:01843"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    services.area_year_publish(actor=personas["province_officer"], unit=unit("2025", "19"), year=2025)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_rebuild_of_the_figures_changes_the_etag(client, portal_world, reform_year):
    url = f"{reverse('portal:area')}?area=2025:01843"
    first = client.get(url)
    rebuild_year(reform_year)  # no record changed, but the figures were computed again
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_logged_in_officer_is_not_cached(client_for, personas, portal_world):
    answer = client_for(personas["province_officer"]).get(reverse("portal:index"))
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Chọn một tỉnh"),
        ("?area=khong-co", "Không có khu vực"),
        ("?area=2025:99999", "Không có khu vực"),
        ("?area=2025:01843&year=abc", "không phải là năm"),
        ("?area=2025:01843&year=1800", "không phải là năm"),
        ("?area=pre2025:06&year=2025", "không có số liệu năm 2025"),
        ("?area=2025:19&year=2017", "không có số liệu năm 2017"),
    ],
)
@pytest.mark.parametrize("route", ["portal:area", "portal:open_data_csv", "portal:open_data_json"])
def test_bad_input_is_a_vietnamese_message(client, route, query, message):
    answer, text = page(client, reverse(route) + query)
    assert answer.status_code == 404
    assert message in text and "<title>" in text


def _public_urls(client):
    """Every portal page and file an anonymous visitor can reach: the routes without a login, each
    published area and year from the sitemap (and the sitemap checked to list what it names)."""
    anonymous = []
    for pattern in portal_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.pattern.converters:
            # Reached only by a code nobody can list (a printed certificate's check: its own tests).
            continue
        url = reverse(f"portal:{pattern.name}")
        if client.get(url).status_code != 302:  # the officers' pages send a visitor to the login
            anonymous.append(url)
    sitemap = client.get(reverse("portal:sitemap"))
    names = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = [loc.text for loc in ElementTree.fromstring(sitemap.content).findall("s:url/s:loc", names)]
    assert [loc.removeprefix("http://testserver") for loc in listed] == sitemap_urls()
    return anonymous + [loc.removeprefix("http://testserver") for loc in listed]


def test_no_page_or_file_names_a_person(client, personas, portal_world, reform_year):
    officer = personas["province_officer"]
    services.area_year_publish(actor=officer, unit=unit("2025", "19"), year=reform_year)
    services.area_year_publish(actor=personas["old_province_officer"], unit=unit("pre2025", "06"), year=2017)
    urls = _public_urls(client)
    assert f"/cong-khai/khu-vuc/?area=2025:01843&year={reform_year}" in urls
    assert f"/cong-khai/du-lieu.csv?area=2025:01843&year={reform_year}" in urls
    names = {HEAD, CLAN_HEAD, SIGNER}
    names |= set(Household.objects.values_list("head_name", flat=True))
    names |= {n for n in Clan.objects.values_list("head_name", flat=True) if n}
    for user in User.objects.all():
        names |= {n for n in (user.username, user.full_name) if n}
    walked = 0
    for url in urls:
        answer = client.get(url)
        assert answer.status_code in (200, 404), url
        text = answer.content.decode()
        found = [name for name in names if name in text]
        assert found == [], f"{url} names {found}"
        walked += 1
    assert walked > 10


def test_the_open_data_holds_the_statistics_apis_figures(client, client_for, personas, portal_world):
    """Same reading as GET /api/v1/statistics/figures/ for the published area-year, limited to it."""
    services.area_year_publish(actor=personas["old_province_officer"], unit=unit("pre2025", "06"), year=2017)
    data = json.loads(client.get(f"{reverse('portal:open_data_json')}?area=pre2025:06&year=2017").content)
    measures = ("base", "registered", "recognised", "granted")
    portal = {(row["title"], m): row[m] for row in data["titles"] for m in measures}
    portal |= {("", row["measure"]): row["value"] for row in data["network"]}
    api = client_for(personas["old_province_officer"]).get(
        "/api/v1/statistics/figures/", {"area": "pre2025:06", "year": 2017}
    )
    from_api = {(row["title"], row["measure"]): row["value"] for row in api.json()["results"]}
    assert from_api[("household", "recognised")] == 23456
    assert {k: v for k, v in portal.items() if v is not None} == from_api

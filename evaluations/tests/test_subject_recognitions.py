"""Every recognition visible on its subject (issue 15, item 7): a household's, clan's, unit's,
village's or commune's page loads the years it was evaluated and recognised, with the decision and
links, from evaluations (a higher layer) by URL."""

import pytest
from django.urls import reverse

from conftest import unit
from registry import services as registry_services

from .conftest import FULL_MARKS
from .test_decisions import draft, evaluated

pytestmark = pytest.mark.django_db


def recognitions_url(title, code):
    return reverse("evaluations:subject_recognitions", args=[title, code])


@pytest.fixture
def history(personas, household, household_set, reform_year):
    """A household evaluated two years: the first recognised by a published decision, the second
    returned for revision (evaluated, never recognised)."""
    from evaluations import decisions, services

    subject = household("Hoàng Văn Thụ")
    first = evaluated(personas, household_set, subject, reform_year)
    decision = decisions.decision_publish(
        actor=personas["commune_officer"], decision=draft(personas["commune_officer"], [first], year=reform_year)
    )
    second = evaluated(personas, household_set, subject, reform_year + 1, marks={**FULL_MARKS, "3": 0}, until="x")
    second = services.evaluation_return(
        actor=personas["commune_officer"], evaluation=second, version=second.version, reason="Thiếu minh chứng"
    )
    return subject, first, second, decision


def test_the_household_page_loads_its_years_by_url(client_for, personas, history):
    subject, _first, _second, _decision = history
    page = client_for(personas["commune_officer"]).get(reverse("registry:household", args=[subject.code]))
    url = recognitions_url("household", subject.code)
    assert f'hx-get="{url}"' in page.content.decode()
    assert f'href="{url}"' in page.content.decode()  # without scripts: a plain link to the same list


def test_the_fragment_lists_each_year_with_its_decision(client_for, personas, history):
    subject, first, second, decision = history
    client = client_for(personas["commune_officer"])
    response = client.get(recognitions_url("household", subject.code), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html  # a fragment, swapped into the page
    rows = html.split("<tbody>")[1].split("</tr>")
    assert str(first.year) in rows[1] and str(second.year) in rows[0]  # newest year first
    assert reverse("evaluations:decision", args=[decision.pk]) in rows[1]
    assert "12/QĐ-UBND" in rows[1] and f"20/03/{first.year + 1}" in rows[1]
    assert reverse("evaluations:detail", args=[first.pk]) in rows[1]
    assert reverse("evaluations:detail", args=[second.pk]) in rows[0]
    assert "12/QĐ-UBND" not in rows[0]
    assert html.count('<span class="tag">') >= 2  # the recognised year is also summed up above


def test_opened_directly_it_is_a_whole_page_with_a_way_back(client_for, personas, history):
    subject, *_rest = history
    response = client_for(personas["commune_officer"]).get(recognitions_url("household", subject.code))
    html = response.content.decode()
    assert "<html" in html
    assert reverse("registry:household", args=[subject.code]) in html


def test_a_draft_decision_is_not_shown_and_a_revoked_one_says_so(client_for, personas, history):
    from evaluations import decisions

    subject, first, _second, decision = history
    decisions.decision_revoke(actor=personas["commune_officer"], decision=decision, reason="Nhầm danh sách")
    html = client_for(personas["commune_officer"]).get(recognitions_url("household", subject.code)).content.decode()
    assert "12/QĐ-UBND" in html and "Đã thu hồi" in html


def test_scope_outside_is_404_and_anonymous_logs_in(client_for, personas, history):
    subject, *_rest = history
    url = recognitions_url("household", subject.code)
    assert client_for(personas["other_commune_officer"]).get(url).status_code == 404
    assert client_for(personas["village_officer"]).get(url).status_code == 200
    assert client_for(personas["viewer"]).get(url).status_code == 200
    assert client_for(None).get(url).status_code == 302
    assert client_for(personas["commune_officer"]).get(recognitions_url("nothing", subject.code)).status_code == 404
    assert client_for(personas["commune_officer"]).get(recognitions_url("household", "không-có")).status_code == 404


def test_clan_unit_village_and_commune_pages_load_theirs(client_for, personas, admin_user, villages):
    backan = unit("2025", "01843")
    clan = registry_services.clan_save(
        actor=admin_user,
        clan=None,
        commune=backan,
        name="Họ Nguyễn",
        head_name="",
        member_households=5,
        has_board=False,
        villages=[],
    )
    school = registry_services.organisation_save(
        actor=admin_user,
        organisation=None,
        name="Trường Tiểu học",
        kind="school",
        managing_level="commune",
        area=backan,
    )
    client = client_for(personas["commune_officer"])
    pages = {
        ("clan", clan.code): reverse("registry:clan", args=[clan.code]),
        ("unit", school.code): reverse("registry:organisation", args=[school.code]),
        ("village", villages["song_cau_1"].code): reverse("areas:village", args=[villages["song_cau_1"].code]),
        ("commune", "2025:01843"): reverse("areas:unit", args=["2025", "01843"]),
    }
    for (title, code), page in pages.items():
        url = recognitions_url(title, code)
        assert f'hx-get="{url}"' in client.get(page).content.decode(), title
        fragment = client.get(url, HTTP_HX_REQUEST="true")
        assert fragment.status_code == 200, title
        assert "Chưa được đánh giá năm nào." in fragment.content.decode(), title

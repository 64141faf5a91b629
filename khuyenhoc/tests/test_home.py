"""The home page says what to do next, per persona: every count on it is the number of rows of the
list it links to (followed here with the same account), deadlines are the rows the rules keep (a
province's own before the national default), imports that need a look are the user's own, and the
summary reads the same figures as the statistics page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from accounts.roles import Role
from areas.models import AdministrativeUnit, Tree
from conftest import PASSWORD
from criteria.tests.helpers import completed_household_set
from evaluations import services
from evaluations.models import Deadline, DeadlineKind
from imports.models import ImportJob, JobStatus
from registry import services as registry_services
from stats import reports
from stats.models import ReportDeadline

pytestmark = pytest.mark.django_db

MARKS = {"1.1": 10, "1.2": 10, "1.3": 10, "2.1": 10, "2.2": 20, "3": 20, "4": 20}


@pytest.fixture
def year(reform_year):
    return reform_year


@pytest.fixture
def evaluations(admin_user, personas, villages, year):
    """Six households of the village officer's village in every state of the year: one registered,
    one being marked, two submitted (the commune approves households), one returned, one approved."""
    household_set = completed_household_set(admin_user)
    officer, commune_officer = personas["village_officer"], personas["commune_officer"]
    made = []
    for name in ("An", "Bình", "Cường", "Dung", "Hà", "Khánh"):
        household = registry_services.household_create(
            actor=admin_user, village=villages["song_cau_1"], head_name=f"Hoàng Văn {name}", members=4
        )
        made.append(
            services.evaluation_register(
                actor=officer, title="household", year=year, subject=household, criteria_set=household_set
            )
        )

    def marked(evaluation, marks=MARKS):
        return services.evaluation_marks_save(
            actor=officer, evaluation=evaluation, version=evaluation.version, marks=marks
        )

    def submitted(evaluation):
        evaluation = marked(evaluation)
        return services.evaluation_submit(actor=officer, evaluation=evaluation, version=evaluation.version)

    marked(made[1], {"1.1": 5})
    submitted(made[2])
    submitted(made[3])
    returned = submitted(made[4])
    services.evaluation_return(actor=commune_officer, evaluation=returned, version=returned.version, reason="Thiếu")
    approved = submitted(made[5])
    services.evaluation_approve(actor=commune_officer, evaluation=approved, version=approved.version)
    return made


def listed(client, url) -> int:
    """How many rows the list at `url` holds, all its pages together."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def work_items(home):
    return [item for item in [*home.to_mark, home.returned, home.to_approve] if item is not None]


@pytest.mark.parametrize("persona", ["commune_officer", "village_officer", "province_officer", "district_officer"])
def test_every_evaluation_count_is_the_length_of_the_list_it_opens(client_for, personas, evaluations, persona):
    client = client_for(personas[persona])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    home = response.context["home"]
    for item in work_items(home):
        assert item.count == listed(client, item.url), (persona, item.label, item.url)
        assert escape(item.url) in response.content.decode()


def test_the_commune_officer_sees_what_waits_in_their_commune(client_for, personas, evaluations, year):
    home = client_for(personas["commune_officer"]).get(reverse("home")).context["home"]
    assert home.evaluation_year == year and home.marks_own_work
    assert [item.count for item in home.to_mark] == [1, 1]  # registered, being marked
    assert home.returned.count == 1
    assert home.to_approve.count == 2 and home.to_approve.url == reverse("evaluations:approve_many")


def test_the_village_head_lands_on_the_work_of_their_village_not_a_history(client, personas, evaluations, year):
    response = client.post(reverse("accounts:login"), {"username": "v.songcau1", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    home = response.context["home"]
    assert home.to_approve is None  # a village head does not approve
    assert home.returned.count == 1
    village = personas["village_officer"].village
    assert home.meeting_url == reverse("evaluations:grid", args=[village.code, year])


def test_the_site_root_is_the_home_page_and_asks_a_visitor_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_another_commune_has_nothing_of_this_commune_waiting(client_for, personas, evaluations):
    home = client_for(personas["other_commune_officer"]).get(reverse("home")).context["home"]
    assert home.to_approve.count == 0
    assert not any(item.count for item in work_items(home))


def test_a_viewer_gets_the_figures_and_the_ways_to_the_statistics_only(client_for, personas, evaluations, year):
    client = client_for(personas["viewer"])
    response = client.get(reverse("home"))
    home = response.context["home"]
    assert (home.to_mark, home.returned, home.to_approve, home.reports, home.imports) == ([], None, None, [], [])
    assert home.this_month == [] and home.next_month == []
    # The summary is the statistics page's own reading of the area and year it links to.
    summary = home.summary
    assert summary.year == year and summary.area == personas["viewer"].unit
    page = client.get(summary.url).context["view"]
    assert page.year == year
    shown = [(row.title, row.registered.value, row.recognised.value) for row in summary.rows]
    assert shown == [(row.title, row.registered.value, row.recognised.value) for row in page.titles]
    household = next(row for row in summary.rows if row.title == "household")
    assert household.registered.value == 6
    links = [url for _label, url in home.statistics_links]
    assert all(client.get(url).status_code == 200 for url in links)


def test_deadlines_this_month_and_next_are_the_rules_that_apply_to_the_user(client_for, personas, evaluations, year):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    later = (next_month + timedelta(days=32)).replace(day=1)
    province = AdministrativeUnit.objects.get(tree=Tree.Y2025, code="19")
    Deadline.objects.create(title="household", year=year, kind=DeadlineKind.DOSSIER, due=this_month)
    # The province's own decision deadline replaces the national default there.
    Deadline.objects.create(title="household", year=year, kind=DeadlineKind.DECISION, due=later)
    Deadline.objects.create(title="household", year=year, kind=DeadlineKind.DECISION, due=next_month, area=province)
    Deadline.objects.create(title="clan", year=year, kind=DeadlineKind.REGISTRATION, due=later)

    client = client_for(personas["commune_officer"])
    home = client.get(reverse("home")).context["home"]
    assert [(item.due, item.count) for item in home.this_month] == [(this_month, 6)]
    assert [item.due for item in home.next_month] == [next_month]
    assert home.this_month[0].days_left == (this_month - today).days
    for item in [*home.this_month, *home.next_month]:
        assert item.count == listed(client, item.url)

    # Elsewhere (another province's commune) the default applies: nothing falls in these two months but the dossier.
    elsewhere = User.objects.create_user(
        "c.caobang",
        password="x",
        role=Role.COMMUNE_OFFICER,
        unit=AdministrativeUnit.objects.get(tree=Tree.Y2025, code="04").children.first(),
    )
    other = client_for(elsewhere).get(reverse("home")).context["home"]
    assert [item.due for item in other.this_month] == [this_month] and other.next_month == []
    assert other.this_month[0].count == 0


def test_a_commune_is_reminded_of_its_yearly_report_once_it_is_due(client_for, personas, admin_user):
    client = client_for(personas["commune_officer"])
    today = timezone.localdate()
    assert client.get(reverse("home")).context["home"].reports == []  # no deadline: nothing is due yet
    reports.deadline_set(actor=admin_user, year=today.year, due=today + timedelta(days=3))
    home = client.get(reverse("home")).context["home"]
    [item] = home.reports
    assert (item.key, item.count, home.report_year) == ("not_submitted", 1, today.year)
    page = client.get(item.url).context
    assert [row["item"].state for row in page["commune_rows"]] == [""]
    assert page["commune_rows"][0]["can_submit"]
    reports.year_report_submit(
        actor=personas["commune_officer"], commune=personas["commune_officer"].unit, year=today.year
    )
    assert client.get(reverse("home")).context["home"].reports == []


def test_the_province_sees_the_reports_waiting_for_its_decision(client_for, personas, admin_user):
    today = timezone.localdate()
    reports.deadline_set(actor=admin_user, year=today.year, due=today - timedelta(days=1))
    reports.year_report_submit(
        actor=personas["commune_officer"], commune=personas["commune_officer"].unit, year=today.year
    )
    client = client_for(personas["province_officer"])
    home = client.get(reverse("home")).context["home"]
    counts = {item.key: item for item in home.reports}
    total = client.get(counts["submitted"].url).context["result"].total
    assert counts["submitted"].count == total.submitted == 1
    assert counts["late"].count == total.late > 0  # the deadline passed for every commune not in yet (and this one)
    assert ReportDeadline.objects.get(year=today.year).due == home.report_due


def test_imports_that_need_a_look_are_the_latest_try_of_each_kind_of_ones_own(client_for, personas):
    officer = personas["commune_officer"]

    def job(kind, status, user=officer):
        return ImportJob.objects.create(
            kind=kind, status=status, file="imports/x.xlsx", original_name="x.xlsx", created_by=user
        )

    checked = job("households", JobStatus.PREVIEWED)
    job("clans", JobStatus.FAILED)
    job("clans", JobStatus.COMMITTED)  # a later try saved: the failed one no longer matters
    invalid = job("units", JobStatus.INVALID)
    job("households", JobStatus.FAILED, user=personas["other_commune_officer"])
    response = client_for(officer).get(reverse("home"))
    assert response.context["home"].imports == [invalid, checked]
    for found in (checked, invalid):
        assert reverse("imports:job", args=[found.pk]) in response.content.decode()

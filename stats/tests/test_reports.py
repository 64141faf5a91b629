"""Communes' yearly reports: who may submit, accept and return them (by role and area), the states
they go through, lateness against the deadline, the reporting rate per district and province, and
the reports page as a commune officer and as the province officer above."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from areas.models import AdministrativeUnit, Level
from audit.models import AuditEntry
from conftest import unit
from stats import reports
from stats.models import ReportDeadline, ReportState, YearReport

pytestmark = pytest.mark.django_db

PAGE = reverse("stats:reports")
NEW_COMMUNE = ("2025", "01843")  # Phường Bắc Kạn, the commune officer's
OLD_COMMUNE = ("pre2025", "02035")  # Xã Bản Thi, Chợ Đồn district (pre-2025)


def outcome(call):
    """ "ok", "scope" (a ValidationError: outside the actor's area) or "denied" (the role may not)."""
    try:
        call()
    except PermissionDenied:
        return "denied"
    except ValidationError as error:
        return error.code
    return "ok"


def submitted(actor, where, year):
    return reports.year_report_submit(actor=actor, commune=unit(*where), year=year)


@pytest.fixture
def old_year(reform_year):
    return reform_year - 1


# Who may submit ---------------------------------------------------------------------------------

SUBMIT_MATRIX = [
    # (persona, commune, year offset from the reform year, outcome)
    ("commune_officer", NEW_COMMUNE, 0, "ok"),
    ("other_commune_officer", NEW_COMMUNE, 0, "scope"),
    ("province_officer", NEW_COMMUNE, 0, "ok"),
    ("old_province_officer", NEW_COMMUNE, 0, "scope"),
    ("district_officer", NEW_COMMUNE, 0, "scope"),
    ("village_officer", NEW_COMMUNE, 0, "denied"),
    ("viewer", NEW_COMMUNE, 0, "denied"),
    ("district_officer", OLD_COMMUNE, -1, "ok"),
    ("other_district_officer", OLD_COMMUNE, -1, "scope"),
    ("old_province_officer", OLD_COMMUNE, -1, "ok"),
    ("province_officer", OLD_COMMUNE, -1, "ok"),  # the new province holds the old units merged into it
    ("commune_officer", OLD_COMMUNE, -1, "scope"),
    # A new commune's officer holds the old communes it was formed from (Phường Sông Cầu).
    ("commune_officer", ("pre2025", "01837"), -1, "ok"),
]


@pytest.mark.parametrize(("persona", "where", "offset", "expected"), SUBMIT_MATRIX)
def test_who_may_submit(personas, reform_year, persona, where, offset, expected):
    result = outcome(lambda: submitted(personas[persona], where, reform_year + offset))
    assert result == expected
    assert YearReport.objects.count() == (1 if expected == "ok" else 0)
    assert reports.may_submit(personas[persona], unit(*where)) == (expected == "ok")


def test_a_report_is_for_a_commune_of_the_tree_in_force_that_year(personas, reform_year):
    officer = personas["province_officer"]
    assert outcome(lambda: submitted(officer, NEW_COMMUNE, reform_year - 1)) == "wrong_tree"
    assert outcome(lambda: submitted(officer, ("pre2025", "01837"), reform_year)) == "wrong_tree"
    assert outcome(lambda: submitted(officer, ("2025", "19"), reform_year)) == "not_commune"
    next_year = timezone.localdate().year + 1
    assert outcome(lambda: submitted(officer, NEW_COMMUNE, next_year)) == "future_year"
    assert not YearReport.objects.exists()
    assert not AuditEntry.objects.filter(action=reports.SUBMIT).exists()


# Who may accept and return ----------------------------------------------------------------------

DECIDE_MATRIX = [
    ("province_officer", NEW_COMMUNE, 0, "ok"),
    ("old_province_officer", NEW_COMMUNE, 0, "scope"),
    ("district_officer", NEW_COMMUNE, 0, "scope"),
    ("commune_officer", NEW_COMMUNE, 0, "denied"),  # its own report: the level above decides
    ("other_commune_officer", NEW_COMMUNE, 0, "denied"),
    ("village_officer", NEW_COMMUNE, 0, "denied"),
    ("viewer", NEW_COMMUNE, 0, "denied"),
    ("admin", NEW_COMMUNE, 0, "denied"),  # system administrators set deadlines, not decisions
    ("district_officer", OLD_COMMUNE, -1, "ok"),
    ("other_district_officer", OLD_COMMUNE, -1, "scope"),
    ("old_province_officer", OLD_COMMUNE, -1, "ok"),
    ("province_officer", OLD_COMMUNE, -1, "ok"),
    ("commune_officer", OLD_COMMUNE, -1, "denied"),
]


@pytest.mark.parametrize("decision", ["accept", "return"])
@pytest.mark.parametrize(("persona", "where", "offset", "expected"), DECIDE_MATRIX)
def test_who_may_accept_or_return(personas, admin_user, reform_year, decision, persona, where, offset, expected):
    report = submitted(admin_user, where, reform_year + offset)
    actor = admin_user if persona == "admin" else personas[persona]
    if decision == "accept":
        result = outcome(lambda: reports.year_report_accept(actor=actor, report=report))
    else:
        result = outcome(lambda: reports.year_report_return(actor=actor, report=report, reason="Thiếu số liệu"))
    assert result == expected
    report.refresh_from_db()
    if expected == "ok":
        assert report.state == (ReportState.ACCEPTED if decision == "accept" else ReportState.RETURNED)
        assert report.decided_by == actor
    else:
        assert (report.state, report.decided_by) == (ReportState.SUBMITTED, None)
    assert reports.may_decide(actor, report.commune) == (expected == "ok")


# States ---------------------------------------------------------------------------------------


def test_a_report_goes_submitted_returned_submitted_accepted(personas, reform_year):
    commune_officer, province_officer = personas["commune_officer"], personas["province_officer"]
    report = submitted(commune_officer, NEW_COMMUNE, reform_year)
    assert (report.state, report.submitted_by) == (ReportState.SUBMITTED, commune_officer)
    assert outcome(lambda: submitted(commune_officer, NEW_COMMUNE, reform_year)) == "already_submitted"

    with pytest.raises(ValidationError) as error:
        reports.year_report_return(actor=province_officer, report=report, reason="  ")
    assert error.value.error_dict["reason"][0].code == "required"
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED

    reports.year_report_return(actor=province_officer, report=report, reason="Số hộ đăng ký chưa khớp")
    report.refresh_from_db()
    assert (report.state, report.decided_by) == (ReportState.RETURNED, province_officer)
    assert reports.return_reasons([report]) == {report.pk: "Số hộ đăng ký chưa khớp"}
    assert outcome(lambda: reports.year_report_accept(actor=province_officer, report=report)) == "not_submitted"

    again = reports.year_report_submit(
        actor=commune_officer, commune=unit(*NEW_COMMUNE), year=reform_year, note="Đã sửa"
    )
    assert again.pk == report.pk
    assert (again.state, again.decided_by, again.decided_at, again.note) == (
        ReportState.SUBMITTED,
        None,
        None,
        "Đã sửa",
    )

    reports.year_report_accept(actor=province_officer, report=again)
    again.refresh_from_db()
    assert again.state == ReportState.ACCEPTED
    assert outcome(lambda: submitted(commune_officer, NEW_COMMUNE, reform_year)) == "already_accepted"
    assert outcome(lambda: reports.year_report_accept(actor=province_officer, report=again)) == "not_submitted"
    assert outcome(lambda: reports.year_report_return(actor=province_officer, report=again, reason="x")) == (
        "not_submitted"
    )

    actions = AuditEntry.objects.filter(object_type="stats.yearreport", object_id=str(report.pk))
    assert list(actions.order_by("id").values_list("action", "after__state")) == [
        (reports.SUBMIT, "submitted"),
        (reports.RETURN, "returned"),
        (reports.SUBMIT, "submitted"),
        (reports.ACCEPT, "accepted"),
    ]
    assert actions.get(action=reports.RETURN).reason == "Số hộ đăng ký chưa khớp"


# Deadlines ------------------------------------------------------------------------------------


def test_only_system_administrators_set_the_deadline(personas, admin_user, reform_year):
    due = datetime.date(reform_year + 1, 1, 15)
    for persona in ("province_officer", "district_officer", "commune_officer", "viewer"):
        with pytest.raises(PermissionDenied):
            reports.deadline_set(actor=personas[persona], year=reform_year, due=due)
    with pytest.raises(ValidationError) as error:
        reports.deadline_set(actor=admin_user, year=reform_year, due=datetime.date(reform_year - 1, 12, 31))
    assert error.value.error_dict["due"][0].code == "before_year"
    assert not ReportDeadline.objects.exists()

    reports.deadline_set(actor=admin_user, year=reform_year, due=due)
    moved = reports.deadline_set(actor=admin_user, year=reform_year, due=due + datetime.timedelta(days=5))
    assert ReportDeadline.objects.get().due == moved.due == datetime.date(reform_year + 1, 1, 20)
    entries = AuditEntry.objects.filter(action="report_deadline.set").order_by("id")
    assert [(e.before, e.after["due"]) for e in entries] == [
        (None, due.isoformat()),
        ({"year": reform_year, "due": due.isoformat()}, moved.due.isoformat()),
    ]


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_late_is_submitted_after_the_deadline_or_not_submitted_once_it_passed(personas, admin_user, reform_year):
    due = datetime.date(reform_year + 1, 1, 15)
    province = unit("2025", "19")
    third = province.children.exclude(code__in=["01843", "01840"]).first().code
    on_time, after, returned = (
        submitted(admin_user, ("2025", code), reform_year) for code in ("01843", "01840", third)
    )
    YearReport.objects.filter(pk=on_time.pk).update(submitted_at=at(due))
    YearReport.objects.filter(pk=after.pk).update(submitted_at=at(due + datetime.timedelta(days=1)))
    YearReport.objects.filter(pk=returned.pk).update(submitted_at=at(due - datetime.timedelta(days=3)))
    reports.year_report_return(actor=personas["province_officer"], report=returned, reason="Sai số liệu")

    def late(today):
        return sorted(c.commune.code for c in reports.reporting(province, reform_year, today=today).communes if c.late)

    assert late(due + datetime.timedelta(days=30)) == []  # no deadline set: nobody is late
    reports.deadline_set(actor=admin_user, year=reform_year, due=due)
    assert late(due) == ["01840"]
    passed = late(due + datetime.timedelta(days=1))
    expected = AdministrativeUnit.objects.filter(parent=province).exclude(code__in=["01843"]).count()
    assert "01843" not in passed and {"01840", third} <= set(passed)
    assert len(passed) == expected
    assert reports.reporting(province, reform_year, today=due + datetime.timedelta(days=1)).total.late == expected


# Rates ----------------------------------------------------------------------------------------


def test_the_rate_per_district_and_province(personas, old_year):
    district_officer = personas["district_officer"]
    accepted = submitted(district_officer, ("pre2025", "02035"), old_year)
    reports.year_report_accept(actor=district_officer, report=accepted)
    submitted(district_officer, ("pre2025", "02020"), old_year)
    returned = submitted(district_officer, ("pre2025", "02038"), old_year)
    reports.year_report_return(actor=district_officer, report=returned, reason="Thiếu")

    cho_don = reports.reporting(unit("pre2025", "064"), old_year)
    assert cho_don.rows_are_communes
    assert (cho_don.total.expected, cho_don.total.submitted, cho_don.total.accepted, cho_don.total.returned) == (
        20,
        1,
        1,
        1,
    )
    assert str(cho_don.total.rate) == "10.0"
    assert {c.commune.code: c.state for c in cho_don.communes if c.state} == {
        "02035": "accepted",
        "02020": "submitted",
        "02038": "returned",
    }

    bac_kan = unit("pre2025", "06")
    province = reports.reporting(bac_kan, old_year)
    communes = AdministrativeUnit.objects.under(bac_kan).filter(level=Level.COMMUNE).count()
    assert not province.rows_are_communes
    assert province.total.expected == communes == sum(row.expected for row in province.rows)
    assert province.total.reported == 2
    rates = {row.area.code: str(row.rate) for row in province.rows}
    assert len(rates) == 8
    assert rates.pop("064") == "10.0"
    assert set(rates.values()) == {"0.0"}

    # The reports of the year before the reform are the old tree's: a new province expects none that year.
    new_province = reports.reporting(unit("2025", "19"), old_year)
    assert (new_province.total.expected, new_province.rows, new_province.total.rate) == (0, [], None)


def test_the_rate_of_a_2025_province_and_the_country(personas, reform_year):
    submitted(personas["commune_officer"], NEW_COMMUNE, reform_year)
    province = unit("2025", "19")
    result = reports.reporting(province, reform_year)
    assert result.rows_are_communes
    assert result.total.expected == province.children.count() == 92
    assert str(result.total.rate) == "1.1"  # 1 of 92
    [row] = [row for row in result.rows if row.reported]
    assert row.area.code == "01843" and str(row.rate) == "100.0"

    country = reports.reporting(None, reform_year)
    assert len(country.rows) == 34 and not country.rows_are_communes
    assert country.total.expected == AdministrativeUnit.objects.filter(tree="2025", level=Level.COMMUNE).count()
    assert [row.area.code for row in country.rows if row.reported] == ["19"]


# The page -------------------------------------------------------------------------------------


def row_of(html: str, code: str) -> str:
    start = html.index(f'data-commune="{code}"')
    return html[start : html.index("</tr>", start)]


def page(client, area, year):
    return client.get(PAGE, {"area": area, "year": year})


def test_the_page_as_the_commune_officer(client_for, personas, reform_year):
    client = client_for(personas["commune_officer"])
    html = page(client, "2025/01843", reform_year).content.decode()
    own = row_of(html, "01843")
    assert 'data-state="missing"' in own and reverse("stats:report_submit") in own
    assert "/accept/" not in html
    assert "?area=2025:19" not in html  # the province above is outside the officer's area: no breadcrumb

    form = {"commune": "2025:01843", "year": reform_year, "note": "Báo cáo năm", "next_area": "2025/01843"}
    response = client.post(reverse("stats:report_submit"), form)
    assert response.status_code == 302 and "area=2025%3A01843" in response.url
    report = YearReport.objects.get()
    assert (report.commune.code, report.state, report.note) == ("01843", "submitted", "Báo cáo năm")

    own = row_of(page(client, "2025:01843", reform_year).content.decode(), "01843")
    assert 'data-state="submitted"' in own and reverse("stats:report_submit") not in own

    # Outside the officer's area: not found, whether read or written.
    assert page(client, "2025/01840", reform_year).status_code == 404
    assert page(client, "pre2025/064", reform_year - 1).status_code == 404
    response = client.post(reverse("stats:report_submit"), {"commune": "2025:01840", "year": reform_year})
    assert response.status_code == 404
    # Its own report, but only the level above decides.
    assert client.post(reverse("stats:report_accept", args=[report.pk])).status_code == 403
    other = client_for(personas["other_commune_officer"])
    assert other.post(reverse("stats:report_accept", args=[report.pk])).status_code == 404
    assert YearReport.objects.get().state == ReportState.SUBMITTED


def test_the_page_as_the_province_officer_above(client_for, personas, reform_year):
    first = submitted(personas["commune_officer"], NEW_COMMUNE, reform_year)
    second = submitted(personas["other_commune_officer"], ("2025", "01840"), reform_year)
    client = client_for(personas["province_officer"])
    response = page(client, "2025/19", reform_year)
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("stats:report_accept", args=[first.pk]) in row_of(html, "01843")
    assert reverse("stats:report_return", args=[second.pk]) in row_of(html, "01840")
    assert response.context["result"].total.reported == 2
    assert reverse("stats:report_submit") not in html  # the level above decides; the communes submit

    client.post(reverse("stats:report_accept", args=[first.pk]), {"next_area": "2025:19"})
    client.post(
        reverse("stats:report_return", args=[second.pk]), {"reason": "Thiếu số hội viên", "next_area": "2025:19"}
    )
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.state, second.state) == (ReportState.ACCEPTED, ReportState.RETURNED)
    html = page(client, "2025:19", reform_year).content.decode()
    assert 'data-state="accepted"' in row_of(html, "01843")
    assert 'data-state="returned"' in row_of(html, "01840") and "Thiếu số hội viên" in row_of(html, "01840")
    # No return without a reason: the report stays as it is and the page says why.
    third = submitted(personas["commune_officer"], ("pre2025", "01837"), reform_year - 1)
    response = client.post(reverse("stats:report_return", args=[third.pk]), {"reason": ""}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    third.refresh_from_db()
    assert third.state == ReportState.SUBMITTED

    # The year before the reform is reported on the old tree: the page points there, and drills down.
    html = page(client, "2025:19", reform_year - 1).content.decode()
    assert "?area=pre2025:06&amp;year=" in html
    response = page(client, "pre2025:06", reform_year - 1)
    assert len(response.context["rows"]) == 8
    assert "?area=pre2025:064&amp;year=" in response.content.decode()
    assert response.context["commune_rows"] == []
    assert response.context["deadline_form"] is None
    assert client.post(reverse("stats:report_deadline"), {"year": reform_year, "due": "2026-01-15"}).status_code == 403


def test_the_deadline_on_the_page(client_for, admin_user, personas, reform_year):
    client = client_for(admin_user)
    assert page(client, "", reform_year).context["deadline_form"] is not None
    response = client.post(
        reverse("stats:report_deadline"), {"year": reform_year, "due": f"{reform_year + 1}-01-15", "next_area": ""}
    )
    assert response.status_code == 302
    assert ReportDeadline.objects.get(year=reform_year).due == datetime.date(reform_year + 1, 1, 15)
    response = page(client_for(personas["commune_officer"]), "2025:01843", reform_year)
    assert response.context["result"].deadline == datetime.date(reform_year + 1, 1, 15)
    assert response.context["deadline_form"] is None
    assert 'id="deadline"' in response.content.decode()


def test_the_page_needs_a_login(client_for):
    response = client_for(None).get(PAGE)
    assert response.status_code == 302 and "login" in response.url


def test_an_old_unit_opens_on_the_last_year_of_its_tree(client_for, personas, reform_year):
    response = client_for(personas["district_officer"]).get(PAGE)
    assert (response.context["area"].code, response.context["year"]) == ("064", reform_year - 1)
    assert response.context["result"].total.expected == 20

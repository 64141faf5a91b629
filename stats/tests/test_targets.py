"""Targets are data: the national defaults ship with the schema, a province's or district's own
target wins below it, then an area class's (the lowest of several), then the national one. Progress
reads the figures entered through the services, fits a least-squares line through the last years'
rates and says whether it reaches the target in time. Only a province or district officer sets their
own unit's target; the page shows all of it in the active locale and 404s outside the user's scope."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from areas.models import AreaClass, AreaClassMembership
from audit.models import AuditEntry
from conftest import unit
from registry import network
from stats import services
from stats.demo_targets import build_demo_targets
from stats.models import Target
from stats.targets import (
    TargetKind,
    applicable_target,
    least_squares,
    progress,
    progress_from_values,
    target_delete,
    target_save,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("stats:targets")
BAN_THI = ("pre2025", "02035")  # a commune of Chợ Đồn district, Bắc Kạn province (pre-2025 tree)
# Recognised households of 200 each year: rates 40, 42, 47, 51 %.
RECOGNISED = {2016: 80, 2017: 84, 2018: 94, 2019: 102}


def member(code, area, year):
    return AreaClassMembership.objects.create(area_class=AreaClass.objects.get(code=code), unit=area, year=year)


@pytest.fixture
def history(admin_user):
    """A household base of 200 and the recognitions above at Bản Thi, entered through the services."""
    commune = unit(*BAN_THI)
    for year, recognised in RECOGNISED.items():
        network.area_year_save(actor=admin_user, area=commune, year=year, households=200)
        services.aggregate_save(
            actor=admin_user, unit=commune, year=year, title="household", measure="recognised", value=recognised
        )
    return commune


# The national defaults ---------------------------------------------------------------------------


def test_the_national_targets_of_the_two_decisions_ship_as_data():
    national = {(t.year, t.title): t.percent for t in Target.objects.filter(area=None, area_class=None)}
    assert national == {
        (2020, "household"): 70,
        (2020, "clan"): 50,
        (2020, "village"): 60,
        (2020, "unit"): 50,
        (2025, "household"): 70,
        (2025, "clan"): 65,
        (2025, "village"): 65,
        (2025, "unit"): 80,
    }
    for code in ("mountainous", "remote", "especially_disadvantaged"):
        for_class = Target.objects.filter(area=None, area_class__code=code)
        assert {(t.year, t.title): t.percent for t in for_class} == {
            (2020, "household"): 60,
            (2020, "clan"): 40,
            (2020, "village"): 50,
        }
    assert not Target.objects.filter(title="commune").exists()
    assert all(t.source for t in Target.objects.all())
    assert Target.objects.get(year=2025, title="unit", area=None).note


# Which target applies ----------------------------------------------------------------------------


def test_an_override_wins_over_an_area_class_which_wins_over_the_national_target(admin_user):
    commune, district, province = unit(*BAN_THI), unit("pre2025", "064"), unit("pre2025", "06")

    found = applicable_target(commune, "household", 2020)
    assert (found.kind, found.percent) == (TargetKind.NATIONAL, 70)

    member("mountainous", district, 2020)  # the commune is in a mountainous district
    member("mountainous", commune, 2019)  # another year's membership does not count
    found = applicable_target(commune, "household", 2020)
    assert (found.kind, found.percent, found.target.area_class.code) == (TargetKind.AREA_CLASS, 60, "mountainous")
    # No class sets a target for learning units: the national one applies.
    assert applicable_target(commune, "unit", 2020).kind == TargetKind.NATIONAL

    Target.objects.filter(year=2020, title="household", area_class__code="remote").update(percent=55)
    member("remote", commune, 2020)
    found = applicable_target(commune, "household", 2020)
    assert (found.kind, found.percent, found.target.area_class.code) == (TargetKind.AREA_CLASS, 55, "remote")
    assert "2" in found.reason  # says it is the lowest of the two classes

    target_save(actor=admin_user, title="household", year=2020, percent=75, area=province)
    found = applicable_target(commune, "household", 2020)
    assert (found.kind, found.percent, found.target.area) == (TargetKind.OVERRIDE, 75, province)
    assert province.name in found.reason
    target_save(actor=admin_user, title="household", year=2020, percent=80, area=district)
    assert applicable_target(commune, "household", 2020).target.area == district  # the nearest one
    assert applicable_target(province, "household", 2020).percent == 75  # not what is set below

    assert applicable_target(None, "household", 2020).kind == TargetKind.NATIONAL
    assert applicable_target(commune, "commune", 2020) is None
    assert applicable_target(commune, "household", 2023) is None


# The least-squares fit ---------------------------------------------------------------------------


def test_the_fit_matches_hand_computed_values():
    # x̄ = 2, ȳ = 10/3, Σdx·dy = 3, Σdx² = 2: slope 3/2, intercept 1/3.
    assert least_squares([(1, 2), (2, 3), (3, 5)]) == (Fraction(3, 2), Fraction(1, 3))
    assert least_squares([(1, 2), (2, 3), (3, 5)]).at(4) == Fraction(19, 3)
    # The rates of the history: x̄ = 2017.5, ȳ = 45, Σdx·dy = 19, Σdx² = 5 → 3.8 a year, 54.5 in 2020.
    points = [(2016, 40), (2017, 42), (2018, 47), (2019, 51)]
    assert least_squares(points)[0] == Fraction(19, 5)
    assert least_squares(points).at(2020) == Fraction(109, 2)
    assert least_squares([(2019, 50)]) is None
    assert least_squares([(2019, 50), (2019, 60)]) is None


@given(
    intercept=st.fractions(min_value=-1000, max_value=1000, max_denominator=1000),
    slope=st.fractions(min_value=-50, max_value=50, max_denominator=1000),
    xs=st.lists(st.integers(min_value=2000, max_value=2100), min_size=2, max_size=12, unique=True),
    at=st.integers(min_value=2000, max_value=2200),
)
def test_a_perfectly_linear_series_is_projected_exactly(intercept, slope, xs, at):
    points = [(x, intercept + slope * x) for x in xs]
    assert least_squares(points) == (slope, intercept)
    assert least_squares(points).at(at) == intercept + slope * at
    assert least_squares(list(reversed(points))).at(at) == intercept + slope * at


@given(rates=st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=8))
def test_progress_projects_the_fitted_line_kept_between_0_and_100(rates):
    values = {2016 + i: {("household", "recognised"): rate, ("household", "base"): 100} for i, rate in enumerate(rates)}
    result = progress_from_values("household", 2030, None, values, years=5)
    assert (result.actual_year, result.actual) == (2015 + len(rates), rates[-1])
    window = [(2016 + i, rate) for i, rate in enumerate(rates)][-5:]
    assert result.trend == window
    if len(window) < 2:
        assert result.projected is None
    else:
        assert result.projected == min(max(least_squares(window).at(2030), 0), 100)
    assert result.reaches is None  # no target: it cannot be told


# Progress over figures entered through the services ----------------------------------------------


def test_progress_reads_the_latest_rate_and_projects_the_trend(history):
    result = progress(history, "household", 2020, "pre2025", today_year=2026)
    assert (result.actual_year, result.recognised, result.base, result.actual) == (2019, 102, 200, 51)
    assert result.target == 70 and result.gap == 19
    assert [year for year, _rate in result.trend] == [2016, 2017, 2018, 2019]
    assert result.slope == Fraction(19, 5) and result.projected == Fraction(109, 2)
    assert result.reaches is False
    # The district holds nothing itself: its rate is its commune's.
    assert progress(unit("pre2025", "064"), "household", 2020, "pre2025", today_year=2026).actual == 51
    # Before the last year's recognitions are known, the year before counts.
    early = progress(history, "household", 2020, "pre2025", today_year=2018)
    # x̄ = 2017, ȳ = 43, Σdx·dy = 7, Σdx² = 2: 3.5 a year, 53.5 in 2020.
    assert (early.actual_year, early.actual, early.projected) == (2018, 47, Fraction(107, 2))


def test_the_trend_uses_the_last_years_only_and_a_lower_target_is_reached(history, admin_user, settings):
    settings.KHUYENHOC_TREND_YEARS = 2
    target_save(actor=admin_user, title="household", year=2020, percent="55", area=unit("pre2025", "064"))
    result = progress(history, "household", 2020, "pre2025", today_year=2026)
    assert [year for year, _rate in result.trend] == [2018, 2019]
    assert result.projected == 55 and result.reaches is True
    assert result.applicable.kind == TargetKind.OVERRIDE


def test_a_year_with_recognitions_but_no_base_gives_no_rate(admin_user):
    commune = unit(*BAN_THI)
    services.aggregate_save(
        actor=admin_user, unit=commune, year=2019, title="household", measure="recognised", value=30
    )
    result = progress(commune, "household", 2020, "pre2025", today_year=2026)
    assert result.actual is None and result.gap is None and result.projected is None and result.reaches is None
    assert result.target == 70


def test_the_target_year_itself_decides_once_known(history, admin_user):
    commune = history
    network.area_year_save(actor=admin_user, area=commune, year=2020, households=200)
    services.aggregate_save(
        actor=admin_user, unit=commune, year=2020, title="household", measure="recognised", value=150
    )
    result = progress(commune, "household", 2020, "pre2025", today_year=2026)
    assert (result.actual_year, result.actual, result.reaches) == (2020, 75, True)
    assert result.gap == -5


# Setting targets: who may, and what is refused ---------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "area", "year", "allowed"),
    [
        ("province_officer", ("2025", "19"), 2030, True),
        ("old_province_officer", ("pre2025", "06"), 2020, True),
        ("district_officer", ("pre2025", "064"), 2020, True),
        ("old_province_officer", ("pre2025", "064"), 2020, False),  # a district below: its own to set
        ("other_district_officer", ("pre2025", "064"), 2020, False),
        ("commune_officer", ("2025", "01843"), 2030, False),
        ("commune_officer", ("2025", "19"), 2030, False),
        ("village_officer", ("2025", "19"), 2030, False),
        ("viewer", ("2025", "19"), 2030, False),
        ("anonymous", ("2025", "19"), 2030, False),
    ],
)
def test_only_province_and_district_officers_set_their_own_units_targets(personas, persona, area, year, allowed):
    from django.contrib.auth.models import AnonymousUser

    actor = personas[persona] or AnonymousUser()
    before = (Target.objects.count(), AuditEntry.objects.filter(action="target.save").count())
    if allowed:
        target = target_save(actor=actor, title="clan", year=year, percent="72.5", area=unit(*area), source="KH 1")
        assert target.percent == Decimal("72.5") and target.area == unit(*area)
        assert AuditEntry.objects.filter(action="target.save").count() == before[1] + 1
        target_delete(actor=actor, target=target, version=target.version)
        assert not Target.objects.filter(pk=target.pk).exists()
        assert AuditEntry.objects.filter(action="target.delete").count() == 1
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            target_save(actor=actor, title="clan", year=year, percent=72, area=unit(*area))
        assert (Target.objects.count(), AuditEntry.objects.filter(action="target.save").count()) == before


def test_a_system_administrator_sets_any_province_or_district(admin_user):
    assert target_save(actor=admin_user, title="clan", year=2020, percent=1, area=unit("pre2025", "060")).pk


def test_others_cannot_remove_a_units_target_nor_anyone_a_national_one(personas):
    own = target_save(
        actor=personas["district_officer"], title="clan", year=2020, percent=70, area=unit("pre2025", "064")
    )
    with pytest.raises(ValidationError) as error:
        target_delete(actor=personas["other_district_officer"], target=own, version=own.version)
    assert error.value.code == "own_unit"
    with pytest.raises(PermissionDenied):
        target_delete(actor=personas["viewer"], target=own, version=own.version)
    national = Target.objects.get(year=2020, title="clan", area=None, area_class=None)
    with pytest.raises(ValidationError) as error:
        target_delete(actor=personas["province_officer"], target=national, version=national.version)
    assert error.value.code == "national"
    assert Target.objects.filter(pk__in=[own.pk, national.pk]).count() == 2


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"percent": "100.01"}, "percent", "range"),
        ({"percent": -1}, "percent", "range"),
        ({"percent": "bảy mươi"}, "percent", "invalid"),
        ({"percent": "70.125"}, "percent", "decimals"),
        ({"title": "person"}, "title", "title"),
        ({"year": 2025}, "year", "wrong_tree"),  # the old tree ends before the reform
        ({"year": "năm"}, "year", None),
    ],
)
def test_bad_input_is_refused_by_field_and_changes_nothing(personas, values, field, code):
    count = Target.objects.count()
    arguments = {"title": "household", "year": 2020, "percent": 70, **values}
    with pytest.raises(ValidationError) as error:
        target_save(actor=personas["district_officer"], area=unit("pre2025", "064"), **arguments)
    assert field in error.value.error_dict
    if code:
        assert error.value.error_dict[field][0].code == code
    assert Target.objects.count() == count


def test_a_commune_sets_no_targets_of_its_own(admin_user):
    with pytest.raises(ValidationError) as error:
        target_save(actor=admin_user, title="household", year=2020, percent=70, area=unit(*BAN_THI))
    assert error.value.code == "level"


def test_saving_the_same_target_again_changes_nothing(personas):
    officer, district = personas["district_officer"], unit("pre2025", "064")
    first = target_save(actor=officer, title="clan", year=2020, percent=70, area=district, source="KH")
    again = target_save(
        actor=officer, title="clan", year=2020, percent="70.00", area=district, source="KH", version=first.version
    )
    assert first.pk == again.pk
    assert AuditEntry.objects.filter(action="target.save").count() == 1
    changed = target_save(
        actor=officer, title="clan", year=2020, percent="71", area=district, source="KH", version=first.version
    )
    assert changed.pk == first.pk and (changed.percent, changed.version) == (71, 2)
    entry = AuditEntry.objects.filter(action="target.save").latest("pk")
    assert (entry.before["percent"], entry.after["percent"]) == ("70.00", "71")


# The demo ----------------------------------------------------------------------------------------


def test_the_demo_sets_the_seed_articles_provincial_targets_once(admin_user):
    assert build_demo_targets(admin_user) == 5
    assert build_demo_targets(admin_user) == 5
    province = unit("pre2025", "06")
    own = {t.title: t.percent for t in Target.objects.filter(area=province, year=2020)}
    assert own == {"household": 70, "clan": 80, "village": 60, "unit": 90, "commune": 97}
    assert AuditEntry.objects.filter(action="target.save").count() == 5
    found = applicable_target(unit(*BAN_THI), "commune", 2020)
    assert (found.kind, found.percent) == (TargetKind.OVERRIDE, 97)


# The page ----------------------------------------------------------------------------------------


def test_the_page_opens_on_the_users_unit_and_the_next_target_year(client_for, personas):
    response = client_for(personas["province_officer"]).get(PAGE)
    assert response.status_code == 200
    assert response.context["area"] == unit("2025", "19")
    assert response.context["target_year"] == 2025  # 2025 has passed with no later targets: the last one
    content = response.content.decode()
    assert content.count('data-title="') == 6
    assert 'data-title="household" data-kind="national"' in content
    assert 'data-title="commune" data-kind="none"' in content
    assert 'data-area="2025/' in content  # the communes, each a drill-down link
    assert '<form method="post" class="stacked">' in content  # the province sets its own targets


def test_the_page_shows_progress_in_the_active_locale(client_for, personas, admin_user):
    commune = unit(*BAN_THI)
    network.area_year_save(actor=admin_user, area=commune, year=2019, households=12345)
    services.aggregate_save(
        actor=admin_user, unit=commune, year=2019, title="household", measure="recognised", value=6000
    )
    client = client_for(personas["district_officer"])
    response = client.get(PAGE, {"area": "pre2025/064", "year": 2020})
    assert response.status_code == 200
    content = response.content.decode()
    assert "6.000 / 12.345" in content and "48,6%" in content  # Vietnamese: 48.6026…%
    assert 'data-area="pre2025/02035"' in content
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(PAGE, {"area": "pre2025/064", "year": 2020}).content.decode()
    assert "6,000 / 12,345" in content and "48.6%" in content


@pytest.mark.parametrize(
    ("persona", "area"),
    [
        ("province_officer", "2025/01"),  # Hà Nội
        ("district_officer", "pre2025/06"),  # the province above
        ("district_officer", "pre2025/060"),  # another district
        ("commune_officer", "2025/01840"),
    ],
)
def test_the_page_404s_outside_the_users_scope(client_for, personas, persona, area):
    assert client_for(personas[persona]).get(PAGE, {"area": area}).status_code == 404


def test_the_form_sets_and_removes_the_units_own_target(client_for, personas):
    client = client_for(personas["district_officer"])
    url = f"{PAGE}?area=pre2025/064&year=2020"
    response = client.post(url, {"title": "clan", "year": 2020, "percent": "75,5", "source": "KH 12/KH-UBND"})
    assert response.status_code == 302
    target = Target.objects.get(area=unit("pre2025", "064"), title="clan", year=2020)
    assert target.percent == Decimal("75.5")
    assert 'data-title="clan" data-kind="override"' in client.get(url).content.decode()

    response = client.post(url, {"title": "clan", "year": 2020, "percent": "120"})
    assert response.status_code == 200 and response.context["form"].errors
    assert Target.objects.get(pk=target.pk).percent == Decimal("75.5")

    assert (
        client_for(personas["other_district_officer"])
        .post(reverse("stats:target_delete", args=[target.pk]), {"version": target.version})
        .status_code
        == 404
    )  # outside their scope
    client = client_for(personas["district_officer"])
    assert client.post(reverse("stats:target_delete", args=[target.pk]), {"version": target.version}).status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()


def test_those_who_may_not_set_targets_see_no_form_and_cannot_post(client_for, personas):
    client = client_for(personas["viewer"])
    response = client.get(PAGE)
    assert response.status_code == 200 and response.context["form"] is None
    assert client.post(PAGE, {"title": "clan", "year": 2030, "percent": "70"}).status_code == 403
    assert not Target.objects.filter(area__isnull=False).exists()

"""The checks on a year's figures: each contradiction and each sharp change is flagged on crafted
figures and nothing is flagged on good ones; the factor and the minimum are settings; missing
figures are never compared; the facts are read in two queries whatever the number of units."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import unit
from registry import network
from registry.models import AreaYear, Association, AssociationLevel
from stats import quality, services
from stats.models import EnteredAggregate

pytestmark = pytest.mark.django_db

HOUSEHOLD_REGISTERED = ("household", "registered")
HOUSEHOLD_RECOGNISED = ("household", "recognised")
HOUSEHOLD_BASE = ("household", "base")
POPULATION = ("", "population")
MEMBERS = ("", "members")


@pytest.fixture
def commune(db):
    return unit("2025", "01843")


@pytest.fixture
def figures(admin_user, commune):
    """Enter a year's figures of the commune through the services, as an officer would."""
    association = Association.objects.create(level=AssociationLevel.COMMUNE, area=commune, name="Hội Khuyến học")

    def enter(year, *, population=None, households=None, registered=None, recognised=None, members=None):
        if population is not None or households is not None:
            seen = AreaYear.objects.filter(area=commune, year=year).values_list("version", flat=True).first()
            network.area_year_save(
                actor=admin_user, area=commune, year=year, version=seen, population=population, households=households
            )
        for measure, value in (("registered", registered), ("recognised", recognised)):
            if value is not None:
                entered = EnteredAggregate.objects.filter(unit=commune, year=year, title="household", measure=measure)
                services.aggregate_save(
                    actor=admin_user,
                    unit=commune,
                    year=year,
                    title="household",
                    measure=measure,
                    value=value,
                    version=entered.values_list("version", flat=True).first(),
                )
        if members is not None:
            network.association_year_save(
                actor=admin_user,
                association=association,
                year=year,
                members=members,
                village_branches=2,
                agency_branches=0,
                agency_boards=0,
                school_boards=1,
                clan_boards=0,
            )

    return enter


def codes(commune, year, tree="2025"):
    return sorted(w.code for w in quality.warnings_for([commune], year, tree)[commune.pk])


def only(commune, year, code):
    [warning] = [w for w in quality.warnings_for([commune], year, "2025")[commune.pk] if w.code == code]
    return warning


def test_good_figures_give_no_warning(figures, commune, reform_year):
    figures(reform_year, population=1500, households=400, registered=300, recognised=250, members=300)
    figures(reform_year + 1, population=1600, households=420, registered=310, recognised=280, members=320)
    other = unit("2025", "01840")
    assert quality.warnings_for([commune, other], reform_year + 1, "2025") == {commune.pk: [], other.pk: []}
    assert codes(commune, reform_year) == []
    assert codes(unit("2025", "19"), reform_year + 1) == []


def test_more_recognised_than_registered(figures, commune, reform_year):
    figures(reform_year, households=400, registered=10, recognised=12)
    warning = only(commune, reform_year, quality.RECOGNISED_OVER_REGISTERED)
    assert warning.figures == (HOUSEHOLD_RECOGNISED, HOUSEHOLD_REGISTERED)
    assert warning.numbers == {"recognised": 12, "registered": 10}
    assert codes(commune, reform_year) == [quality.RECOGNISED_OVER_REGISTERED]


def test_more_registered_or_recognised_than_the_base(figures, commune, reform_year):
    figures(reform_year, households=100, registered=150, recognised=120)
    assert codes(commune, reform_year) == [quality.RECOGNISED_OVER_BASE, quality.REGISTERED_OVER_BASE]
    assert only(commune, reform_year, quality.REGISTERED_OVER_BASE).numbers == {"registered": 150, "base": 100}
    over = only(commune, reform_year, quality.RECOGNISED_OVER_BASE)
    assert over.figures == (HOUSEHOLD_RECOGNISED, HOUSEHOLD_BASE)
    assert str(over.numbers["rate"]) == "120.0"


def test_the_checks_reach_the_province(figures, reform_year):
    figures(reform_year, households=100, registered=150)
    province = unit("2025", "19")
    assert quality.REGISTERED_OVER_BASE in codes(province, reform_year)


def test_more_members_than_people(figures, commune, reform_year):
    figures(reform_year, population=200, members=300)
    warning = only(commune, reform_year, quality.MEMBERS_OVER_POPULATION)
    assert warning.figures == (MEMBERS, POPULATION)
    assert warning.numbers == {"members": 300, "population": 200}


def test_a_missing_figure_is_not_compared(figures, commune, reform_year):
    # No base and no registered figure: 12 recognised contradicts nothing known.
    figures(reform_year, recognised=12, members=300)
    assert codes(commune, reform_year) == []


def test_a_change_beyond_the_factor_is_an_anomaly_up_or_down(figures, commune, reform_year):
    figures(reform_year, population=1000, members=300, households=500)
    figures(reform_year + 1, population=2100, members=100, households=999)
    assert codes(commune, reform_year + 1) == [quality.ANOMALY_FALL, quality.ANOMALY_RISE]
    rise = only(commune, reform_year + 1, quality.ANOMALY_RISE)
    assert rise.figures == (POPULATION,)
    assert (rise.numbers["previous"], rise.numbers["current"], rise.numbers["factor"]) == (1000, 2100, 2)
    fall = only(commune, reform_year + 1, quality.ANOMALY_FALL)
    assert fall.figures == (MEMBERS,)
    assert (fall.numbers["previous"], fall.numbers["current"]) == (300, 100)


def test_a_change_within_the_factor_is_not(figures, commune, reform_year):
    figures(reform_year, population=1000, members=300)
    figures(reform_year + 1, population=1900, members=160)
    assert codes(commune, reform_year + 1) == []


def test_the_factor_is_a_setting(settings, figures, commune, reform_year):
    figures(reform_year, population=1000)
    figures(reform_year + 1, population=2100)
    settings.KHUYENHOC_ANOMALY_FACTOR = 3
    assert codes(commune, reform_year + 1) == []
    settings.KHUYENHOC_ANOMALY_FACTOR = 1.5
    figures(reform_year + 1, population=1600)
    assert codes(commune, reform_year + 1) == [quality.ANOMALY_RISE]
    assert str(only(commune, reform_year + 1, quality.ANOMALY_RISE).numbers["factor"]) == "1.5"


def test_small_figures_are_not_anomalies_unless_one_year_reaches_the_minimum(settings, figures, commune, reform_year):
    figures(reform_year, households=500, registered=5)
    figures(reform_year + 1, households=500, registered=15)
    assert codes(commune, reform_year + 1) == []  # three times as many, but both below 20
    figures(reform_year + 1, registered=25)
    assert codes(commune, reform_year + 1) == [quality.ANOMALY_RISE]
    assert only(commune, reform_year + 1, quality.ANOMALY_RISE).figures == (HOUSEHOLD_REGISTERED,)
    settings.KHUYENHOC_ANOMALY_MIN = 30
    assert codes(commune, reform_year + 1) == []


def test_a_figure_missing_in_either_year_is_not_an_anomaly(figures, commune, reform_year):
    figures(reform_year, population=1000)
    figures(reform_year + 1, population=1000, households=800, members=400)
    assert codes(commune, reform_year + 1) == []


def test_the_year_before_the_reform_is_compared_through_the_mapping(admin_user, commune, reform_year):
    """Old Phường Sông Cầu was merged whole into Phường Bắc Kạn: its population is the year before."""
    network.area_year_save(actor=admin_user, area=unit("pre2025", "01837"), year=reform_year - 1, population=1000)
    network.area_year_save(actor=admin_user, area=commune, year=reform_year, population=5000)
    assert codes(commune, reform_year) == [quality.ANOMALY_RISE]
    # On the old tree the reform year is not available: nothing to check.
    old = unit("pre2025", "01837")
    assert quality.warnings_for([old], reform_year, "pre2025") == {old.pk: []}


def test_the_facts_are_read_in_the_same_queries_for_one_unit_or_many(figures, reform_year):
    province = unit("2025", "19")
    communes = list(province.children.all()[:30])

    def queries(units):
        with CaptureQueriesContext(connection) as captured:
            quality.warnings_for(units, reform_year + 1, "2025")
        return len(captured)

    assert queries(communes) == queries(communes[:1])


def test_every_warning_reads_in_english_and_vietnamese_with_its_numbers(figures, commune, reform_year):
    figures(reform_year, population=1000, members=300, households=500, registered=40, recognised=30)
    figures(reform_year + 1, population=2100, members=2500, households=100, registered=150, recognised=160)
    warnings = quality.warnings_for([commune], reform_year + 1, "2025")[commune.pk]
    assert {w.code for w in warnings} == {
        quality.RECOGNISED_OVER_REGISTERED,
        quality.REGISTERED_OVER_BASE,
        quality.RECOGNISED_OVER_BASE,
        quality.MEMBERS_OVER_POPULATION,
        quality.ANOMALY_RISE,
        quality.ANOMALY_FALL,
    }
    for language, thousands in (("en", "2,100"), ("vi", "2.100")):
        with translation.override(language):
            html = render_to_string("stats/_warnings.html", {"warnings": warnings})
            assert all(w.message for w in warnings)
        assert html.count("<li data-code=") == len(warnings)
        for warning in warnings:
            assert f'data-code="{warning.code}"' in html
        assert thousands in html
        assert "160,0" in html or "160.0" in html  # the rate of recognitions over the base


def test_no_warnings_render_nothing():
    assert render_to_string("stats/_warnings.html", {"warnings": []}).strip() == ""


def _crafted(year, values):
    from types import SimpleNamespace

    return SimpleNamespace(year=year, figures={key: SimpleNamespace(value=v) for key, v in values.items()})


def test_the_reform_merging_communes_is_not_suspect_data(reform_year):
    """Thái Nguyên's 280 communes of 2024 (its own and Bắc Kạn's, mapped) became 92 in 2025: like is
    compared with like, so the merger is no warning, while households still are compared."""
    commune_base, commune_recognised = ("commune", "base"), ("commune", "recognised")
    before = _crafted(reform_year - 1, {commune_base: 280, commune_recognised: 88, HOUSEHOLD_BASE: 100_000})
    after = _crafted(reform_year, {commune_base: 92, commune_recognised: 28, HOUSEHOLD_BASE: 40_000})
    assert quality.across_reform(reform_year) and not quality.across_reform(reform_year + 1)
    warnings = quality.anomaly_warnings(after, before, factor=2.0, minimum=20, reform=True)
    assert [(w.code, w.figures) for w in warnings] == [(quality.ANOMALY_FALL, (HOUSEHOLD_BASE,))]
    # The same fall in a year without a reform is still flagged.
    flagged = quality.anomaly_warnings(after, before, factor=2.0, minimum=20, reform=False)
    assert {w.figures[0] for w in flagged} == {commune_base, commune_recognised, HOUSEHOLD_BASE}
